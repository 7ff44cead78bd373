"""CAReDiO §4.1: its benchmarks asked of a model. GlobalOpinionQA and CulturalBench-Hard are read from
next-token log-probabilities (no text parsing): GlobalOpinionQA as lettered options (the model's
distribution is the softmax of the letters' log-probabilities), CulturalBench-Hard as four True/False
judgements per question (the more probable of "True" and "False"). CultureBank and Prism are answered
in free text (open_ended.py), rated later by the judge. The Role-Playing baseline and the
culture-specific adapters answer the same prompts; Role-Playing adds the culture's system prompt
(§4.2 (2))."""

from __future__ import annotations

import math
from pathlib import Path

from ...engine import Sampling
from ...prompts import chat
from . import open_ended
from .benchmarks import culturalbench_hard, globalopinion_items, opinion_score
from .grid import countries, slug
from .synthesis import TEMPLATES

GOQA_COLUMNS = ("question", "selections", "options")
CULTURALBENCH_COLUMNS = ("question_idx", "prompt_question", "prompt_option", "answer", "country")
TRUE_FALSE = ["True", "False"]


class BenchmarkError(ValueError):
    pass


COLUMNS = {"globalopinionqa": GOQA_COLUMNS, "culturalbench-hard": CULTURALBENCH_COLUMNS,
           "culturebank": open_ended.CULTUREBANK_COLUMNS, "prism": open_ended.PRISM_COLUMNS}


def read_rows(path: str | Path, required: tuple[str, ...], fmt: str | None = None) -> list[dict]:
    """The rows of a benchmark file as dicts: CSV, or `fmt` (default: the suffix) jsonl or parquet;
    missing columns stop with the file and the columns."""
    import pandas as pd

    path = Path(path)
    fmt = fmt or path.suffix.lstrip(".")
    if fmt == "parquet":
        frame = pd.read_parquet(path)
    elif fmt == "jsonl":
        frame = pd.read_json(path, lines=True, dtype=False)
    else:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise BenchmarkError(f"{path}: columns {missing} missing (has {list(frame.columns)})")
    return frame.to_dict("records")


def system_prompt(method: str, culture: str) -> str | None:
    return TEMPLATES.render("roleplay_system", culture=culture) if method == "role-play" else None


OWN = object()  # `system=OWN`: the CAReDiO method's own system prompt (system_prompt); else the one given


def _system(system, method: str, culture: str) -> str | None:
    return system_prompt(method, culture) if system is OWN else system


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
    """The culture's items under every one of its GlobalOpinionQA names (countries.csv), the first
    `limit` of them; counts (rows kept per name)."""
    items, counts = globalopinion_items(rows, names)
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


def predict_goqa(engine, rows: list[dict], names: list[str], method: str, culture: str, limit: int | None,
                 system=OWN) -> dict:
    items, counts = goqa_items(rows, names, limit)
    system = _system(system, method, culture)
    conversations = [goqa_conversation(it, system) for it in items]
    logprobs = engine.option_logprobs(conversations, [letters(len(it["options"])) for it in items]) if items else []
    records = []
    for it, lp in zip(items, logprobs):
        probs = softmax(lp)
        records.append({"question": it["question"], "options": it["options"], "reference": it["reference"],
                        "logprobs": lp, "probs": probs, "score": opinion_score(probs, it["reference"])})
    return {"benchmark": "globalopinionqa", "culture": culture, "counts": counts, "items": records}


def predict_culturalbench(engine, rows: list[dict], names: list[str], method: str, culture: str,
                          limit: int | None, held_out: set | None = None, system=OWN) -> dict:
    """`held_out`: question ids left out of the test set (the in-context variant's validation split,
    caredio.selection.in_context.held_out)."""
    mine = [r for r in culturalbench_rows(rows, names, None) if r["question_idx"] not in (held_out or set())]
    if limit is not None:  # the first `limit` questions left
        keep = list(dict.fromkeys(r["question_idx"] for r in mine))[:limit]
        mine = [r for r in mine if r["question_idx"] in set(keep)]
    system = _system(system, method, culture)
    logprobs = engine.option_logprobs([culturalbench_conversation(r, system) for r in mine],
                                      [TRUE_FALSE] * len(mine)) if mine else []
    records = [{"question_idx": r["question_idx"], "prompt_option": r["prompt_option"], "answer": r["answer"],
                "logprobs": lp, "judgement": lp[0] > lp[1]} for r, lp in zip(mine, logprobs)]
    judgements = {(r["question_idx"], r["prompt_option"]): r["judgement"] for r in records}
    return {"benchmark": "culturalbench-hard", "culture": culture,
            "counts": {"rows": len(rows), "culture_rows": len(mine), "held_out_questions": len(held_out or ())},
            "result": culturalbench_hard(mine, judgements), "items": records}


