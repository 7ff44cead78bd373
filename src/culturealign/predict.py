"""Predictions of one (model, method, country, seed): build the prompts with the registered method,
run the engine once over all of them (batched), parse, and write one JSON line per (question,
sample), atomically. Shared by every paper that asks survey questions."""

from __future__ import annotations

import time
from pathlib import Path

from .engine import Sampling, load_engine
from .io import write_jsonl
from .parsing import get_parser
from .prompts import chat
from .registry import MethodContext, get_method
from .wvs import as_question


def build_conversations(method: str, country: str | None, ctx: MethodContext, qids: list[str]) -> list[list[dict]]:
    """The chat of each question: the method's system prompt for the country (if any), then its message."""
    entry = get_method(method)
    system = entry.system(country, ctx)
    return [chat(system, entry.build(as_question(ctx.questions[qid]), country, ctx)) for qid in qids]


def predict(*, model: str, spec: dict, model_dir: str, method: str, country: str | None, seed: int,
            ctx: MethodContext, qids: list[str], sampling: dict, engine_options: dict,
            out: str | Path, adapter: str | None = None, max_new_tokens: int | None = None,
            parser: str = "option") -> dict:
    """`country` None: a country-free method (CultureSPA's culture-unaware prompt), whose records carry
    no country and no ground truth; its scorer pairs them with each country. `parser`: the answer rule
    the records' `answer` field shows (parsing.PARSERS; the scorer parses again)."""
    parse = get_parser(parser)
    conversations = build_conversations(method, country, ctx, qids)
    params = Sampling(temperature=sampling["temperature"], top_p=sampling.get("top_p", 1.0),
                      n=sampling.get("n", 1), seed=seed,
                      max_new_tokens=max_new_tokens or spec["max_new_tokens"])
    engine = load_engine(spec["backend"], model_dir, spec, adapter=adapter, **engine_options)
    started = time.time()
    outputs = engine.generate(conversations, params)
    elapsed = time.time() - started
    record_fields = get_method(method).record_fields
    reasoning = bool(spec.get("reasoning"))
    records = []
    for qid, conversation, samples in zip(qids, conversations, outputs):
        q = ctx.questions[qid]
        extra = record_fields(ctx, q, country) if record_fields else {}
        for sample, text in enumerate(samples):
            parsed = parse(text, [o["id"] for o in q["options"]], reasoning)
            records.append({
                "model": model, "method": method, "country": country, "seed": seed, "qid": qid,
                "sample": sample, "messages": conversation, "response": text, "answer": parsed.answer,
                "parse": parsed.how, "invalid_reason": parsed.reason, "reasoning": reasoning,
                "ground_truth": q["ground_truth"].get(country) if country else None, "adapter": adapter, **extra,
            })
    write_jsonl(out, records)
    return {"prompts": len(conversations), "seconds": round(elapsed, 3), "sampling": params.as_dict(),
            "determinism": engine.determinism(), "adapter": adapter}
