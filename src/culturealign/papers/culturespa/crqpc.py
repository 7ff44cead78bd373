"""CultureSPA §4.2-4.3 and §6.1: answers to the generated questions without and with a culture, and
the training pairs kept from them.

Generated questions become survey records (`as_records`): their options numbered from 0 when the
first option is "0", else from 1 (utils.py question_template_generated_questions), no ground truth.
For each country, CRQPC keeps (q, o_c) where the culture-aware answer o_c differs from the
culture-unaware o (data_process/3.CRQPC.py: each answer is the first run of digits of the reply, kept
as that string when 0 <= n <= 15, and the two strings are compared, so "03" and "3" differ; pairs with
an unparseable answer left out); the ablations of §6.1: CDS keeps o_c == o, RDS draws from all valid
pairs (seeded); both cut per country to CRQPC's size ("the same sample sizes for all three methods").
A culture-aware answer that is not an option of its question is left out of all three and counted
(the reference's 4.format_data_alpaca.py asserts on such an answer and stops).
A training example is the culture-aware prompt of its country with the answer as the target
(data_process/4.format_data_alpaca.py: output = the parsed answer string).
"""

from __future__ import annotations

import random

from ...parsing import FIRST_INTEGER, final_text

CRQPC_HIGH = 15  # 3.CRQPC.py parse_answer: 0 <= n <= 15
RULES = ("crqpc", "cds", "rds")


def as_records(generated: list[dict]) -> dict[str, dict]:
    """Filtered generated questions as question records the prompting methods take."""
    out = {}
    for q in generated:
        options = [str(o) for o in q["options"]]
        start = 0 if options[0].isdigit() and int(options[0]) == 0 else 1
        out[q["id"]] = {"qid": q["id"], "topic_id": q["topic_id"], "topic": q.get("topic"), "question": q["question"],
                        "options": [{"id": start + i, "text": text} for i, text in enumerate(options)],
                        "ground_truth": {}}
    return out


def answer_string(response: str | None, reasoning: bool = False) -> str | None:
    """3.CRQPC.py's parse_answer: the first run of digits of the answer, as written, when 0 <= n <= 15."""
    text = final_text(response, reasoning)
    match = FIRST_INTEGER.search(text) if text is not None else None
    return match.group() if match and 0 <= int(match.group()) <= CRQPC_HIGH else None


def answers(records: list[dict]) -> dict[str, str | None]:
    return {r["qid"]: answer_string(r["response"], bool(r.get("reasoning"))) for r in records}


def option_ids(generated: list[dict]) -> dict[str, set[int]]:
    """Each generated question's option ids (as_records' numbering)."""
    return {qid: {o["id"] for o in rec["options"]} for qid, rec in as_records(generated).items()}


def select(unaware: dict[str, str | None], aware: dict[str, dict[str, str | None]], seed: int,
           options: dict[str, set[int]] | None = None) -> tuple[list, dict]:
    """(examples, counts per country): every kept (country, qid) with both answers and the rule that
    kept it, for each of CRQPC, CDS and RDS. `aware`: country -> qid -> o_c; answers are compared as
    the strings the reference compares. With `options` (qid -> option ids), a pair whose culture-aware
    answer is not an option of its question is left out and counted (`aware_out_of_range`)."""
    examples, counts = [], {}
    for country, by_qid in aware.items():
        parsed = [q for q, o_c in by_qid.items() if o_c is not None and unaware.get(q) is not None]
        outside = [q for q in parsed if options is not None and int(by_qid[q]) not in options.get(q, set())]
        valid = [q for q in parsed if q not in set(outside)]
        shifted = [q for q in valid if by_qid[q] != unaware[q]]
        same = [q for q in valid if by_qid[q] == unaware[q]]
        size = len(shifted)
        rng = random.Random(f"{seed}/{country}")
        chosen = {"crqpc": shifted,
                  "cds": sorted(rng.sample(same, min(size, len(same))), key=valid.index),
                  "rds": sorted(rng.sample(valid, min(size, len(valid))), key=valid.index)}
        for rule, qids in chosen.items():
            examples += [{"rule": rule, "country": country, "qid": q, "unaware": unaware[q], "aware": by_qid[q]}
                         for q in qids]
        counts[country] = {"questions": len(by_qid), "valid": len(valid), "aware_out_of_range": len(outside),
                           "shifted": len(shifted), "same": len(same), **{rule: len(qids) for rule, qids in chosen.items()}}
    return examples, counts
