"""CNCA's prompt methods (Table 2): the system prompt, Vanilla ("Standard"), In-Context Learning, and
the fine-tuned models, which are evaluated with the Standard instruction (Table 2 note). The norm
methods (CNCA-T, CNCA-TQ) register themselves in norms.py."""

from __future__ import annotations

from ...prompts import Templates, chat, culture_aware_system, render_options
from ...registry import MethodContext, register_method
from ...wvs import Question, as_question, train_questions

PAPER = "cnca"
TEMPLATES = Templates("culturealign.papers.cnca")
# Fine-tuning methods (CNCA Table 4), each trained from recipes/<name>.yaml.
ADAPTER_LABELS = {"sft": "SFT", "cot-sft": "CoT-SFT", "cnca-sft": "CNCA-SFT", "cnca-dpo": "CNCA-DPO"}


def system_prompt(country: str, ctx: MethodContext | None = None) -> str:
    """CNCA Table 2's system prompt: the one template it shares with CultureSPA's Table 9."""
    return culture_aware_system(country)


def persona_chat(country: str, user: str) -> list[dict[str, str]]:
    return chat(system_prompt(country), user)


def standard_prompt(question: Question) -> str:
    """CNCA Table 2 "Standard" instruction."""
    return TEMPLATES.render("table2_standard", question=question.text, options=render_options(question))


# `standard`: evaluated with the Standard instruction (Vanilla and the fine-tuned models): CDEval and Table 6.
# `system_only`: the method is its system prompt (and adapter); its message is the plain question, so it
# applies to any benchmark's questions (the leaderboard asks them CAReDiO's benchmarks too).
@register_method("vanilla", "Vanilla", PAPER, system_prompt, options={"standard": True, "system_only": True})
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
        lines.append(TEMPLATES.render("table2_icl_case", index=len(lines) + 1, question=case.text,
                                      options=render_options(case), answer=truth))
    return "\n".join(lines)


@register_method("icl", "ICL", PAPER, system_prompt)
def _icl(question: Question, country: str, ctx: MethodContext) -> str:
    return TEMPLATES.render("table2_icl", cases=icl_cases(question, country, ctx), question=question.text,
                            options=render_options(question))


for _name, _label in ADAPTER_LABELS.items():
    register_method(_name, _label, PAPER, system_prompt, needs=("adapter",),
                    options={"standard": True, "system_only": True})(_vanilla)
