"""CAReDiO's Tables 2-6 beside the published numbers (resources/paper/caredio-tables.csv): Table 2
averages each benchmark over the cultures run; Tables 3 (GlobalOpinionQA), 4 (CulturalBench-Hard),
5 (CultureBank) and 6 (Prism) give each culture. The published row is the one of the same backbone
(the model's `paper_label`) and method. Every other row the paper prints follows, with its published
numbers and a note saying why it has no measured one: the GPT models (proprietary, through their APIs),
the baselines whose training data this workflow does not build (CultureLLM, CulturePark, CultureBank),
and methods that are not in `caredio.evaluation.methods`."""

from __future__ import annotations

import csv

from ...tables import fmt
from .grid import BENCHMARK_LABELS, BENCHMARK_TABLES, METHOD_LABELS, PER_CULTURE_DIGITS, PER_CULTURE_LABELS, TABLE2_DIGITS

# Table 2's columns (a benchmark not evaluated leaves its cells empty beside the published number)
PAPER_COLUMNS = ("GlobalOpinionQA", "CultureBank", "Prism", "CulturalBench-Hard")
BENCHMARK_OF_LABEL = {label: name for name, label in BENCHMARK_LABELS.items()}
# A model without a `paper_label` (the embedded default) is set beside the paper's first backbone.
FALLBACK_BACKBONE = "Llama-3.1-8B-Instruct"
NOT_BUILT = ("CultureLLM", "CulturePark", "CultureBank")
NOT_BUILT_NOTE = "published only: its training data is not built by this workflow"
GPT_NOTE = "published only: a proprietary model through its API, not run by this workflow"
NOT_EVALUATED_NOTE = "published only: the method is not in caredio.evaluation.methods"
NOT_EVALUATED_NOTES = {"CultureSPA": "published only: the culturespa-data method (CultureSPA's data under CAReDiO's "
                                     "recipe) is not in caredio.evaluation.methods"}


UNIFORM = "Uniform random answerer"
UNIFORM_NOTE = ("reference, not a method: what reading nothing scores on the same items (GlobalOpinionQA: every "
                "option equally likely; CulturalBench-Hard: a fair coin for each True/False row, 1/16 per question)")


def _uniform(scores: dict, model: str, benchmark: str, culture: str):
    """The uniform random answerer's score on `model`'s items of `benchmark` for `culture` (the same
    items for every method of the model), or None."""
    for (m, _, b), data in scores.items():
        if (m, b) == (model, benchmark) and culture in data["cultures"]:
            return data["cultures"][culture].get("uniform_random")
    return None


def _mean(values):
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def published_only_note(row: str) -> str:
    if row.startswith("gpt-"):
        return GPT_NOTE
    return NOT_BUILT_NOTE if row in NOT_BUILT else NOT_EVALUATED_NOTES.get(row, NOT_EVALUATED_NOTE)


def published_rows(published: dict, table: str, backbone: str) -> list[str]:
    """The row labels the paper prints in `table` for `backbone` ("" for the GPT rows), in its order."""
    return list(dict.fromkeys(r for (t, b, r, _) in published if t == table and b == backbone))


def _published_only(published: dict, table: str, backbones: dict[str, str], measured: set, keys: list[str],
                    digits) -> list[dict]:
    """Every row of `table` the paper prints for the GPT models and for `backbones` ({model: backbone}),
    but for those `measured` ({(backbone, label)}): the measured rows' `keys`, each `<column>_published`
    filled with the printed number and the rest empty, and the reason in `notes`."""
    rows = []
    for model, backbone in [("", ""), *backbones.items()]:
        for label in published_rows(published, table, backbone):
            if (backbone, label) in measured:
                continue
            row = {key: "" for key in keys}
            for key in keys:
                if key.endswith("_published"):
                    column = key[: -len("_published")]
                    row[key] = fmt(published.get((table, backbone, label, column)), digits(column))
            rows.append({**row, "model": model, "method": label, "published_backbone": backbone,
                         "notes": published_only_note(label)})
    return rows


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
    backbones = {m: backbone_of(models, m) for m in dict.fromkeys(m for m, _ in pairs)}
    for model in backbones:
        reference = {key: "" for key in rows[0]} | {"model": model, "method": UNIFORM,
                                                    "published_backbone": backbones[model], "notes": UNIFORM_NOTE}
        for label in ("GlobalOpinionQA", "CulturalBench-Hard"):
            value = _mean(_uniform(scores, model, BENCHMARK_OF_LABEL[label], c) for c in cultures)
            reference[label] = fmt(value, TABLE2_DIGITS.get(label, digits))
        rows.append(reference)
    measured = {(backbones[m], METHOD_LABELS[meth]) for m, meth in pairs}
    keys = list(rows[0]) if rows else ["model", "method", "published_backbone",
                                       *(f"{c}{s}" for c in PAPER_COLUMNS for s in ("", "_published", "_diff")),
                                       "cultures", "notes"]
    return rows + _published_only(published, "2", backbones, measured, keys,
                                  lambda column: TABLE2_DIGITS.get(column, digits))


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
    backbones = {m: backbone_of(models, m) for m, _, b in scores if b == benchmark}
    if benchmark in ("globalopinionqa", "culturalbench-hard") and rows:
        for model in backbones:
            per = {c: _uniform(scores, model, benchmark, c) for c in cultures}
            rows.append({key: "" for key in rows[0]} | {c: fmt(v, digits) for c, v in per.items()} | {
                "model": model, "method": UNIFORM, "published_backbone": backbones[model],
                "Average": fmt(_mean(per.values()), digits), "notes": UNIFORM_NOTE})
    measured = {(backbones[m], PER_CULTURE_LABELS[meth]) for m, meth, b in scores if b == benchmark}
    keys = list(rows[0]) if rows else ["model", "method", "published_backbone", "Average", "Average_published",
                                       *(f"{c}{s}" for c in cultures for s in ("", "_published")), "notes"]
    return rows + _published_only(published, table, backbones, measured, keys, lambda _: digits)
