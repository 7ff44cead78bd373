"""CAReDiO §4.1: its benchmarks asked of a model, read from next-token log-probabilities (no text
parsing): GlobalOpinionQA as lettered options (the model's distribution is the softmax of the letters'
log-probabilities), CulturalBench-Hard as four True/False judgements per question (the more probable
of "True" and "False"). The Role-Playing baseline and the culture-specific adapters answer the same
prompts; Role-Playing adds the culture's system prompt (§4.2 (2))."""

from __future__ import annotations

import math
from pathlib import Path

from ...prompts import chat
from .benchmarks import culturalbench_hard, globalopinion_items, opinion_score
from .grid import countries, slug
from .synthesis import TEMPLATES

GOQA_COLUMNS = ("question", "selections", "options")
CULTURALBENCH_COLUMNS = ("question_idx", "prompt_question", "prompt_option", "answer", "country")
TRUE_FALSE = ["True", "False"]


class BenchmarkError(ValueError):
    pass


def read_rows(path: str | Path, required: tuple[str, ...]) -> list[dict]:
    """The rows of a benchmark file (CSV, or Parquet by suffix) as dicts; missing columns stop with
    the file and the columns."""
    import pandas as pd

    path = Path(path)
    frame = pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise BenchmarkError(f"{path}: columns {missing} missing (has {list(frame.columns)})")
    return frame.to_dict("records")


def system_prompt(method: str, culture: str) -> str | None:
    return TEMPLATES.render("roleplay_system", culture=culture) if method == "role-play" else None


def letters(n: int) -> list[str]:
    if n > 26:
        raise BenchmarkError(f"{n} options: more than the letters A-Z")
    return [chr(ord("A") + i) for i in range(n)]


def goqa_conversation(item: dict, system: str | None) -> list[dict]:
    options = "\n".join(f"{letter}. {text}" for letter, text in zip(letters(len(item["options"])), item["options"]))
    return chat(system, TEMPLATES.render("globalopinionqa", question=item["question"], options=options))


def softmax(logprobs: list[float]) -> list[float]:
    top = max(logprobs)
    weights = [math.exp(x - top) for x in logprobs]
    total = sum(weights)
    return [w / total for w in weights]


def goqa_items(rows: list[dict], names: list[str], limit: int | None) -> tuple[list[dict], dict]:
    """The culture's items under the first of its GlobalOpinionQA names that has data; counts."""
    items, counts, used = [], {"rows": len(rows), "kept": 0}, None
    for name in names:
        items, counts = globalopinion_items(rows, name)
        if items:
            used = name
            break
    counts = {**counts, "name": used}
    if limit is not None:
        items = items[:limit]
    return items, {**counts, "asked": len(items)}


def culturalbench_rows(rows: list[dict], names: list[str], limit: int | None) -> list[dict]:
    """The culture's rows (country in `names`), the first `limit` questions (by question_idx order)."""
    mine = [r for r in rows if str(r["country"]).strip() in names]
    order: list = []
    for r in mine:
        if r["question_idx"] not in order:
            order.append(r["question_idx"])
    keep = set(order if limit is None else order[:limit])
    return [r for r in mine if r["question_idx"] in keep]


def culturalbench_conversation(row: dict, system: str | None) -> list[dict]:
    return chat(system, TEMPLATES.render("culturalbench", question=row["prompt_question"], option=row["prompt_option"]))


def predict_goqa(engine, rows: list[dict], names: list[str], method: str, culture: str, limit: int | None) -> dict:
    items, counts = goqa_items(rows, names, limit)
    system = system_prompt(method, culture)
    conversations = [goqa_conversation(it, system) for it in items]
    logprobs = engine.option_logprobs(conversations, [letters(len(it["options"])) for it in items]) if items else []
    records = []
    for it, lp in zip(items, logprobs):
        probs = softmax(lp)
        records.append({"question": it["question"], "options": it["options"], "reference": it["reference"],
                        "logprobs": lp, "probs": probs, "score": opinion_score(probs, it["reference"])})
    return {"benchmark": "globalopinionqa", "culture": culture, "counts": counts, "items": records}


def predict_culturalbench(engine, rows: list[dict], names: list[str], method: str, culture: str,
                          limit: int | None) -> dict:
    mine = culturalbench_rows(rows, names, limit)
    system = system_prompt(method, culture)
    logprobs = engine.option_logprobs([culturalbench_conversation(r, system) for r in mine],
                                      [TRUE_FALSE] * len(mine)) if mine else []
    records = [{"question_idx": r["question_idx"], "prompt_option": r["prompt_option"], "answer": r["answer"],
                "logprobs": lp, "judgement": lp[0] > lp[1]} for r, lp in zip(mine, logprobs)]
    judgements = {(r["question_idx"], r["prompt_option"]): r["judgement"] for r in records}
    return {"benchmark": "culturalbench-hard", "culture": culture,
            "counts": {"rows": len(rows), "culture_rows": len(mine)},
            "result": culturalbench_hard(mine, judgements), "items": records}


def score(prediction: dict) -> dict:
    """{score (GlobalOpinionQA: mean 1 - JSD x 100; CulturalBench-Hard: accuracy x 100), n, counts},
    in the papers' units (Tables 2-4 print percentages)."""
    if prediction["benchmark"] == "globalopinionqa":
        scores = [it["score"] for it in prediction["items"]]
        return {"score": 100 * sum(scores) / len(scores) if scores else None, "n": len(scores),
                "counts": prediction["counts"]}
    result = prediction["result"]
    acc = result["accuracy"]
    return {"score": None if acc is None else 100 * acc, "n": result["questions"], "counts": result}


def predict_all(engine_for, data: dict[str, str], cultures: list[str], method: str, limit: int | None,
                adapters: dict[str, str | None]) -> tuple[dict, str]:
    """Every benchmark for every culture: `engine_for(adapter)` gives the model with the culture's
    adapter (`adapters`: culture slug -> adapter or None; engine.EngineByAdapter builds it once per
    adapter). Returns ({benchmarks: {name: {culture: prediction}}, adapters: {culture: adapter}}, determinism)."""
    readers = {"globalopinionqa": (GOQA_COLUMNS, predict_goqa),
               "culturalbench-hard": (CULTURALBENCH_COLUMNS, predict_culturalbench)}
    rows = {b: read_rows(path, readers[b][0]) for b, path in data.items()}
    out: dict[str, dict] = {b: {} for b in data}
    used, determinism = {}, None
    for culture in cultures:
        used[culture] = adapters.get(slug(culture))
        engine = engine_for(used[culture])
        names = countries()[culture]
        for b in data:
            column = "globalopinionqa" if b == "globalopinionqa" else "culturalbench"
            out[b][culture] = readers[b][1](engine, rows[b], names[column], method, culture, limit)
        determinism = engine.determinism()
        engine = None  # the next culture's adapter may need a new model: no reference kept to this one
    return {"benchmarks": out, "adapters": used}, determinism
