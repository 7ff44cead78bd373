"""The leaderboard's table: each row's WVS score (CNCA eq. 3 on the shared questions and countries),
its GlobalOpinionQA and CulturalBench-Hard scores, the paired test against the row below it, and its
cost read from the lineage records of the jobs that made it (never re-measured)."""

from __future__ import annotations

import json
import math
import os
import statistics
from pathlib import Path

from ..papers.caredio.evaluate import score as benchmark_score
from ..provenance.records import load_record, record_path
from ..scoring import CountryScore, read_predictions, score_records, summarise, trivial_scores
from ..tables import paired_test
from . import BENCHMARKS, PAPER_LABELS, Row

# Jobs every row shares that say nothing about a method: the model's weights and the survey file.
SETUP_RULES = ("materialise_model", "wvs_questions")
REFERENCE = {"first-option": "Always the first option", "uniform-random": "Uniform random (mean of 2000 draws)"}


def wvs_records(files: list[str], qids: list[str], countries: list[str]) -> list[dict]:
    """The records of `qids` x `countries`. A country-free method's records (country None: one set of
    answers) stand for every country, as CultureSPA scores its culture-unaware prompt."""
    keep = set(qids)
    records = []
    for rec in read_predictions(files):
        if rec["qid"] not in keep:
            continue
        if rec["country"] is None:
            records.extend({**rec, "country": c} for c in countries)
        elif rec["country"] in countries:
            records.append(rec)
    return records


def wvs_scores(files: list[str], questions: dict, qids: list[str], countries: list[str], parser: str) -> list[CountryScore]:
    """Eq. 3 per (seed, country) over `qids` x `countries` (wvs_records)."""
    return score_records(wvs_records(files, qids, countries), questions, parser)


def base_model_countries(records: list[dict]) -> list[str]:
    """Countries whose answers came from the base model although the row has adapters (a skipped
    adapter: an empty training set), read from what the predictions record."""
    return sorted({r["country"] for r in records if r.get("adapter") is None})


def reference_scores(questions: dict, qids: list[str], countries: list[str], seeds: list[int]) -> dict[str, list[CountryScore]]:
    """The two answerers that read nothing (scoring.trivial_scores) on the same questions and countries."""
    out: dict[str, list[CountryScore]] = {"first-option": [], "uniform-random": []}
    for seed in seeds:
        for c in countries:
            asked = [(int(questions[q]["ground_truth"][c]), [o["id"] for o in questions[q]["options"]])
                     for q in qids if questions[q]["ground_truth"].get(c) is not None]
            first, uniform = trivial_scores([t for t, _ in asked], [ids for _, ids in asked], seed)
            for key, value in (("first-option", first), ("uniform-random", uniform)):
                out[key].append(CountryScore(seed, c, len(asked), 0, len(qids) - len(asked), value))
    return out


