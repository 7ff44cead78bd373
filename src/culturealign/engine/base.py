"""The engine interface: a request is chat messages plus sampling parameters; the answer is the raw
text of each sample (reasoning models' `<think>` part included)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Callable, Protocol

Conversation = list[dict[str, str]]


def continues_answer(conversation: Conversation) -> bool:
    """A conversation that ends with an assistant message asks the engine to continue that message
    (an answer prefix, e.g. CultureSPA's optional generation prefill); the completion returned is
    the continuation only. Otherwise the model starts a new assistant turn."""
    return bool(conversation) and conversation[-1]["role"] == "assistant"


@dataclass(frozen=True)
class Sampling:
    # CNCA paper, experimental setup: "temperature to 0.6 and the maximum sequence length to 1024".
    temperature: float = 0.6
    max_new_tokens: int = 1024
    n: int = 1
    seed: int = 0
    top_p: float = 1.0
    # 0: no top-k filter. CultureSPA's reference sampled with transformers 4.x `generate`, whose default
    # top_k = 50 applies on top of temperature and top_p (its do_sample calls set no top_k).
    top_k: int = 0

    def __post_init__(self):
        if not 0.0 <= self.temperature <= 2.0:
            raise ValueError(f"sampling.temperature={self.temperature} is outside [0, 2]")
        if self.max_new_tokens < 1 or self.n < 1 or self.seed < 0 or self.top_k < 0:
            raise ValueError(f"invalid sampling parameters {asdict(self)}")

    def as_dict(self) -> dict:
        return asdict(self)


class Engine(Protocol):
    backend: str

    def generate(self, conversations: list[Conversation], sampling: Sampling) -> list[list[str]]:
        """For each conversation, `sampling.n` completions (raw text), in input order."""
        ...

    def determinism(self) -> str:
        """Whether the same call twice gives the same text (recorded with every prediction)."""
        ...

    def option_logprobs(self, conversations: list[Conversation], options: list[list[str]]) -> list[list[float]]:
        """For each conversation, the log-probability of each of its options (short strings such as
        "A" or "True") as the first token of the answer: the multiple-choice reading of CAReDiO's
        benchmarks. Each option is scored by its first token; options sharing a first token are an error."""
        ...


def option_token_ids(tokenizer, options: list[str]) -> list[int]:
    """The first token of each option as the answer's first token; distinct, or a ValueError naming them."""
    ids = [tokenizer.encode(o, add_special_tokens=False)[0] for o in options]
    if len(set(ids)) != len(ids):
        raise ValueError(f"options {options} do not start with distinct tokens: {ids}")
    return ids


# What the engines of this process did (one job is one process): the lineage record's `usage`.
# `worker_cpu_seconds`: per vLLM worker process, the CPU time it reported last; `gpus`: the most GPUs
# an engine or trainer of the job held (the record's gpu_seconds is the job's wall time times this).
USAGE: dict = {"prompts": 0, "generated_tokens": 0, "worker_cpu_seconds": {}, "gpus": 0}


def count_usage(prompts: int, generated_tokens: int = 0) -> None:
    USAGE["prompts"] += int(prompts)
    USAGE["generated_tokens"] += int(generated_tokens)


def count_gpus(n: int) -> None:
    USAGE["gpus"] = max(USAGE["gpus"], int(n))


BACKENDS: dict[str, Callable[..., Engine]] = {}


def register_backend(name: str):
    def wrap(factory):
        if name in BACKENDS:
            raise ValueError(f"backend {name!r} registered twice")
        BACKENDS[name] = factory
        factory.backend = name
        return factory

    return wrap


def load_engine(backend: str, model_dir: str, spec: dict, adapter: str | None = None, **options) -> Engine:
    """Build the engine of `backend` for the checkpoint in `model_dir` (optionally with a LoRA adapter)."""
    if backend not in BACKENDS:
        raise ValueError(f"unknown backend {backend!r}; valid: {sorted(BACKENDS)}")
    return BACKENDS[backend](model_dir=model_dir, spec=spec, adapter=adapter, **options)


class EngineByAdapter:
    """The engine of one checkpoint for a sequence of adapters, as one job that predicts for several
    countries needs. A backend that can switch LoRA adapters on a loaded model (`switches_adapters`:
    vLLM, one LoRARequest per adapter) is built once, with LoRA enabled when any of `adapters` is set;
    another (transformers) is rebuilt when the adapter changes (a joint adapter or none: built once).
    Callers must drop their reference to the previous engine before asking for the next (one model in
    memory at a time)."""

    def __init__(self, backend: str, model_dir: str, spec: dict, adapters=(), **options):
        self.args, self.options = (backend, model_dir, spec), options
        self.switches = bool(getattr(BACKENDS.get(backend), "switches_adapters", False))
        self.lora = any(adapters)
        self.engine: Engine | None = None
        self.adapter: str | None = None
        self.loads = 0

    def __call__(self, adapter: str | None) -> Engine:
        if self.engine is not None and adapter == self.adapter:
            return self.engine
        if self.engine is not None and self.switches:
            self.engine.use_adapter(adapter)
        else:
            self.engine = None  # drop the previous model before the next one is built
            extra = {"enable_lora": True} if self.switches and self.lora else {}
            self.engine = load_engine(*self.args, adapter=adapter, **extra, **self.options)
            self.loads += 1
        self.adapter = adapter
        return self.engine
