"""CAReDiO §4.1: the scores of its culture benchmarks on hand-checked rules.

- GlobalOpinionQA (Anthropic/llm_global_opinions): `selections` is the string
  "defaultdict(<class 'list'>, {country: [probabilities]})", `options` the string of a Python list;
  both are read as literals (never evaluated). Score: 1 - Jensen-Shannon distance between the model's
  distribution over the options and the country's (scipy.spatial.distance.jensenshannon, base 2, so
  the score lies in [0, 1]). A row whose options and probabilities differ in length is skipped and
  counted.
- CulturalBench-Hard (kellycyy/CulturalBench): each question is four binary rows (prompt_option,
  answer TRUE/FALSE); a question counts as right only when all four judgements are right.
"""

from __future__ import annotations

import ast
import re

from scipy.spatial.distance import jensenshannon

JS_BASE = 2  # base-2 Jensen-Shannon distance: 0 (same distribution) .. 1
_DEFAULTDICT = re.compile(r"^\s*defaultdict\(\s*<class '\w+'>\s*,\s*(?P<body>\{.*\})\s*\)\s*$", re.S)


def _literal(text: str, what: str):
    try:
        return ast.literal_eval(text)  # a literal only: nothing in the data set is evaluated as code
    except (ValueError, SyntaxError, MemoryError, RecursionError) as exc:
        raise ValueError(f"{what} is not a literal: {text[:80]!r} ({type(exc).__name__})") from None


def parse_selections(text: str) -> dict[str, list[float]]:
    """country -> probabilities, from GlobalOpinionQA's `selections` string."""
    match = _DEFAULTDICT.match(text)
    body = match.group("body") if match else text
    value = _literal(body, "selections")
    if not isinstance(value, dict):
        raise ValueError(f"selections is not a mapping: {text[:80]!r}")
    return {str(k): [float(p) for p in v] for k, v in value.items()}


def parse_options(text: str) -> list[str]:
    value = _literal(text, "options")
    if not isinstance(value, (list, tuple)):
        raise ValueError(f"options is not a list: {text[:80]!r}")
    return [str(o) for o in value]


def opinion_score(model_probs: list[float], country_probs: list[float]) -> float:
    """1 - JS distance (base 2) between the two distributions (each normalised by scipy)."""
    if len(model_probs) != len(country_probs):
        raise ValueError(f"{len(model_probs)} model probabilities against {len(country_probs)} reference ones")
    return 1.0 - float(jensenshannon(model_probs, country_probs, base=JS_BASE))


def globalopinion_items(rows: list[dict], names) -> tuple[list[dict], dict]:
    """The items of a culture known in the file under `names` (one name, or its aliases: the United
    Kingdom is "Britain" in Pew's rows and "Great Britain" in the WVS's): every row that has data under
    any of them, read under the first name listed that it has. {question, options, reference, name};
    counts of rows kept per name and skipped (no data for the culture; options and probabilities of
    different lengths)."""
    names = [names] if isinstance(names, str) else list(names)
    items, counts = [], {"rows": len(rows), "kept": 0, "no-country": 0, "length-mismatch": 0,
                         "by_name": {n: 0 for n in names}}
    for row in rows:
        selections = parse_selections(row["selections"])
        name = next((n for n in names if n in selections), None)
        if name is None:
            counts["no-country"] += 1
            continue
        options = parse_options(row["options"])
        if len(options) != len(selections[name]):
            counts["length-mismatch"] += 1
            continue
        items.append({"question": row["question"], "options": options, "reference": selections[name], "name": name})
        counts["kept"] += 1
        counts["by_name"][name] += 1
    return items, counts


def truth(value) -> bool:
    text = str(value).strip().upper()
    if text not in ("TRUE", "FALSE"):
        raise ValueError(f"CulturalBench answer {value!r} is neither TRUE nor FALSE")
    return text == "TRUE"


def culturalbench_hard(rows: list[dict], judgements: dict[tuple, bool]) -> dict:
    """Accuracy over questions: `judgements` maps (question_idx, prompt_option) to the model's True/
    False; a question is right only when its four rows are all judged right (a question without four
    rows, or with a row not judged, is wrong and counted)."""
    by_question: dict = {}
    for row in rows:
        by_question.setdefault(row["question_idx"], []).append(row)
    right, incomplete = 0, 0
    for qidx, qrows in by_question.items():
        judged = [judgements.get((qidx, r["prompt_option"])) for r in qrows]
        if len(qrows) != 4 or any(j is None for j in judged):
            incomplete += 1
            continue
        right += all(j == truth(r["answer"]) for j, r in zip(judged, qrows))
    n = len(by_question)
    return {"questions": n, "right": right, "incomplete": incomplete, "accuracy": right / n if n else None}
