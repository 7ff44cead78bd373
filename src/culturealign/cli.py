"""The `culturealign` command."""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import sys
from pathlib import Path

from .checksums import ChecksumError, verify_sha256sums
from .scoring import PredictionFormatError, read_predictions, score_records, summarise
from .wvs import COUNTRIES, normalise


def _questions(wvs_dir: str) -> dict[str, dict]:
    verify_sha256sums(Path(wvs_dir) / "SHA256SUMS")
    return {q["qid"]: q for q in normalise(wvs_dir, list(COUNTRIES))["questions"]}


def cmd_score(args) -> int:
    questions = _questions(args.wvs_dir)
    scores = score_records(read_predictions(args.predictions), questions)
    summary = summarise(scores)
    rows = [s.as_dict() for s in scores]
    if args.format == "json":
        json.dump({"countries": rows, "summary": summary}, sys.stdout, indent=2, default=str)
        print()
    elif args.format == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        sys.stdout.write(buf.getvalue())
    else:
        print(f"{'seed':>4}  {'country':<7} {'n_valid':>7} {'n_invalid':>9} {'score':>7}")
        for r in rows:
            score = "-" if r["score"] is None else f"{r['score']:.2f}"
            print(f"{r['seed']:>4}  {r['country']:<7} {r['n_valid']:>7} {r['n_invalid']:>9} {score:>7}")
        for seed, mean in summary["per_seed"].items():
            print(f"mean over countries (seed {seed}): {mean:.2f}")
        if len(summary["per_seed"]) > 1:
            print(f"mean over seeds: {summary['score']:.2f} (std {summary['std']:.2f})")
        if summary["countries_without_score"]:
            print(f"no valid answer (no score): {' '.join(summary['countries_without_score'])}")
        if math.isnan(summary["score"]):
            print("no valid answer at all: nothing to score")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="culturealign", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    score = sub.add_parser("score", help="score prediction files (JSON Lines) against the WVS ground truth")
    score.add_argument("predictions", nargs="+", help="JSON Lines with at least qid, country, response")
    score.add_argument("--format", choices=["text", "csv", "json"], default="text")
    score.add_argument("--wvs-dir", default="resources/wvs", help="vendored WVS files (with SHA256SUMS)")
    score.set_defaults(func=cmd_score)
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (ChecksumError, PredictionFormatError, FileNotFoundError) as exc:
        print(f"culturealign: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
