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
TABLE3_MODEL = "Mistral-7B-Instruct-v0.3"  # Table 3
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


def published_model(published: dict, label: str | None, fallback: str = MAIN_MODEL) -> str:
    """Whose published numbers stand beside a model's: its own when the paper has it (paper_label),
    else `fallback`'s (the model of the paper's table: Table 2's LLaMA, Table 3's Mistral), so that a
    model outside the paper is still compared."""
    return label if label and any(key[0] == label for key in published) else fallback


def per_country_means(scores: list[CountryScore]) -> dict[str, float]:
    by_country: dict[str, list[float]] = {}
    for s in scores:
        if s.score == s.score:  # not NaN
            by_country.setdefault(s.country, []).append(s.score)
    return {c: sum(v) / len(v) for c, v in by_country.items()}


def table2(rows: list[list], score_files: list[str], models: dict[str, dict], published_csv: str,
           out: str | Path, fallback: str = MAIN_MODEL) -> list[dict]:
    """`rows`: [model, method, row label (Baseline, CultureSPA, CultureSPA (CCT)), tuned fields or None]
    (grid.plain_rows), each with its score file."""
    published = read_published(published_csv)
    out_rows = []
    for (model, method, variant, tuned), path in zip(rows, score_files):
        scores = read_country_scores(path)
        summary, per_country = summarise(scores), per_country_means(scores)
        prompting = get_method(method).label
        label = published_model(published, models[model].get("paper_label"), fallback)
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
        if tuned:
            notes.append(tuned_note(tuned))
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
        out_rows.append(row)
    write_csv(out, out_rows)
    return out_rows


def tuned_note(tuned: dict) -> str:
    data = {"all": "All", "one": "One", "all-x4": "All x4"}.get(tuned["seeds"], tuned["seeds"])
    answers = {"aware": "culture-aware (P1) answers", "cct": "cross-culture-thinking (P2) answers"}[tuned["variant"]]
    return (f"LoRA SFT ({tuned['strategy']}) on {tuned['pct']}% of the {tuned['rule'].upper()} pairs of its own "
            f"generated questions ({data} seeds) with {answers}")


def read_published_grid(path: str | Path, table: str) -> dict[tuple[str, str], float]:
    """(row, column) -> value of a paper table vendored as `table,row,column,published` rows
    (resources/paper/culturespa-tables.csv: Tables 1, 4 and 5)."""
    with open(path, newline="", encoding="utf-8") as handle:
        return {(r["row"], r["column"]): float(r["published"]) for r in csv.DictReader(handle) if r["table"] == table}


def table4(rows: list[list], score_files: list[str], published_csv: str, out: str | Path) -> list[dict]:
    """Table 4: one row per strategy (CultureSPA (specific), (joint)), the Avg score per proportion
    with the paper's beside it; `rows` as table2's, their tuned fields carrying the proportion."""
    published = read_published_grid(published_csv, "4")
    by_label: dict[str, dict] = {}
    meta: dict[str, dict] = {}
    for (model, method, label, tuned), path in zip(rows, score_files):
        scores = read_country_scores(path)
        summary = summarise(scores)
        row = by_label.setdefault(label, {"model": model, "prompting": get_method(method).label, "variant": label})
        column = f"{tuned['pct']}%"
        pub = published.get((label, column))
        row[column] = fmt(summary["score"])
        row[f"{column}_published"] = fmt(pub)
        row[f"{column}_diff"] = fmt(summary["score"] - pub) if pub is not None and summary["score"] == summary["score"] else ""
        row[f"{column}_std_over_runs"] = fmt(summary["std"])
        meta[label] = {"countries": " ".join(sorted({s.country for s in scores}, key=PAPER_COUNTRIES.index)),
                       "runs": len({s.seed for s in scores}),
                       "notes": ("Avg over the countries run (the paper: 18 countries, LLaMA-3-8B-Instruct, P1); "
                                 "proportions are nested seeded subsets of each country's CRQPC pairs")}
    for label, row in by_label.items():
        row.update(meta[label])  # after every proportion's columns
    table = list(by_label.values())
    write_csv(out, table)
    return table


def table5(rows: list[list], score_files: list[str], general: list[list[dict]], published_csv: str,
           out: str | Path) -> list[dict]:
    """Table 5: per row (Baseline, All (60K), One (60K), All (240K)) the P1 culture score and each
    benchmark's lm_eval metric (x100, as the paper prints), each beside the paper's."""
    published = read_published_grid(published_csv, "5")
    table = []
    for (model, method, label, tuned), path, results in zip(rows, score_files, general):
        summary = summarise(read_country_scores(path))
        row = {"model": model, "variant": label, "Culture": fmt(summary["score"])}
        pub = published.get((label, "Culture"))
        row["Culture_published"], row["Culture_diff"] = fmt(pub), (
            fmt(summary["score"] - pub) if pub is not None and summary["score"] == summary["score"] else "")
        for r in results:
            value, pub = 100.0 * r["value"], published.get((label, r["benchmark"]))
            row[r["benchmark"]] = fmt(value)
            row[f"{r['benchmark']}_published"] = fmt(pub)
            row[f"{r['benchmark']}_diff"] = fmt(value - pub) if pub is not None else ""
            row[f"{r['benchmark']}_task"] = f"{r['task']} {r['metric']} (n-shot {r['n_shot']}, lm_eval {r['lm_eval_version']})"
        row["notes"] = tuned_note(tuned) if tuned else "the base model"
        table.append(row)
    write_csv(out, table)
    return table


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
