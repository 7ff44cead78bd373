"""The paper's tables as CSV files, each reproduced number next to the published one."""

from __future__ import annotations

import csv
import math
from pathlib import Path

from scipy import stats

from .methods import get_method
from .scoring import CountryScore, summarise

# CNCA reports only the p-values (0.021, 0.003; "The corresponding p-values from the t-tests"). The
# seeds of one country share its norms and questions, so they are not independent samples: the
# default pairs the 18 countries, each the mean over seeds; `country-seed` pairs every (country, seed).
PAIRED_TESTS = {
    "country": "paired t-test (scipy.stats.ttest_rel, two-sided) over countries (each the mean over seeds) vs Vanilla",
    "country-seed": "paired t-test (scipy.stats.ttest_rel, two-sided) over (country, seed) scores vs Vanilla",
}
# CNCA says its WVS data (CultureSPA's) "contains 261 samples"; the data source's own code leaves out
# Q223 and Q260-Q290 and keeps 259, which is what the published numbers of both papers were computed on.
QUESTIONS_NOTE = ("WVS: 259 questions (Q223 and Q260-Q290 excluded, as in the data source's code, "
                  "CultureSPA utils.py; the CNCA paper says 261 samples)")


def read_country_scores(path: str | Path) -> list[CountryScore]:
    with open(path, newline="") as handle:
        return [
            CountryScore(int(r["seed"]), r["country"], int(r["n_valid"]), int(r["n_invalid"]),
                         int(r["n_no_truth"]), float(r["score"]) if r["score"] != "" else math.nan,
                         int(r.get("n_norms_missing") or 0), int(r.get("n_unclosed_think") or 0))
            for r in csv.DictReader(handle)
        ]


