"""The paper's tables as CSV files, each reproduced number next to the published one."""

from __future__ import annotations

import csv
import math
from pathlib import Path

from scipy import stats

from .methods import get_method
from .scoring import CountryScore, summarise

PAIRED_TEST = "paired t-test (scipy.stats.ttest_rel, two-sided) over (country, seed) scores vs Vanilla"


def read_country_scores(path: str | Path) -> list[CountryScore]:
    with open(path, newline="") as handle:
        return [
            CountryScore(int(r["seed"]), r["country"], int(r["n_valid"]), int(r["n_invalid"]),
                         int(r["n_no_truth"]), float(r["score"]) if r["score"] != "" else math.nan)
            for r in csv.DictReader(handle)
        ]


def write_country_scores(path: str | Path, scores: list[CountryScore]) -> None:
    fields = ["seed", "country", "n_valid", "n_invalid", "n_no_truth", "score"]
    with open(path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for s in scores:
            row = s.as_dict()
            row["score"] = "" if row["score"] is None else f"{row['score']:.4f}"
            writer.writerow(row)


def read_published(path: str | Path) -> dict[tuple[str, str, str], float | None]:
    with open(path, newline="") as handle:
        return {(r["table"], r["model"], r["method"]): (float(r["published"]) if r["published"] else None)
                for r in csv.DictReader(handle)}


def paired_test(method: list[CountryScore], baseline: list[CountryScore]) -> tuple[float, float]:
    """(mean difference, p-value) over the (country, seed) pairs present, with a score, in both."""
    a = {(s.country, s.seed): s.score for s in method if not math.isnan(s.score)}
    b = {(s.country, s.seed): s.score for s in baseline if not math.isnan(s.score)}
    keys = sorted(a.keys() & b.keys())
    if len(keys) < 2:
        return math.nan, math.nan
    x, y = [a[k] for k in keys], [b[k] for k in keys]
    diff = sum(xi - yi for xi, yi in zip(x, y)) / len(keys)
    if all(xi == yi for xi, yi in zip(x, y)):
        return 0.0, 1.0
    return diff, float(stats.ttest_rel(x, y).pvalue)


def _fmt(value, digits=2):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{value:.{digits}f}"


def alignment_table(score_files: dict[tuple[str, str], str], models: dict[str, dict], published_csv: str,
                    table: str, out: str | Path, baseline: str = "vanilla") -> list[dict]:
    """One row per (model, method) in the given order: score (mean over seeds of the mean over
    countries), std over seeds, difference and paired test against `baseline`, invalid rate,
    countries, seeds, and the published value with the difference where the paper has one."""
    published = read_published(published_csv)
    scores = {key: read_country_scores(path) for key, path in score_files.items()}
    rows = []
    for (model, method), per_country in scores.items():
        summary = summarise(per_country)
        label = get_method(method).label
        paper_label = models[model].get("paper_label")
        pub = published.get((table, paper_label, label)) if paper_label else None
        diff, p = (math.nan, math.nan)
        if method != baseline and (model, baseline) in scores:
            diff, p = paired_test(per_country, scores[(model, baseline)])
        rows.append({
            "model": model,
            "model_name": models[model].get("name", model),
            "method": label,
            "score": _fmt(summary["score"]),
            "std_over_seeds": _fmt(summary["std"]),
            "diff_vs_vanilla": _fmt(diff) if method != baseline else "",
            "p_value_vs_vanilla": _fmt(p, 4) if method != baseline else "",
            "test": PAIRED_TEST if method != baseline else "",
            "invalid_rate": _fmt(summary["invalid_rate"], 4),
            "n_valid": summary["n_valid"],
            "n_invalid": summary["n_invalid"],
            "countries": " ".join(sorted({s.country for s in per_country})),
            "countries_without_score": " ".join(summary["countries_without_score"]),
            "seeds": " ".join(str(s) for s in sorted({s.seed for s in per_country})),
            "published": _fmt(pub),
            "diff_vs_published": _fmt(summary["score"] - pub) if pub is not None else "",
        })
    with open(out, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return rows
