"""Predictions of one (model, method, country, seed): build the prompts, run the engine once over
all of them (batched), parse, and write one JSON line per (question, sample), atomically."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from .engine import Sampling, load_engine
from .methods import MethodContext, get_method
from .norms import norms_for_prompt
from .parsing import parse_answer
from .prompts import chat
from .wvs import as_question, evaluation_questions


def build_conversations(method: str, country: str, ctx: MethodContext, qids: list[str]):
    build = get_method(method).build
    return [chat(country, build(as_question(ctx.questions[qid]), country, ctx)) for qid in qids]


def norm_fields(ctx: MethodContext, question: dict) -> dict:
    """For norm methods: which norms were used, how many low-level ones, and whether any was missing."""
    norms = ctx.extras.get("norms")
    if norms is None:
        return {}
    _, _, n_low, missing = norms_for_prompt(norms, int(question["topic_id"]), ctx.extras.get("k", 5))
    return {"miner": norms["miner"], "mining": norms["mining"], "k": ctx.extras.get("k", 5),
            "n_low_level": n_low, "norms_missing": missing}


def write_jsonl_atomic(path: str | Path, records) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        for rec in records:
            handle.write(json.dumps(rec, ensure_ascii=False, sort_keys=True) + "\n")
    os.replace(tmp, path)


def predict(*, model: str, spec: dict, model_dir: str, method: str, country: str, seed: int,
            ctx: MethodContext, test_per_topic: int | None, sampling: dict, engine_options: dict,
            out: str | Path, topics=None, adapter: str | None = None, max_new_tokens: int | None = None) -> dict:
    qids = evaluation_questions(ctx.split, test_per_topic, topics)
    conversations = build_conversations(method, country, ctx, qids)
    params = Sampling(temperature=sampling["temperature"], top_p=sampling.get("top_p", 1.0),
                      n=sampling.get("n", 1), seed=seed,
                      max_new_tokens=max_new_tokens or spec["max_new_tokens"])
    engine = load_engine(spec["backend"], model_dir, spec, adapter=adapter, **engine_options)
    started = time.time()
    outputs = engine.generate(conversations, params)
    elapsed = time.time() - started
    records = []
    reasoning = bool(spec.get("reasoning"))
    for qid, conversation, samples in zip(qids, conversations, outputs):
        q = ctx.questions[qid]
        for k, text in enumerate(samples):
            parsed = parse_answer(text, [o["id"] for o in q["options"]], reasoning)
            records.append({
                "model": model, "method": method, "country": country, "seed": seed, "qid": qid,
                "sample": k, "messages": conversation, "response": text, "answer": parsed.answer,
                "parse": parsed.how, "invalid_reason": parsed.reason, "reasoning": reasoning,
                "ground_truth": q["ground_truth"][country], "adapter": adapter,
                **norm_fields(ctx, q),
            })
    write_jsonl_atomic(out, records)
    return {"prompts": len(conversations), "seconds": round(elapsed, 3), "sampling": params.as_dict(),
            "determinism": engine.determinism(), "adapter": adapter}
