"""What every paper's tables share: per-country score files, the published numbers, the paired test,
number formatting and CSV writing. Each paper's own tables live in culturealign.papers.<paper>.tables."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

from .io import write_text
from .scoring import CountryScore

# CNCA reports only the p-values (0.021, 0.003; "The corresponding p-values from the t-tests"). The
# seeds of one country share its norms and questions, so they are not independent samples: the
# default pairs the 18 countries, each the mean over seeds; `country-seed` pairs every (country, seed).
PAIRED_TESTS = {
    "country": "paired t-test (scipy.stats.ttest_rel, two-sided) over countries (each the mean over seeds) vs Vanilla",
    "country-seed": "paired t-test (scipy.stats.ttest_rel, two-sided) over (country, seed) scores vs Vanilla",
}

def _number(text) -> float:
    return float(text) if text not in (None, "") else math.nan


def read_country_scores(path: str | Path) -> list[CountryScore]:
    with open(path, newline="") as handle:
        return [
            CountryScore(int(r["seed"]), r["country"], int(r["n_valid"]), int(r["n_invalid"]),
                         int(r["n_no_truth"]), _number(r["score"]), int(r.get("n_norms_missing") or 0),
                         int(r.get("n_unclosed_think") or 0), int(r.get("n_strict") or 0),
                         _number(r.get("first_option")), _number(r.get("uniform_random")))
            for r in csv.DictReader(handle)
        ]


def write_country_scores(path: str | Path, scores: list[CountryScore]) -> None:
    rows = []
    for s in scores:
        row = s.as_dict()
        for key in ("score", "first_option", "uniform_random"):
            row[key] = "" if row[key] is None else f"{row[key]:.4f}"
        rows.append(row)
    if not rows:
        raise ValueError(f"{path}: no country score to write")
    write_csv(path, rows)


def read_published(path: str | Path, quantity: str = "score", miner: str = "") -> dict[tuple[str, str, str], float | None]:
    """(table, model, method) -> the published `quantity` (score, p_value) of resources/paper/cnca.csv;
    `miner`: whose norms (Figure 5), empty for each model's own."""
    with open(path, newline="") as handle:
        return {(r["table"], r["model"], r["method"]): (float(r["published"]) if r["published"] else None)
                for r in csv.DictReader(handle)
                if r.get("quantity", "score") == quantity and r.get("miner", "") == miner}


def _units(scores: list[CountryScore], unit: str) -> dict:
    """Score per test unit: per country the mean over its seeds, or per (country, seed)."""
    if unit not in PAIRED_TESTS:
        raise ValueError(f"unknown paired-test unit {unit!r}; valid: {sorted(PAIRED_TESTS)}")
    valid = [s for s in scores if not math.isnan(s.score)]
    if unit == "country-seed":
        return {(s.country, s.seed): s.score for s in valid}
    per_country: dict[str, list[float]] = {}
    for s in valid:
        per_country.setdefault(s.country, []).append(s.score)
    return {c: sum(v) / len(v) for c, v in per_country.items()}


def paired_test(method: list[CountryScore], baseline: list[CountryScore], unit: str = "country") -> tuple[float, float]:
    """(mean difference, p-value) over the units (countries, or (country, seed) pairs) with a score in both."""
    a, b = _units(method, unit), _units(baseline, unit)
    keys = sorted(a.keys() & b.keys())
    if len(keys) < 2:
        return math.nan, math.nan
    x, y = [a[k] for k in keys], [b[k] for k in keys]
    diff = sum(xi - yi for xi, yi in zip(x, y)) / len(keys)
    if all(xi == yi for xi, yi in zip(x, y)):
        return 0.0, 1.0
    from scipy import stats  # here, not at import: the Snakefile imports this module and scipy takes 2 s

    return diff, float(stats.ttest_rel(x, y).pvalue)


def fmt(value, digits=2):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{value:.{digits}f}"


def write_csv(out, rows: list[dict]) -> None:
    """Rows as CSV with a header (every key of any row, in the order first seen; a row without a key
    leaves its cell empty), "\n" line ends, written atomically."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(dict.fromkeys(k for row in rows for k in row)),
                            lineterminator="\n", restval="")
    writer.writeheader()
    writer.writerows(rows)
    write_text(out, buf.getvalue())


