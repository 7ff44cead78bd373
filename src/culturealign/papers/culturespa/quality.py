"""CultureSPA Table 1 (§5.2): the quality of the generated questions, judged on four criteria over
20 questions sampled per topic (260 in all; the paper's judge: GPT-4o).

A verdict is valid only when the judge answers all four criteria with Yes or No in the asked format
("<n>. Yes|No", one per line); anything else is recorded as invalid with its text, never guessed.
Pass rates are over the valid verdicts; "All criteria are satisfied" counts verdicts with four Yes.
"""

from __future__ import annotations

import random
import re

from ...prompts import chat
from .methods import TEMPLATES

PER_TOPIC = 20  # §5.2: "We sampled 20 questions per topic (260 in total)"
CRITERIA = (  # Table 1, verbatim
    "Is the question semantically complete and coherent?",
    "Are the answer options semantically complete and coherent?",
    "Do the question and answer options form a complete multiple-choice question?",
    "Does the question belong to the assigned cultural topic?",
)
ALL = "All criteria are satisfied"
VERDICT = re.compile(r"^\s*([1-4])\s*[.):]\s*(yes|no)\b", re.IGNORECASE | re.MULTILINE)


def sample(generated: list[dict], per_topic: int, seed: int) -> list[dict]:
    """Up to `per_topic` kept questions of each topic, drawn with (seed, topic), in question order."""
    by_topic: dict[int, list[dict]] = {}
    for q in generated:
        by_topic.setdefault(int(q["topic_id"]), []).append(q)
    out = []
    for topic, qs in sorted(by_topic.items()):
        chosen = set(id(q) for q in random.Random(f"{seed}/{topic}").sample(qs, min(per_topic, len(qs))))
        out += [q for q in qs if id(q) in chosen]
    return out


def conversation(q: dict, topic: str) -> list[dict]:
    return chat(None, TEMPLATES.render("quality_judge", topic=topic, question=q["question"],
                                       options=str([str(o) for o in q["options"]])))


def parse_verdict(text: str) -> list[bool] | None:
    """[criterion 1..4 satisfied] or None when the answer does not give all four (first answer of each)."""
    found: dict[int, bool] = {}
    for number, answer in VERDICT.findall(text or ""):
        found.setdefault(int(number), answer.lower() == "yes")
    return [found[i] for i in range(1, 5)] if len(found) == 4 else None


def table1(judgements: list[dict]) -> tuple[list[dict], dict]:
    """(rows: criterion, pass rate % over valid verdicts; counts)."""
    valid = [j["verdict"] for j in judgements if j["verdict"] is not None]
    rows = []
    for i, criterion in enumerate(CRITERIA):
        rows.append({"criterion": criterion, "passed": sum(v[i] for v in valid)})
    rows.append({"criterion": ALL, "passed": sum(all(v) for v in valid)})
    for row in rows:
        row["pass_rate"] = round(100.0 * row["passed"] / len(valid), 1) if valid else None
    counts = {"judged": len(judgements), "valid": len(valid), "invalid": len(judgements) - len(valid)}
    return rows, counts