def predict_open_ended(engine, asked: dict[str, tuple[list[dict], dict]], method: str, culture: str,
                       sampling: Sampling, system=OWN) -> dict[str, dict]:
    """Free-text answers to the culture's items of each open-ended benchmark (`asked`: benchmark ->
    (items, counts)), in one engine call (greedy by default); the judge rates them in a later job."""
    system = _system(system, method, culture)
    flat = [(b, it) for b, (items, _) in asked.items() for it in items]
    conversations = [open_ended.answer_conversation(it["question"], system) for _, it in flat]
    answers = [a[0] for a in engine.generate(conversations, sampling)] if flat else []
    out = {b: {"benchmark": b, "culture": culture, "counts": counts, "sampling": sampling.as_dict(), "items": []}
           for b, (_, counts) in asked.items()}
    for (b, it), answer in zip(flat, answers):
        out[b]["items"].append({**it, "response": answer})
    return out


def score(prediction: dict, ratings: list | None = None) -> dict:
    """{score, n, counts}, in the papers' units: GlobalOpinionQA mean 1 - JSD x 100, CulturalBench-Hard
    accuracy x 100 (Tables 2-4 print percentages); CultureBank and Prism the mean of the judge's valid
    ratings 1-5 (`ratings`, one per item, None for an invalid answer; Tables 2, 5, 6)."""
    if prediction["benchmark"] in open_ended.OPEN_ENDED:
        if ratings is None or len(ratings) != len(prediction["items"]):
            raise BenchmarkError(f"{prediction['benchmark']} {prediction['culture']}: {len(prediction['items'])} "
                                 f"answers but {None if ratings is None else len(ratings)} ratings in the judgements "
                                 f"file (made from another prediction?)")
        result = open_ended.mean_rating(ratings)
        return {"score": result["score"], "n": result["n"], "counts": {**prediction["counts"], **result}}
    if prediction["benchmark"] == "globalopinionqa":
        scores = [it["score"] for it in prediction["items"]]
        # what reading nothing scores on the same items: every option equally likely
        uniform = [opinion_score([1.0] * len(it["reference"]), it["reference"]) for it in prediction["items"]]
        return {"score": 100 * sum(scores) / len(scores) if scores else None, "n": len(scores),
                "uniform_random": 100 * sum(uniform) / len(uniform) if uniform else None,
                "counts": prediction["counts"]}
    result = prediction["result"]
    acc = result["accuracy"]
    questions = result["questions"]
    # a fair coin for each of a question's four True/False rows gets it right with probability 1/16
    uniform = 100 * 0.5 ** 4 * (questions - result.get("incomplete", 0)) / questions if questions else None
    return {"score": None if acc is None else 100 * acc, "n": questions, "uniform_random": uniform, "counts": result}


def predict_all(engine_for, data: dict[str, str], cultures: list[str], method: str, limit: int | None,
                adapters: dict[str, str | None], open_settings: dict | None = None,
                held_out: dict[str, set] | None = None, system_for=None) -> tuple[dict, str]:
    """Every benchmark for every culture: `engine_for(adapter)` gives the model with the culture's
    adapter (`adapters`: culture slug -> adapter or None; engine.EngineByAdapter builds it once per
    adapter). `open_settings` (config caredio.evaluation.open_ended) governs CultureBank and Prism.
    `system_for(culture)`: the system prompt (None: none) of a method that is not CAReDiO's (the
    leaderboard asks other papers' methods); default: the CAReDiO method's own.
    Returns ({benchmarks: {name: {culture: prediction}}, adapters: {culture: adapter}}, determinism)."""
    rows = {b: read_rows(path, COLUMNS[b]) for b, path in data.items()}
    shared: dict[str, tuple[list[dict], dict]] = {}
    if "culturebank" in data:
        cb = open_settings["culturebank"]
        shared["culturebank"] = (open_ended.culturebank_test(rows["culturebank"], cb["test_fraction"], cb["seed"]), {})
    if "prism" in data:
        pr = open_settings["prism"]
        shared["prism"] = open_ended.prism_items(rows["prism"], pr["conversation_types"], pr["size"], pr["seed"])
    out: dict[str, dict] = {b: {} for b in data}
    used, determinism = {}, None
    for culture in cultures:
        used[culture] = adapters.get(slug(culture))
        engine = engine_for(used[culture])
        names = countries()[culture]
        system = OWN if system_for is None else system_for(culture)
        if "globalopinionqa" in data:
            out["globalopinionqa"][culture] = predict_goqa(engine, rows["globalopinionqa"], names["globalopinionqa"],
                                                           method, culture, limit, system)
        if "culturalbench-hard" in data:
            out["culturalbench-hard"][culture] = predict_culturalbench(
                engine, rows["culturalbench-hard"], names["culturalbench"], method, culture, limit,
                (held_out or {}).get(culture), system)
        if shared:
            o = open_settings
            own = limit if o["per_culture"] is None else o["per_culture"]
            asked = {}
            if "culturebank" in shared:
                asked["culturebank"] = open_ended.culturebank_items(shared["culturebank"][0], names["culturebank"], own)
            if "prism" in shared:
                items, counts = shared["prism"]
                items = items[:own] if own is not None else items
                asked["prism"] = (items, {**counts, "asked": len(items)})
            sampling = Sampling(temperature=o["temperature"], top_p=1.0, max_new_tokens=o["max_new_tokens"],
                                seed=o["seed"])
            for b, prediction in predict_open_ended(engine, asked, method, culture, sampling, system).items():
                out[b][culture] = prediction
        determinism = engine.determinism()
        engine = None  # the next culture's adapter may need a new model: no reference kept to this one
    return {"benchmarks": out, "adapters": used}, determinism
