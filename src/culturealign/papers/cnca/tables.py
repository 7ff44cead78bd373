"""CNCA's tables as CSV and Markdown files, each reproduced number next to the published one:
Table 3 and 4 (alignment per method), Table 7 (reasoning vs not), Table 1 (norms), Table 5 (CDEval),
Table 6 (one question, several models)."""

from __future__ import annotations

import csv
import math
from pathlib import Path

from ...registry import get_method
from .norms import NORM_METHODS
from ...scoring import summarise
from ...tables import PAIRED_TESTS, fmt, paired_test, read_country_scores, read_published, write_csv

# CNCA says its WVS data (CultureSPA's) "contains 261 samples"; the data source's own code leaves out
# Q223 and Q260-Q290 and keeps 259, which is what the published numbers of both papers were computed on.
QUESTIONS_NOTE = ("WVS: 259 questions (Q223 and Q260-Q290 excluded, as in the data source's code, "
                  "CultureSPA utils.py; the CNCA paper says 261 samples)")


NORMS_NOTES = {False: "norms mined once (norms.seed) and shared by every run",
               True: "norms mined again for every run with its seed (norms.per_seed)"}


def alignment_table(score_files: dict[tuple[str, str], str], models: dict[str, dict], published_csv: str,
                    table: str, out: str | Path, baseline: str = "vanilla", test: str = "country",
                    norms_per_seed: bool = False) -> list[dict]:
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
            "score": fmt(summary["score"]),
            "std_over_seeds": fmt(summary["std"]),
            "diff_vs_vanilla": fmt(diff) if method != baseline else "",
            "p_value_vs_vanilla": fmt(p, 4) if method != baseline else "",
            "published_p_value": fmt(pub_p, 3),
            "test": PAIRED_TESTS[test] if method != baseline else "",
            "invalid_rate": fmt(summary["invalid_rate"], 4),
            "strict_share": fmt(summary["strict_share"], 4),
            "lenient_share": fmt(summary["lenient_share"], 4),
            "first_option_score": fmt(summary["first_option"]),
            "uniform_random_score": fmt(summary["uniform_random"]),
            "n_valid": summary["n_valid"],
            "n_invalid": summary["n_invalid"],
            "n_norms_missing": sum(s.n_norms_missing for s in per_country),
            "countries": " ".join(sorted({s.country for s in per_country})),
            "countries_without_score": " ".join(summary["countries_without_score"]),
            "seeds": " ".join(str(s) for s in sorted({s.seed for s in per_country})),
            "published": fmt(pub),
            "diff_vs_published": fmt(summary["score"] - pub) if pub is not None else "",
            "notes": QUESTIONS_NOTE + ("; " + NORMS_NOTES[norms_per_seed] if method in NORM_METHODS else ""),
        })
    write_csv(out, rows)
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
            "vanilla": fmt(vanilla), "cnca_tq_ta": fmt(ta), "gain": fmt(ta - vanilla),
            "p_value": fmt(p, 4), "test": PAIRED_TESTS[test],
            "published_vanilla": fmt(pub_v), "published_cnca_tq_ta": fmt(pub_ta),
            "diff_vs_published_vanilla": fmt(vanilla - pub_v) if pub_v is not None else "",
            "diff_vs_published_cnca_tq_ta": fmt(ta - pub_ta) if pub_ta is not None else "",
        })
    write_csv(out, rows)
    return rows


def norms_markdown(norms: dict, topic_id: int, model_name: str) -> str:
    """CNCA Table 1: the mined low-level norms and the high-level norm of one (country, topic)."""
    from ...wvs import COUNTRY_NAMES

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
            row[dim] = fmt(result["dimensions"][dim])
        row["avg"] = fmt(result["average"])
        row.update({"n": result["n"], "n_invalid": result["n_invalid"],
                    "countries": " ".join(sorted({k.split("/")[0] for k in result["per_country_dimension"]})),
                    "threshold": result["threshold"]})
        for dim in (*DIMENSIONS, "avg"):
            row[f"published_{dim}"] = pub.get(dim, "")
        row["diff_vs_published_avg"] = fmt(result["average"] - float(pub["avg"])) if pub else ""
        rows.append(row)
    write_csv(out, rows)
    return rows


def answers_markdown(question: dict, country: str, answers: list[tuple[str, dict]]) -> str:
    """CNCA Table 6: one WVS question answered by several models, each with its reasoning."""
    from ...parsing import parse_answer
    from ...wvs import COUNTRY_NAMES

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
