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
from .config import ConfigError
from .parsing import PARSERS
from .scoring import PredictionFormatError, read_predictions, score_records, summarise
from .wvs import COUNTRIES, normalise


def _questions(wvs_dir: str) -> dict[str, dict]:
    verify_sha256sums(Path(wvs_dir) / "SHA256SUMS")
    return {q["qid"]: q for q in normalise(wvs_dir, list(COUNTRIES))["questions"]}


def _strict(value):
    """`value` with every NaN or infinity replaced by None and every mapping key a string (strict JSON)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _strict(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_strict(v) for v in value]
    return value


def cmd_score(args) -> int:
    questions = _questions(args.wvs_dir)
    scores = score_records(read_predictions(args.predictions), questions, args.parser)
    summary = summarise(scores)
    rows = [s.as_dict() for s in scores]
    if args.format == "json":
        # Strict JSON: a value that is not a number (the std of one seed, a country without a valid
        # answer) is null, never NaN, which browsers and most languages' parsers reject.
        json.dump(_strict({"countries": rows, "summary": summary}), sys.stdout, indent=2, allow_nan=False)
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


def cmd_provenance(args) -> int:
    """Exit 0: every checksum verified (and, with --rerun-check, a re-run would not change the
    artifact); 1: a file changed, is missing or has no record, or a re-run would change it."""
    from .config import resolve_files
    from .provenance import Trace, render
    from .provenance.remake import remake, remake_text
    from .provenance.rerun import rerun_check, rerun_text

    if not (Path(args.directory) / args.path).exists() and not (Path(args.directory) / "provenance" / (args.path + ".json")).exists():
        raise FileNotFoundError(f"{args.path}: no such file and no lineage record for it (run from the workflow directory)")
    trace = Trace(args.path, root=args.directory)
    if args.rerun_check:
        config_now = resolve_files(args.configfile, args.directory)
        result = rerun_check(trace, config_now, args.configfile, root=args.directory,
                             snakemake_summary=not args.no_snakemake)
        if args.format == "json":
            json.dump(result, sys.stdout, indent=2)
            print()
        else:
            sys.stdout.write(rerun_text(result))
        return 1 if result["would_change"] else 0
    plan = remake(trace, args.configfile, root=args.directory)
    if args.dot:
        sys.stdout.write(render.dot(trace))
    elif args.format == "json":
        json.dump({**render.as_json(trace), "remake": plan}, sys.stdout, indent=2)
        print()
    else:
        sys.stdout.write(render.text(trace) + remake_text(plan))
    return 0 if trace.ok else 1


def cmd_targets(args) -> int:
    """Every table and figure, from the artifacts' declaration; with the jobs each one's DAG runs."""
    from . import targets

    rows = targets.listing(args.paper, args.configfile, args.directory, jobs=not args.no_jobs)
    if args.format == "json":
        json.dump(rows, sys.stdout, indent=2)
        print()
    else:
        sys.stdout.write(targets.text(rows, args.configfile))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="culturealign", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    score = sub.add_parser("score", help="score prediction files (JSON Lines) against the WVS ground truth")
    score.add_argument("predictions", nargs="+", help="JSON Lines with at least qid, country, response")
    score.add_argument("--format", choices=["text", "csv", "json"], default="text")
    score.add_argument("--wvs-dir", default="resources/wvs", help="vendored WVS files (with SHA256SUMS)")
    score.add_argument("--parser", choices=sorted(PARSERS), default="option",
                       help="answer rule: option (CNCA: a valid option id) or first-integer (CultureSPA's "
                            "code: the first integer, kept in 0..10)")
    score.set_defaults(func=cmd_score)
    prov = sub.add_parser("provenance", help="trace an artifact down to its roots and verify every checksum")
    prov.add_argument("path", help="an output of the workflow, e.g. results/table3.csv (relative to the workflow directory)")
    prov.add_argument("--format", choices=["text", "json"], default="text")
    prov.add_argument("--dot", action="store_true", help="print the lineage as a Graphviz graph")
    prov.add_argument("--rerun-check", action="store_true",
                      help="say, without running anything, whether re-running the workflow would change PATH")
    prov.add_argument("--configfile", action="append", default=[],
                      help="the config file(s) of the run (as given to snakemake): --rerun-check compares "
                           "against them, and the printed remake command names them")
    prov.add_argument("--no-snakemake", action="store_true", help="with --rerun-check: skip `snakemake --summary`")
    prov.add_argument("-C", "--directory", default=".", help="the workflow directory (default: the current one)")
    prov.set_defaults(func=cmd_provenance)
    tgt = sub.add_parser("targets", help="list every table and figure the workflow can make, with its jobs")
    tgt.add_argument("--paper", choices=["cnca", "culturespa", "caredio", "leaderboard"], help="one paper's targets only (or the leaderboard's)")
    tgt.add_argument("--format", choices=["text", "json"], default="text")
    tgt.add_argument("--configfile", action="append", default=[],
                     help="count the jobs under these config files (as given to snakemake; default config.yaml)")
    tgt.add_argument("--no-jobs", action="store_true", help="list without building the DAG (instant)")
    tgt.add_argument("-C", "--directory", default=".", help="the workflow directory (default: the current one)")
    tgt.set_defaults(func=cmd_targets)
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # `culturealign provenance ... | head`
        sys.stderr.close()
        return 0
    except (ChecksumError, PredictionFormatError, FileNotFoundError, ConfigError) as exc:
        print(f"culturealign: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