def benchmark_scores(path: str, cultures: dict[str, str]) -> dict[str, float | None]:
    """Per benchmark the mean over the leaderboard's countries (`cultures`: ISO3 -> CAReDiO culture) of
    CAReDiO's score (evaluate.score: GlobalOpinionQA 100 x (1 - JSD), CulturalBench-Hard accuracy x 100);
    `base_model`: the countries whose adapter the job found skipped (answered by the base model)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    used = data.get("adapters", {})
    out = {"base_model": sorted(iso3 for iso3, name in cultures.items() if name in used and used[name] is None)}
    for b in BENCHMARKS:
        per = data["benchmarks"].get(b)
        if per is None:
            raise ValueError(f"{path}: no {b} predictions (benchmarks: {sorted(data['benchmarks'])})")
        values = []
        for iso3, name in cultures.items():
            if name not in per:
                raise ValueError(f"{path}: no {b} predictions for {name} ({iso3}); it has {sorted(per)}")
            values.append(benchmark_score(per[name])["score"])
        out[b] = statistics.fmean(values) if values and None not in values else None
    return out


def lineage_jobs(paths: list[str], root: str | Path = ".") -> list[dict]:
    """The record of every job in the lineage of `paths` (each job once, however many outputs it
    wrote), walked through the inputs of each record down to the files without one."""
    seen, jobs, stack = set(), {}, [os.path.normpath(p) for p in paths]
    while stack:
        path = stack.pop()
        if path in seen:
            continue
        seen.add(path)
        rec_file = record_path(path, root)
        if not rec_file.exists():
            continue  # a root: a vendored file, a recipe, a benchmark copy outside the workflow
        rec = load_record(rec_file, path)
        jobs[(rec["rule"], json.dumps(rec.get("wildcards", {}), sort_keys=True), rec.get("started"))] = rec
        stack.extend(os.path.normpath(e["path"]) for e in rec["inputs"])
    return list(jobs.values())


def cost(paths: list[str], root: str | Path = ".") -> dict:
    """What the jobs that made `paths` spent, from their records' `usage` (SETUP_RULES left out):
    training examples (of every adapter trained on the way), generated tokens, CPU, GPU and wall
    seconds; `jobs_without_usage` counts records written before usage was recorded."""
    total = {"jobs": 0, "training_examples": 0, "generated_tokens": 0, "cpu_seconds": 0.0, "gpu_seconds": 0.0,
             "wall_seconds": 0.0, "jobs_without_usage": 0}
    for rec in lineage_jobs(paths, root):
        if rec["rule"] in SETUP_RULES:
            continue
        total["jobs"] += 1
        for out in rec["outputs"]:
            metrics = Path(root) / out["path"] / "metrics.json"
            if out.get("type") == "directory" and metrics.exists():
                total["training_examples"] += int(json.loads(metrics.read_text())["examples"])
        use = rec.get("usage")
        if not use:
            total["jobs_without_usage"] += 1
            continue
        total["generated_tokens"] += int(use.get("generated_tokens", 0))
        for key in ("cpu_seconds", "gpu_seconds", "wall_seconds"):
            total[key] += float(use.get(key, 0.0))
    for key in ("cpu_seconds", "gpu_seconds", "wall_seconds"):
        total[key] = round(total[key], 1)
    return total


def _fmt(x, digits=2):
    return "" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def build(rows: list[Row], wvs: dict[str, list[str]], bench: dict[str, str], questions: dict, qids: list[str],
          countries: list[str], seeds: list[int], alpha: float, root: str | Path = ".",
          unit: str = "country") -> tuple[list[dict], list[dict]]:
    """(leaderboard rows, per-country scores). `wvs`: row key -> its prediction files; `bench`: row key
    -> its benchmark prediction file; `unit`: the paired test's unit (tables.PAIRED_TESTS, CNCA's
    cnca.evaluation.paired_test). Rows are ordered by WVS score, best first (rows without one last, in
    catalogue order); each scored row is paired-tested against the next scored one."""
    from ..papers.caredio.grid import culture_name

    cultures = {c: culture_name(c) for c in countries}
    scored: dict[str, list[CountryScore]] = {}
    entries = []
    for r in rows:
        entry = {"paper": PAPER_LABELS.get(r.paper, r.paper), "method": r.label, "kind": r.kind, "key": r.key}
        notes = [r.reason] if r.reason else []
        base: set[str] = set()
        if r.key in wvs:
            records = wvs_records(wvs[r.key], qids, countries)
            scores = score_records(records, questions, r.parser)
            scored[r.key] = scores
            if r.adapters:
                base.update(base_model_countries(records))
            s = summarise(scores)
            entry.update(wvs_score=s["score"], wvs_std=s["std"], invalid_rate=s["invalid_rate"],
                         countries_without_score=" ".join(s["countries_without_score"]))
            if s["countries_without_score"]:
                notes.append(f"no valid answer for {' '.join(s['countries_without_score'])} (left out of the mean)")
        if r.key in bench:
            found = benchmark_scores(bench[r.key], cultures)
            base.update(found.pop("base_model") if r.adapters else [])
            entry.update({b.replace("-", "_"): v for b, v in found.items()})
        elif r.benchmark_note and not r.reason:
            notes.append(f"GlobalOpinionQA and CulturalBench-Hard {r.benchmark_note}")
        if base:
            notes.append(f"adapter skipped (empty training set) for {' '.join(sorted(base))}: the base model answered")
        files = [*wvs.get(r.key, []), *([bench[r.key]] if r.key in bench else [])]
        entry.update(cost(files, root) if files else {})
        entry["note"] = "; ".join(notes)
        entries.append(entry)
    for key, scores in reference_scores(questions, qids, countries, seeds).items():
        scored[key] = scores
        s = summarise(scores)
        entries.append({"paper": "reference", "method": REFERENCE[key], "kind": "reference", "key": key,
                        "wvs_score": s["score"], "wvs_std": s["std"], "invalid_rate": 0.0,
                        "note": "reads nothing: what a method must beat on these questions (scoring.trivial_scores)"})
    ranked = sorted((e for e in entries if _has_score(e)), key=lambda e: -e["wvs_score"])
    order = ranked + [e for e in entries if not _has_score(e)]
    for above, below in zip(ranked, ranked[1:]):
        diff, p = paired_test(scored[above["key"]], scored[below["key"]], unit=unit)
        above["vs_below"] = below["key"]
        above["diff_vs_below"] = diff
        above["p_vs_below"] = p
        above["holds"] = "" if math.isnan(p) else ("yes" if p < alpha else "no")
    per_country = [{"key": key, **s.as_dict()} for key, scores in scored.items() for s in scores]
    return [_formatted(rank, e) for rank, e in enumerate(order, start=1)], per_country


COLUMNS = ("rank", "paper", "method", "kind", "key", "wvs_score", "wvs_std", "invalid_rate", "globalopinionqa",
           "culturalbench_hard", "vs_below", "diff_vs_below", "p_vs_below", "holds", "training_examples",
           "generated_tokens", "cpu_seconds", "gpu_seconds", "wall_seconds", "jobs", "jobs_without_usage",
           "countries_without_score", "note")


def _has_score(e: dict) -> bool:
    return e.get("wvs_score") is not None and not math.isnan(e["wvs_score"])


def _formatted(rank: int, e: dict) -> dict:
    out = {"rank": rank if _has_score(e) else ""}
    for col in COLUMNS[1:]:
        value = e.get(col)
        if col in ("wvs_score", "wvs_std", "globalopinionqa", "culturalbench_hard", "diff_vs_below"):
            value = _fmt(value)
        elif col in ("invalid_rate", "p_vs_below"):
            value = _fmt(value, 4)
        out[col] = "" if value is None else value
    return out
