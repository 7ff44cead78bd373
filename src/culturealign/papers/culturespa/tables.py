"""CultureSPA's Table 2 (and Table 3, Mistral with P1) as one CSV: one row per (model, prompting
method, training variant), the 18 per-country scores (mean over runs), the average with its standard
deviation over runs, the invalid answers, and the paper's number beside each with the difference."""

from __future__ import annotations

import csv
from pathlib import Path

from ...registry import get_method
from ...scoring import CountryScore, summarise
from ...tables import fmt, read_country_scores, write_csv
from ...wvs import COUNTRIES

PAPER_COUNTRIES = list(COUNTRIES)  # Table 2's column order (America, Europe, Asia, Africa, Oceania)
AVG = "Avg"
BASELINE = "Baseline"  # the training variant of a prompting baseline (part 2 adds CultureSPA, CultureSPA (CCT))
MAIN_MODEL = "LLaMA-3-8B-Instruct"  # the paper's main model (Table 2)
NOTES = {
    "p3": "the paper reports no P3 row: 'P3 is excluded due to its poor performance when used alone' "
          "(Table 2 caption)",
}
QUESTIONS_NOTE = ("scored on {n} WVS questions per country (the paper: all 259, Q223 and Q260-Q290 excluded as in "
                  "its code); answer = first integer of the response kept in 0..10 (its scorer)")


def read_published(path: str | Path) -> dict[tuple[str, str, str, str], tuple[str, float]]:
    """(model label, prompting, variant, country or Avg) -> (paper table, value) of resources/paper/culturespa.csv."""
    with open(path, newline="", encoding="utf-8") as handle:
        return {(r["model"], r["prompting"], r["variant"], r["country"]): (r["table"], float(r["published"]))
                for r in csv.DictReader(handle)}


def published_model(published: dict, label: str | None) -> str:
    """Whose published numbers stand beside a model's: its own when the paper has it (paper_label),
    else the paper's main model's (Table 2), so that a model outside the paper is still compared."""
    return label if label and any(key[0] == label for key in published) else MAIN_MODEL


def per_country_means(scores: list[CountryScore]) -> dict[str, float]:
    by_country: dict[str, list[float]] = {}
    for s in scores:
        if s.score == s.score:  # not NaN
            by_country.setdefault(s.country, []).append(s.score)
    return {c: sum(v) / len(v) for c, v in by_country.items()}


def table2(score_files: dict[tuple[str, str], str], models: dict[str, dict], published_csv: str,
           out: str | Path, variant: str = BASELINE) -> list[dict]:
    published = read_published(published_csv)
    rows = []
    for (model, method), path in score_files.items():
        scores = read_country_scores(path)
        summary, per_country = summarise(scores), per_country_means(scores)
        prompting = get_method(method).label
        label = published_model(published, models[model].get("paper_label"))
        row = {"model": model, "model_name": models[model].get("name", model), "prompting": prompting,
               "variant": variant, "published_model": label}
        tables = set()
        for country in [*PAPER_COUNTRIES, AVG]:
            value = summary["score"] if country == AVG else per_country.get(country)
            table, pub = published.get((label, prompting, variant, country), ("", None))
            tables.add(table)
            row[country] = fmt(value)
            row[f"{country}_published"] = fmt(pub)
            row[f"{country}_diff"] = fmt(value - pub) if value is not None and pub is not None else ""
        countries = sorted({s.country for s in scores}, key=PAPER_COUNTRIES.index)
        n_questions = max((s.n_valid + s.n_invalid + s.n_no_truth for s in scores), default=0)
        notes = [QUESTIONS_NOTE.format(n=n_questions)]
        if label != models[model].get("paper_label"):
            notes.append(f"{model} is not in the paper: the published numbers are {label}'s")
        if len(countries) < len(PAPER_COUNTRIES):
            notes.append(f"Avg over the {len(countries)} countries run; the published Avg is over all 18")
        if method in NOTES:
            notes.append(NOTES[method])
        row.update({
            "std_over_runs": fmt(summary["std"]),
            "runs": len({s.seed for s in scores}),
            "seeds": " ".join(str(s) for s in sorted({s.seed for s in scores}, reverse=True)),
            "countries": " ".join(countries),
            "n_valid": summary["n_valid"],
            "n_invalid": summary["n_invalid"],
            "invalid_rate": fmt(summary["invalid_rate"], 4),
            "published_table": " ".join(sorted(t for t in tables if t)),
            "notes": "; ".join(notes),
        })
        rows.append(row)
    write_csv(out, rows)
    return rows


def for_countries(records: list[dict], countries: list[str]) -> list[dict]:
    """Culture-unaware records carry no country (one set of answers for all): each is scored against
    every country, as the code's scorer does with wvs_result_culture_unaware_<run>.json."""
    out = []
    for record in records:
        if record.get("country"):
            out.append(record)
        else:
            out.extend({**record, "country": country} for country in countries)
    return out
