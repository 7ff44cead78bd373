"""CAReDiO's Tables 2-6 beside the published numbers (resources/paper/caredio-tables.csv): Table 2
averages each benchmark over the cultures run; Tables 3 (GlobalOpinionQA), 4 (CulturalBench-Hard),
5 (CultureBank) and 6 (Prism) give each culture. The published row is the one of the same backbone (the model's `paper_label`) and
method; the baselines this workflow does not build (CultureLLM, CulturePark, CultureBank: their data
sets are not made here; CultureSPA when the `culturespa-data` method is not evaluated) are listed with
their published numbers and a note, never with a measured one."""

from __future__ import annotations

import csv

from ...tables import fmt
from .grid import BENCHMARK_LABELS, BENCHMARK_TABLES, METHOD_LABELS, PER_CULTURE_DIGITS, PER_CULTURE_LABELS, TABLE2_DIGITS

# Table 2's columns (a benchmark not evaluated leaves its cells empty beside the published number)
PAPER_COLUMNS = ("GlobalOpinionQA", "CultureBank", "Prism", "CulturalBench-Hard")
BENCHMARK_OF_LABEL = {label: name for name, label in BENCHMARK_LABELS.items()}
# A model without a `paper_label` (the embedded default) is set beside the paper's first backbone.
FALLBACK_BACKBONE = "Llama-3.1-8B-Instruct"
NOT_REPRODUCED = ("CultureLLM", "CulturePark", "CultureSPA", "CultureBank")
NOT_REPRODUCED_NOTE = "published only: its training data is not built by this workflow"
NOT_REPRODUCED_NOTES = {"CultureSPA": "published only: the culturespa-data method (CultureSPA's data under CAReDiO's "
                                      "recipe) is not in caredio.evaluation.methods"}


def read_published(path) -> dict[tuple[str, str, str, str], float]:
    """(table, backbone, row, column) -> the printed number."""
    with open(path, encoding="utf-8", newline="") as handle:
        return {(r["table"], r["backbone"], r["row"], r["column"]): float(r["published"]) for r in csv.DictReader(handle)}


def backbone_of(models: dict, model: str) -> str:
    return models[model].get("paper_label") or FALLBACK_BACKBONE


def _diff(value, published):
    return None if value is None or published is None else value - published


def short_note(selections: dict[str, int], budget: int) -> str:
    """'China: 12 of 1000' for each culture with fewer candidates than the budget."""
    short = [f"{c}: {n} of {budget}" for c, n in selections.items() if n < budget]
    return ("trained on fewer samples than the budget (" + "; ".join(short) + ")") if short else ""


def _note(method: str, note: str, method_notes: dict | None) -> str:
    return note if method.startswith("caredio") else (method_notes or {}).get(method, "")


def table2(scores: dict, models: dict, published: dict, cultures: list[str], note: str, digits: int = 2,
           method_notes: dict | None = None) -> list[dict]:
    """scores: {(model, method, benchmark): score file}; one row per (model, method). `note` is the
    CAReDiO rows', `method_notes` other methods' (the CultureSPA baseline's)."""
    rows = []
    pairs = list(dict.fromkeys((m, meth) for m, meth, _ in scores))
    for model, method in pairs:
        backbone = backbone_of(models, model)
        row = {"model": model, "method": METHOD_LABELS[method], "published_backbone": backbone}
        for label in PAPER_COLUMNS:
            benchmark = BENCHMARK_OF_LABEL.get(label)
            per = scores[(model, method, benchmark)]["cultures"] if (model, method, benchmark) in scores else {}
            values = [per[c]["score"] for c in cultures if c in per and per[c]["score"] is not None]
            value = sum(values) / len(values) if values else None
            pub = published.get(("2", backbone, METHOD_LABELS[method], label))
            d = TABLE2_DIGITS.get(label, digits)
            row.update({label: fmt(value, d), f"{label}_published": fmt(pub, d), f"{label}_diff": fmt(_diff(value, pub), d)})
        row.update({"cultures": "; ".join(cultures), "notes": _note(method, note, method_notes)})
        rows.append(row)
    measured = {METHOD_LABELS[meth] for _, meth in pairs}
    for model in dict.fromkeys(m for m, _ in pairs):
        backbone = backbone_of(models, model)
        for name in (n for n in NOT_REPRODUCED if n not in measured):
            row = {"model": model, "method": name, "published_backbone": backbone}
            for label in PAPER_COLUMNS:
                d = TABLE2_DIGITS.get(label, digits)
                row.update({label: "", f"{label}_published": fmt(published.get(("2", backbone, name, label)), d),
                            f"{label}_diff": ""})
            rows.append({**row, "cultures": "", "notes": NOT_REPRODUCED_NOTES.get(name, NOT_REPRODUCED_NOTE)})
    return rows


def per_culture_table(benchmark: str, scores: dict, models: dict, published: dict, cultures: list[str],
                      note: str, digits: int = 2, method_notes: dict | None = None) -> list[dict]:
    """Tables 3-6: one row per (model, method), the Average over the cultures run and each culture."""
    table = BENCHMARK_TABLES[benchmark]
    digits = PER_CULTURE_DIGITS.get(benchmark, digits)
    rows = []
    for (model, method, bench), data in scores.items():
        if bench != benchmark:
            continue
        backbone = backbone_of(models, model)
        label = PER_CULTURE_LABELS[method]
        per = data["cultures"]
        values = [per[c]["score"] for c in cultures if c in per and per[c]["score"] is not None]
        average = sum(values) / len(values) if values else None
        row = {"model": model, "method": METHOD_LABELS[method], "published_backbone": backbone,
               "Average": fmt(average, digits),
               "Average_published": fmt(published.get((table, backbone, label, "Average")), digits)}
        for c in cultures:
            value = per.get(c, {}).get("score")
            pub = published.get((table, backbone, label, c))
            row.update({c: fmt(value, digits), f"{c}_published": fmt(pub, digits), f"{c}_n": per.get(c, {}).get("n", "")})
            if benchmark in PER_CULTURE_DIGITS:  # judged 1-5: the answers whose rating was invalid, counted
                row[f"{c}_invalid"] = per.get(c, {}).get("counts", {}).get("invalid", "")
        row["notes"] = _note(method, note, method_notes)
        rows.append(row)
    return rows
