"""A judge model (CultureSPA Table 1; CAReDiO's response quality; CAReDiO's data generator): either a model of the `models`
registry, run locally through the engine, or an OpenAI-compatible endpoint of `endpoints`, reached
with the official `openai` client. The endpoint's key is read from the environment variable the
config names (`api_key_env`) at call time; it is never written to a record, a log or an output:
`describe` gives what a lineage record may show (base URL, model, the variable's name).
"""

from __future__ import annotations

import os

from .engine import Sampling, load_engine


class JudgeError(RuntimeError):
    pass


def kind(judge: str, models: dict, endpoints: dict) -> str:
    """`engine` (a key of models) or `endpoint` (a key of endpoints); the error names the key."""
    if judge in models:
        return "engine"
    if judge in endpoints:
        return "endpoint"
    raise JudgeError(f"judge {judge!r} is neither a key of `models` ({sorted(models)}) nor of `endpoints` "
                     f"({sorted(endpoints)})")


def describe(judge: str, models: dict, endpoints: dict) -> dict:
    """The judge as a record may show it (no key)."""
    if kind(judge, models, endpoints) == "engine":
        return {"judge": judge, "kind": "engine", "name": models[judge].get("name", judge)}
    e = endpoints[judge]
    return {"judge": judge, "kind": "endpoint", "base_url": e["base_url"], "model": e["model"],
            "api_key_env": e.get("api_key_env")}


def endpoint_client(endpoint: dict):
    """An `openai.OpenAI` client for `endpoint` ({base_url, model, api_key_env, timeout, max_retries})."""
    from openai import OpenAI

    name = endpoint.get("api_key_env")
    key = os.environ.get(name) if name else None
    if name and not key:
        raise JudgeError(f"environment variable {name} (endpoints: api_key_env) is not set: the endpoint "
                         f"{endpoint['base_url']} needs its key")
    # Local servers (transformers serve, vLLM's) take any key; the client insists on one.
    return OpenAI(base_url=endpoint["base_url"], api_key=key or "no-key",
                  timeout=endpoint.get("timeout", 120.0), max_retries=endpoint.get("max_retries", 2))


def complete_endpoint(conversations: list[list[dict]], endpoint: dict, sampling: Sampling) -> list[str]:
    """One chat completion per conversation (`sampling.seed` sent as the request's seed)."""
    client = endpoint_client(endpoint)
    out = []
    for conversation in conversations:
        response = client.chat.completions.create(
            model=endpoint["model"], messages=conversation, temperature=sampling.temperature,
            top_p=sampling.top_p, max_tokens=sampling.max_new_tokens, seed=sampling.seed)
        out.append(response.choices[0].message.content or "")
    return out


def completer(judge: str, *, models: dict, endpoints: dict, model_dir: str | None = None,
              engine_options: dict | None = None):
    """(complete, determinism): `complete(conversations, sampling)` gives one answer per
    conversation from the judge or generator `judge`; a local model is loaded once, for every call."""
    if kind(judge, models, endpoints) == "endpoint":
        return (lambda conversations, sampling: complete_endpoint(conversations, endpoints[judge], sampling),
                "not guaranteed: a remote endpoint's model and batching are outside this workflow")
    if model_dir is None:
        raise JudgeError(f"model {judge!r} runs locally: its weights directory is needed")
    engine = load_engine(models[judge]["backend"], model_dir, models[judge], **(engine_options or {}))
    return (lambda conversations, sampling: [s[0] for s in engine.generate(conversations, sampling)],
            engine.determinism())


def complete(conversations: list[list[dict]], *, judge: str, models: dict, endpoints: dict, sampling: Sampling,
             model_dir: str | None = None, engine_options: dict | None = None) -> tuple[list[str], str]:
    """(one answer per conversation, the determinism statement) from the judge."""
    run, determinism = completer(judge, models=models, endpoints=endpoints, model_dir=model_dir,
                                 engine_options=engine_options)
    return run(conversations, sampling), determinism
