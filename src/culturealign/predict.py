"""Predictions of one (model, method, seed) for one country or several: build the prompts with the
registered method, run the engine over each country's prompts (batched), parse, and write one JSON
line per (country, question, sample), atomically. Shared by every paper that asks survey questions."""

from __future__ import annotations

import time
from pathlib import Path

from .engine import EngineByAdapter, Sampling
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
    return predict_countries(model=model, spec=spec, model_dir=model_dir, method=method, countries=[country],
                             adapters={country: adapter}, seed=seed, ctx=ctx, qids=qids, sampling=sampling,
                             engine_options=engine_options, out=out, max_new_tokens=max_new_tokens, parser=parser)


def predict_countries(*, model: str, spec: dict, model_dir: str, method: str, countries: list[str | None],
                      seed: int, ctx: MethodContext | dict, qids: list[str], sampling: dict, engine_options: dict,
                      out: str | Path | dict, adapters: dict | None = None, max_new_tokens: int | None = None,
                      parser: str = "option") -> dict:
    """`predict` for several countries in one job: the engine is built once per adapter (`adapters`:
    country -> adapter directory or None; missing: the base model) and each country's questions are one
    engine call with the same seed, so a country's answers do not depend on which other countries the
    job holds (a per-country job gave the same text). `out`: one file for all, or {country: file};
    `ctx`: one context for all, or {country: context} (each country's norms)."""
    parse = get_parser(parser)
    adapters = adapters or {}
    if None in countries and adapters and None not in adapters:  # {None: adapter} is its own adapter
        raise ValueError(f"a country-free prediction (culture-unaware) was given per-country adapters {adapters}")
    params = Sampling(temperature=sampling["temperature"], top_p=sampling.get("top_p", 1.0),
                      top_k=sampling.get("top_k", 0), n=sampling.get("n", 1), seed=seed,
                      max_new_tokens=max_new_tokens or spec["max_new_tokens"])
    engine_for = EngineByAdapter(spec["backend"], model_dir, spec, adapters=list(adapters.values()), **engine_options)
    record_fields = get_method(method).record_fields
    reasoning = bool(spec.get("reasoning"))
    records, seconds, prompts = [], {}, 0
    per_country: dict = {}
    for country in countries:
        adapter = adapters.get(country)
        ctx_c = ctx[country] if isinstance(ctx, dict) else ctx
        conversations = build_conversations(method, country, ctx_c, qids)
        started = time.time()
        outputs = engine_for(adapter).generate(conversations, params)  # no reference kept across countries
        seconds[country or "-"] = round(time.time() - started, 3)
        prompts += len(conversations)
        for qid, conversation, samples in zip(qids, conversations, outputs):
            q = ctx_c.questions[qid]
            extra = record_fields(ctx_c, q, country) if record_fields else {}
            for sample, text in enumerate(samples):
                parsed = parse(text, [o["id"] for o in q["options"]], reasoning)
                records.append({
                    "model": model, "method": method, "country": country, "seed": seed, "qid": qid,
                    "sample": sample, "messages": conversation, "response": text, "answer": parsed.answer,
                    "parse": parsed.how, "invalid_reason": parsed.reason, "reasoning": reasoning,
                    "ground_truth": q["ground_truth"].get(country) if country else None, "adapter": adapter,
                    **extra,
                })
        per_country[country] = records
        records = []
    if isinstance(out, dict):
        for country in countries:  # every file written after every country answered: a failed job leaves none
            write_jsonl(out[country], per_country[country])
    else:
        write_jsonl(out, [r for country in countries for r in per_country[country]])
    return {"prompts": prompts, "seconds": round(sum(seconds.values()), 3), "seconds_per_country": seconds,
            "engine_loads": engine_for.loads, "sampling": params.as_dict(),
            "determinism": engine_for.engine.determinism(),
            "adapters": {c or "-": adapters.get(c) for c in countries}}
