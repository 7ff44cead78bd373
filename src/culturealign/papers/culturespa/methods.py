"""CultureSPA's prompting methods (Section 5.1 "Baselines", Appendix D), as its released code sends
them (GitHub shaoyangxu/CultureSPA: utils.py, culture_unaware_prompting.py, culture_aware_prompting.py,
cross_culture_thinking_prompting.py, self_alignment_prompting.py):

- culture-unaware (Table 8): no culture named; one set of answers, scored against every country;
- P1 (Table 9): the culture-aware system prompt (the template CNCA's Table 2 shares);
- P2 (Table 10): cross-culture thinking, the 3 most similar and 3 most different cultures (Table 11)
  from the vendored country_similarity.json;
- P3 (Table 12): Self-Alignment, five answered questions of the country in context. The code gives
  P3 the culture-unaware system prompt; the paper's Table 12 prints none. The code is followed;
- P1+P3 (Table 13), P2+P3 (Table 14): the system prompt of P1 / P2 with P3's message.

P3's examples (utils.py question_template_self_alignment, with data/self_alignment_examples.json):
every other WVS question ranked by chrF++ (sacrebleu CHRF, word_order=2, sentence level) between the
test question's text (hypothesis) and the candidate's text (reference), scores rounded to 2 decimals,
ties in question order; ALL other questions are candidates, not only the test question's topic as
the paper says (§5.1). Walking down the ranking, questions without the country's ground truth are
skipped until five are shown, each with the country's majority answer as "<id>.<text>". The ranking
rule reproduces the reference's file for all 259 questions (tests/test_culturespa.py checks some).
"""

from __future__ import annotations

from ...prompts import Templates, culture_aware_system, render_options
from ...registry import MethodContext, register_method
from ...wvs import COUNTRIES, Question, as_question, qid_key

PAPER = "culturespa"
TEMPLATES = Templates("culturealign.papers.culturespa")
P3_EXAMPLES = 5  # utils.py: icl_num = 5
SIMILARITY = "similarity"  # ctx.extras key: country_similarity.json as loaded
RANKING = "ranking"        # ctx.extras key: qid -> every other qid, most similar first


class CultureSPAInputError(ValueError):
    """A country or question the vendored CultureSPA inputs do not cover."""


def cross_cultures(country: str, similarity: dict, source: str = "country_similarity.json") -> tuple[list, list]:
    """(three most similar, three most different) countries of `country` (utils.py cross_culture_2):
    its row sorted by similarity, ascending and stable; the last three (most similar first) and the
    first three (least similar first)."""
    if country not in similarity:
        raise CultureSPAInputError(f"{source}: no row for country {country!r}; it has {sorted(similarity)}")
    row = sorted(similarity[country].items(), key=lambda item: item[1])
    if len(row) < 6:
        raise CultureSPAInputError(f"{source}: country {country!r} has {len(row)} neighbours; P2 needs 6")
    names = [c for c, _ in row]
    return names[::-1][:3], names[:3]


def _adjective(country: str) -> tuple[str, str]:
    if country not in COUNTRIES:
        raise CultureSPAInputError(f"unknown country {country!r}; valid: {sorted(COUNTRIES)}")
    return COUNTRIES[country]


def unaware_system(country: str | None, ctx: MethodContext | None = None) -> str:
    return TEMPLATES.render("culture_unaware_system")


def aware_system(country: str, ctx: MethodContext | None = None) -> str:
    return culture_aware_system(country)


def cross_culture_system(country: str, ctx: MethodContext) -> str:
    article, adjective = _adjective(country)
    similar, different = cross_cultures(country, ctx.extras[SIMILARITY])
    names = {f"similar{i + 1}": _adjective(c)[1] for i, c in enumerate(similar)}
    names.update({f"different{i + 1}": _adjective(c)[1] for i, c in enumerate(different)})
    return TEMPLATES.render("cross_culture_system", article=article, adjective=adjective, **names)


def question_message(question: Question, country: str | None, ctx: MethodContext) -> str:
    return TEMPLATES.render("question", question=question.text, options=render_options(question))


def p3_examples(question: Question, country: str, ctx: MethodContext) -> list[str]:
    """The qids shown as P3's examples: the first `P3_EXAMPLES` of the ranking with the country's ground
    truth (fewer when fewer exist)."""
    ranking = ctx.extras[RANKING]
    if question.qid not in ranking:
        raise CultureSPAInputError(f"P3 ranking file has no entry for question {question.qid}")
    chosen = []
    for qid in ranking[question.qid]:
        if qid not in ctx.questions:
            raise CultureSPAInputError(f"P3 ranking of {question.qid} names {qid}, which is not a WVS question")
        if ctx.questions[qid]["ground_truth"].get(country) is None:
            continue
        chosen.append(qid)
        if len(chosen) == P3_EXAMPLES:
            break
    return chosen


def self_alignment_message(question: Question, country: str, ctx: MethodContext) -> str:
    lines = []
    for qid in p3_examples(question, country, ctx):
        record = ctx.questions[qid]
        example = as_question(record)
        truth = record["ground_truth"][country]
        text = dict(example.options)[truth]
        lines.append(TEMPLATES.render("self_alignment_example", question=example.text,
                                      options=render_options(example), answer_id=truth, answer_text=text))
    return TEMPLATES.render("self_alignment", examples="\n".join(lines), question=question.text,
                           options=render_options(question))


def p3_fields(ctx: MethodContext, record: dict, country: str | None) -> dict:
    """Each P3 prediction says which examples it was shown, and how many (fewer than five when the
    country lacks ground truth for the rest)."""
    examples = p3_examples(as_question(record), country, ctx)
    return {"p3_examples": examples, "n_p3_examples": len(examples)}


register_method("culture-unaware", "Culture-unaware", PAPER, unaware_system,
                options={"country_free": True, "system_only": True})(question_message)
register_method("p1", "P1", PAPER, aware_system, options={"system_only": True})(question_message)
register_method("p2", "P2", PAPER, cross_culture_system, options={"system_only": True})(question_message)
register_method("p3", "P3", PAPER, unaware_system, options={"p3": True},
                record_fields=p3_fields)(self_alignment_message)
register_method("p1-p3", "P1+P3", PAPER, aware_system, options={"p3": True},
                record_fields=p3_fields)(self_alignment_message)
register_method("p2-p3", "P2+P3", PAPER, cross_culture_system, options={"p3": True},
                record_fields=p3_fields)(self_alignment_message)


def rank_by_chrf(questions: dict[str, dict], qids: list[str] | None = None) -> dict[str, list[str]]:
    """P3's ranking: for each of `qids` (default all), every other question, most similar first by
    sentence chrF++ of the question texts rounded to 2 decimals (see the module docstring); ties keep
    question order."""
    from sacrebleu.metrics import CHRF

    chrf = CHRF(word_order=2)  # chrF++ (Popovic, 2017): character n-grams plus word uni- and bigrams
    order = sorted(questions, key=qid_key)
    out = {}
    for qid in qids or order:
        text = questions[qid]["question"]
        others = [o for o in order if o != qid]
        scores = {o: round(chrf.sentence_score(text, [questions[o]["question"]]).score, 2) for o in others}
        out[qid] = sorted(others, key=lambda o: -scores[o])
    return out
