"""CAReDiO §4.1's open-ended benchmarks, CultureBank and Prism: the model answers in free text, a judge
rates each answer from 1 to 5, and a culture's score is the mean of the valid ratings (Tables 2, 5, 6
print it on the 1-5 scale). The paper names the data and the judge (GPT-4o) but neither the split,
the filter nor the prompts; the choices below are the project's, named in the config and the README.

- CultureBank (SALT-NLP/CultureBank, TikTok file; columns `cultural group`, `eval_question`, and
  `eval_whole_desc`, the cultural descriptor the question was generated from): the "10 % (1,176)
  testing set" is CultureBank's own split, drawn as its released evaluation code draws it (pandas
  shuffle with random_state 1234, the last 10 %; `test_fraction`, `seed`); a culture's items are the
  test rows whose cultural group is one of its CultureBank names (countries.csv; the per-culture
  means, e.g. 4.909 = 54/11 in Table 5, show such small per-group sets).
- Prism (HannahRoseKirk/prism-alignment, conversations.jsonl; columns `conversation_id`,
  `conversation_type`, `opening_prompt`): §4.1's first criterion (a question related to cultural
  topics) is read as the conversation types "values guided" and "controversy guided" (PRISM's own
  design of value-laden and controversial conversations); opening prompts are de-duplicated and
  `size` of them drawn with `seed`. §4.1's second criterion (several cultures' responses differ
  clearly) is not applied (project choice: the paper gives no test for "clear differences", and
  PRISM's own responses come from its 21 models, not from cultures). Every culture answers the same
  questions; the judge rates the answer's awareness of that culture.

A judge answer is a rating only when it states one number from 1 to 5: the digit alone on its first line
(the asked form; "4/5", "Rating: 4" too) or "Rating: n" in its text, and no other rating; anything else
is recorded as invalid with its text, never guessed.
"""

from __future__ import annotations

import random
import re

from ...prompts import chat
from .synthesis import TEMPLATES

CULTUREBANK_COLUMNS = ("cultural group", "eval_question", "eval_whole_desc")
PRISM_COLUMNS = ("conversation_id", "conversation_type", "opening_prompt")
OPEN_ENDED = ("culturebank", "prism")
# A rating: the number alone on the first line ("4", "4.", "4.0", "**4**", "4/5", "4 out of 5",
# "Rating: 4", "**Rating:** 4"), or "Rating: n" anywhere; a number that is part of a range, a decimal
# other than n.0, or a list ("1-5", "1 to 5", "4 or 5", "4, 5", "1 (bad) to 5") is no rating.
_N = r"\**([1-5])(?:\.0)?\**(?:\s*(?:/|out\s+of)\s*5)?"
_NOT_MORE = r"(?!\d|\.\d|\s*(?:[-–,/(]|to\b|or\b|and\b)|\s+\d)"
_RATING_LINE = re.compile(r"^\s*(?:\**rating\**\s*[:=]\s*\**\s*)?" + _N + _NOT_MORE + r"\s*\.?\s*$", re.IGNORECASE)
_RATING_ANY = re.compile(r"\brating\**\s*[:=]\s*\**\s*" + _N + _NOT_MORE, re.IGNORECASE)
_MENTION = re.compile(r"\brating\**\s*[:=]", re.IGNORECASE)  # every "Rating:" must state one clean number


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value).strip()


def culturebank_test(rows: list[dict], fraction: float, seed: int) -> list[dict]:
    """CultureBank's own test split, as its released evaluation code draws it (evaluation/grounded_eval.py,
    --split test): the rows shuffled by pandas with random_state `seed` (1234 there), the last
    int(fraction x rows) of them (10 % there), in that shuffled order."""
    import pandas as pd

    order = pd.DataFrame({"k": range(len(rows))}).sample(frac=1, random_state=seed)["k"].tolist()
    n = int(len(rows) * fraction)
    return [rows[k] for k in (order[len(order) - n:] if n else [])]


def culturebank_items(test: list[dict], names: list[str], limit: int | None) -> tuple[list[dict], dict]:
    """The culture's test items (cultural group equal to one of `names`, ignoring case and spaces at
    the ends); rows without a question are skipped and counted."""
    wanted = {n.strip().lower() for n in names}
    items, empty = [], 0
    for row in test:
        if _text(row["cultural group"]).lower() not in wanted:
            continue
        question = _text(row["eval_question"])
        if not question:
            empty += 1
            continue
        items.append({"question": question, "group": _text(row["cultural group"]),
                      "reference": _text(row.get("eval_whole_desc"))})
    counts = {"test_rows": len(test), "culture_rows": len(items) + empty, "no-question": empty}
    if limit is not None:
        items = items[:limit]
    return items, {**counts, "asked": len(items)}


def prism_items(rows: list[dict], types: list[str], size: int | None, seed: int) -> tuple[list[dict], dict]:
    """The filtered questions: conversation type in `types`, opening prompt not empty, each prompt
    text once (first conversation), then `size` drawn with `seed` (all when fewer), in file order."""
    kept, seen, counts = [], set(), {"rows": len(rows), "other-type": 0, "empty": 0, "duplicate": 0}
    wanted = set(types)
    for row in rows:
        if _text(row["conversation_type"]) not in wanted:
            counts["other-type"] += 1
            continue
        prompt = _text(row["opening_prompt"])
        if not prompt:
            counts["empty"] += 1
            continue
        key = " ".join(prompt.lower().split())
        if key in seen:
            counts["duplicate"] += 1
            continue
        seen.add(key)
        kept.append({"question": prompt, "conversation_id": _text(row["conversation_id"]),
                     "conversation_type": _text(row["conversation_type"])})
    if size is not None and size < len(kept):
        chosen = set(random.Random(seed).sample(range(len(kept)), size))
        kept = [it for k, it in enumerate(kept) if k in chosen]
    return kept, {**counts, "filtered": len(kept)}


def answer_conversation(question: str, system: str | None) -> list[dict]:
    return chat(system, question)


def judge_conversation(benchmark: str, culture: str, item: dict, response: str) -> list[dict]:
    """The judge's prompt (templates judge_culturebank.yaml, judge_prism.yaml)."""
    if benchmark == "culturebank":
        text = TEMPLATES.render("judge_culturebank", culture=culture, question=item["question"],
                                reference=item.get("reference") or "(none given)", response=response)
    else:
        text = TEMPLATES.render("judge_prism", culture=culture, question=item["question"], response=response)
    return chat(None, text)


def parse_rating(text: str | None) -> int | None:
    """The rating 1-5 the judge states, or None (invalid): the first non-empty line is the rating alone,
    or the text says "Rating: n"; every rating it states must be the same number."""
    lines = [x for x in (text or "").splitlines() if x.strip()]
    if not lines:
        return None
    found = set()
    for mention in _MENTION.finditer(text):
        clean = _RATING_ANY.match(text, mention.start())
        if not clean:
            return None  # "Rating: 1-5", "Rating: 4 or 5", "Rating: four": not one rating
        found.add(int(clean.group(1)))
    first = _RATING_LINE.match(lines[0])
    if first:
        found.add(int(first.group(1)))
    return found.pop() if len(found) == 1 else None


def mean_rating(ratings: list[int | None]) -> dict:
    """{score: mean of the valid ratings (None when there is none), n: valid, invalid, judged}."""
    valid = [r for r in ratings if r is not None]
    return {"score": sum(valid) / len(valid) if valid else None, "n": len(valid),
            "invalid": len(ratings) - len(valid), "judged": len(ratings)}
