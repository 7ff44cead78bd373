"""Alignment methods are registered by name; config refers to them by that name.

A method turns (test question, country, context) into the user message of the survey prompt.
Adding a method is one registration here (or in a module imported by this one).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from .prompts import render, render_options
from .wvs import Question, as_question, train_questions


@dataclass
class MethodContext:
    questions: dict[str, dict]  # qid -> normalised record (wvs_questions.json)
    split: dict
    extras: dict = field(default_factory=dict)  # e.g. mined norms, for methods that need them


@dataclass(frozen=True)
class Method:
    name: str
    label: str  # the row name in the paper's tables
    build: Callable[[Question, str, MethodContext], str]
    needs: tuple[str, ...] = ()


METHODS: dict[str, Method] = {}


def register_method(name: str, label: str, needs: tuple[str, ...] = ()):
    def wrap(build):
        if name in METHODS:
            raise ValueError(f"method {name!r} registered twice")
        METHODS[name] = Method(name, label, build, needs)
        return build

    return wrap


def get_method(name: str) -> Method:
    if name not in METHODS:
        raise KeyError(f"unknown method {name!r}; valid: {sorted(METHODS)}")
    return METHODS[name]


def standard_prompt(question: Question) -> str:
    """CNCA Table 2 "Standard" instruction."""
    return render("table2_standard", question=question.text, options=render_options(question))


@register_method("vanilla", "Vanilla")
def _vanilla(question: Question, country: str, ctx: MethodContext) -> str:
    return standard_prompt(question)


def icl_cases(question: Question, country: str, ctx: MethodContext) -> str:
    """The country's training questions of the test question's topic with their ground truth
    (training questions without ground truth for the country are skipped)."""
    lines = []
    for qid in train_questions(ctx.split, question.topic_id):
        record = ctx.questions[qid]
        truth = record["ground_truth"].get(country)
        if truth is None:
            continue
        case = as_question(record)
        lines.append(render("table2_icl_case", index=len(lines) + 1, question=case.text,
                            options=render_options(case), answer=truth))
    return "\n".join(lines)


@register_method("icl", "ICL")
def _icl(question: Question, country: str, ctx: MethodContext) -> str:
    return render("table2_icl", cases=icl_cases(question, country, ctx), question=question.text,
                  options=render_options(question))


# Fine-tuned models (CNCA Table 4) are evaluated with the Standard instruction (Table 2 note); the
# adapter, not the prompt, is what differs. Trained by culturealign.finetune from recipes/<name>.yaml.
ADAPTER_METHODS = {"sft": "SFT", "cot-sft": "CoT-SFT", "cnca-sft": "CNCA-SFT", "cnca-dpo": "CNCA-DPO"}
for _name, _label in ADAPTER_METHODS.items():
    register_method(_name, _label, needs=("adapter",))(_vanilla)

# Methods defined in other modules register themselves on import.
from . import norms as _norms  # noqa: E402,F401
