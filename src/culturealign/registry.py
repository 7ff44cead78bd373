"""Methods are registered by name, and the name is all the config, the schema and the workflow's
wildcards know: this registry is their one source (culturealign.config builds the schema's method
enums from it; rules build their wildcard constraints from it).

A method turns (test question, country, context) into the user message of a survey prompt, and
(country, context) into its system prompt (or none). Each
paper registers its own methods in its own package (culturealign.papers.<paper>.methods); importing
culturealign.papers registers them all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable


@dataclass
class MethodContext:
    questions: dict[str, dict]  # qid -> normalised record (wvs_questions.json)
    split: dict | None = None
    extras: dict = field(default_factory=dict)  # e.g. mined norms, the number of norms given


@dataclass(frozen=True)
class Method:
    name: str
    label: str  # the row name in the paper's tables
    build: Callable[[Any, str, MethodContext], str]
    paper: str
    system: Callable[[str | None, MethodContext], str | None]  # (country, ctx) -> system prompt (None: none)
    needs: tuple[str, ...] = ()  # "adapter" (a LoRA adapter), "norms" (mined norms), ...
    # Facts about the method: `country_free` (its prompt names no country: one set of answers, scored
    # against every country), `system_only` (its message is the plain question: it applies to any
    # benchmark's questions), `standard` (CNCA's Standard instruction), or a paper's own ({"mining": "t"}).
    options: dict = field(default_factory=dict)
    # Extra fields of each prediction record (e.g. which norms were used): fn(ctx, question record, country) -> dict.
    record_fields: Callable[[MethodContext, dict], dict] | None = None


METHODS: dict[str, Method] = {}


def register_method(name: str, label: str, paper: str, system: Callable[[str | None, MethodContext], str | None],
                    needs: tuple[str, ...] = (), options: dict | None = None, record_fields=None):
    """Decorator: register `build(question, country, ctx) -> user message` under `name`, with
    `system(country, ctx) -> system prompt`."""
    def wrap(build):
        if name in METHODS:
            raise ValueError(f"method {name!r} registered twice")
        METHODS[name] = Method(name, label, build, paper, system, tuple(needs), dict(options or {}), record_fields)
        return build

    return wrap


def get_method(name: str) -> Method:
    if name not in METHODS:
        raise KeyError(f"unknown method {name!r}; valid: {sorted(METHODS)}")
    return METHODS[name]


def methods(paper: str | None = None, needs: str | None = None, without: str | None = None,
            option: str | None = None) -> list[str]:
    """Registered method names, in registration order: of one paper, needing (or not) something, with
    a true option."""
    return [m.name for m in METHODS.values()
            if (paper is None or m.paper == paper) and (needs is None or needs in m.needs)
            and (without is None or without not in m.needs) and (option is None or m.options.get(option))]