def write_country_scores(path: str | Path, scores: list[CountryScore]) -> None:
    fields = ["seed", "country", "n_valid", "n_invalid", "n_no_truth", "score", "n_norms_missing", "n_unclosed_think"]
    with open(path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for s in scores:
            row = s.as_dict()
            row["score"] = "" if row["score"] is None else f"{row['score']:.4f}"
            writer.writerow(row)


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
    return diff, float(stats.ttest_rel(x, y).pvalue)


def _fmt(value, digits=2):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{value:.{digits}f}"


def alignment_table(score_files: dict[tuple[str, str], str], models: dict[str, dict], published_csv: str,
                    table: str, out: str | Path, baseline: str = "vanilla", test: str = "country") -> list[dict]:
    """One row per (model, method) in the given order: score (mean over seeds of the mean over
    countries), std over seeds, difference and paired test against `baseline`, invalid rate,
    countries, seeds, and the published value with the difference where the paper has one."""
    published = read_published(published_csv)
    published_p = read_published(published_csv, "p_value")
    scores = {key: read_country_scores(path) for key, path in score_files.items()}
    rows = []
    for (model, method), per_country in scores.items():
        summary = summarise(per_country)
        label = get_method(method).label
        paper_label = models[model].get("paper_label")
        pub = published.get((table, paper_label, label)) if paper_label else None
        pub_p = published_p.get((table, paper_label, label)) if paper_label else None
        diff, p = (math.nan, math.nan)
        if method != baseline and (model, baseline) in scores:
            diff, p = paired_test(per_country, scores[(model, baseline)], test)
        rows.append({
            "model": model,
            "model_name": models[model].get("name", model),
            "method": label,
            "score": _fmt(summary["score"]),
            "std_over_seeds": _fmt(summary["std"]),
            "diff_vs_vanilla": _fmt(diff) if method != baseline else "",
            "p_value_vs_vanilla": _fmt(p, 4) if method != baseline else "",
            "published_p_value": _fmt(pub_p, 3),
            "test": PAIRED_TESTS[test] if method != baseline else "",
            "invalid_rate": _fmt(summary["invalid_rate"], 4),
            "n_valid": summary["n_valid"],
            "n_invalid": summary["n_invalid"],
            "n_norms_missing": sum(s.n_norms_missing for s in per_country),
            "countries": " ".join(sorted({s.country for s in per_country})),
            "countries_without_score": " ".join(summary["countries_without_score"]),
            "seeds": " ".join(str(s) for s in sorted({s.seed for s in per_country})),
            "published": _fmt(pub),
            "diff_vs_published": _fmt(summary["score"] - pub) if pub is not None else "",
            "notes": QUESTIONS_NOTE,
        })
    _write_csv(out, rows)
    return rows


def reasoning_table(score_files: dict[tuple[str, str], str], models: dict[str, dict], published_csv: str,
                    out: str | Path, miners: dict[str, str], test: str = "country") -> list[dict]:
    """CNCA Table 7: each model without and with CNCA-TQ (TA) norms (mined by `miners[model]`)."""
    published = read_published(published_csv)
    rows = []
    for model in dict.fromkeys(m for m, _ in score_files):
        vanilla = summarise(read_country_scores(score_files[(model, "vanilla")]))["score"]
        ta_scores = read_country_scores(score_files[(model, "cnca-tq-ta")])
        ta = summarise(ta_scores)["score"]
        label = models[model].get("paper_label")
        pub_v = published.get(("7", label, "Vanilla")) if label else None
        pub_ta = published.get(("7", label, "CNCA-TQ (TA)")) if label else None
        diff, p = paired_test(ta_scores, read_country_scores(score_files[(model, "vanilla")]), test)
        rows.append({
            "model": model, "model_name": models[model].get("name", model),
            "reasoning": "yes" if models[model].get("reasoning") else "no", "miner": miners[model],
            "vanilla": _fmt(vanilla), "cnca_tq_ta": _fmt(ta), "gain": _fmt(ta - vanilla),
            "p_value": _fmt(p, 4), "test": PAIRED_TESTS[test],
            "published_vanilla": _fmt(pub_v), "published_cnca_tq_ta": _fmt(pub_ta),
            "diff_vs_published_vanilla": _fmt(vanilla - pub_v) if pub_v is not None else "",
            "diff_vs_published_cnca_tq_ta": _fmt(ta - pub_ta) if pub_ta is not None else "",
        })
    _write_csv(out, rows)
    return rows


def _write_csv(out, rows: list[dict]) -> None:
    with open(out, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def norms_markdown(norms: dict, topic_id: int, model_name: str) -> str:
    """CNCA Table 1: the mined low-level norms and the high-level norm of one (country, topic)."""
    from .wvs import COUNTRY_NAMES

    topic = norms["topics"][str(topic_id)]
    lines = [f"# Table 1: cultural norms of {COUNTRY_NAMES[norms['country']]} ({norms['country']}) on "
             f"\"{topic['name']}\"", "",
             f"Mined by {model_name} (`{norms['miner']}`) with `{norms['mining']}`; seed "
             f"{norms['sampling']['seed']}, temperature {norms['sampling']['temperature']}.", "",
             "| level | training question | norm |", "| --- | --- | --- |"]
    for i, item in enumerate(topic["low_level"], start=1):
        text = item["norm"] or f"*(no usable norm: {item['status']})*"
        lines.append(f"| low-level {i} | {item['qid'] or '-'} | {text.replace('|', '/')} |")
    if norms["mining"] != "t":  # CNCA-T has no high-level norm (Figure 2 a)
        high = topic["high_level"] or {}
        lines.append(f"| high-level | - | {(high.get('norm') or '*(no usable norm)*').replace('|', '/')} |")
    return "\n".join(lines) + "\n"


def cdeval_table(score_files: dict[tuple[str, str], str], models: dict[str, dict], published_csv: str,
                 out: str | Path) -> list[dict]:
    """CNCA Table 5: CDEval alignment per Hofstede dimension and the average (eqs. 4 and 5), each
    reproduced value beside the published one."""
    import json

    from .cdeval import DIMENSIONS

    with open(published_csv, newline="") as handle:
        published = {(r["model"], r["method"]): r for r in csv.DictReader(handle)}
    rows = []
    for (model, method), path in score_files.items():
        result = json.loads(Path(path).read_text(encoding="utf-8"))
        label = get_method(method).label
        pub = published.get((models[model].get("paper_label"), label), {})
        row = {"model": model, "model_name": models[model].get("name", model), "method": label}
        for dim in DIMENSIONS:
            row[dim] = _fmt(result["dimensions"][dim])
        row["avg"] = _fmt(result["average"])
        row.update({"n": result["n"], "n_invalid": result["n_invalid"],
                    "countries": " ".join(sorted({k.split("/")[0] for k in result["per_country_dimension"]})),
                    "threshold": result["threshold"]})
        for dim in (*DIMENSIONS, "avg"):
            row[f"published_{dim}"] = pub.get(dim, "")
        row["diff_vs_published_avg"] = _fmt(result["average"] - float(pub["avg"])) if pub else ""
        rows.append(row)
    _write_csv(out, rows)
    return rows


def answers_markdown(question: dict, country: str, answers: list[tuple[str, dict]]) -> str:
    """CNCA Table 6: one WVS question answered by several models, each with its reasoning."""
    from .parsing import parse_answer
    from .wvs import COUNTRY_NAMES

    truth = question["ground_truth"].get(country)
    options = " ".join(f"{o['id']}.{o['text']}" for o in question["options"])
    lines = [f"# Table 6: answers to {question['qid']} as a person from {COUNTRY_NAMES[country]} ({country})", "",
             f"**Question:** {question['question']}", "", f"**Options:** {options}", "",
             f"**Survey majority answer (ground truth):** {truth}", "",
             "| method | model | answer | matches ground truth | response (reasoning and answer) |",
             "| --- | --- | --- | --- | --- |"]
    for label, rec in answers:
        parsed = parse_answer(rec["response"], [o["id"] for o in question["options"]], bool(rec.get("reasoning")))
        text = rec["response"].strip().replace("|", "/").replace("\n", "<br>") or "*(empty)*"
        lines.append(f"| {label} | {rec['model']} | {parsed.answer if parsed.valid else 'invalid'} | "
                     f"{'yes' if parsed.valid and parsed.answer == truth else 'no'} | {text} |")
    return "\n".join(lines) + "\n"
