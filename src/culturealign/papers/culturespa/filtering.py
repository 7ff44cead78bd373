"""CultureSPA Appendix C: filtering the generated questions, as its released notebook does it
(data_process/2.question_filtering.ipynb). Erratum to the paper: the code removes exact duplicates and
the two format errors of Table 15 only; question lengths and option counts were inspected (histograms),
not filtered. Length and option-count limits exist here as options, off by default.

1. duplicate: a question whose text equals an earlier one's (the WVS seed questions come first). The
   notebook marks duplicates by `Q_id`, and generated ids (Q0, Q1, ...) collide with the seeds' (Q1,
   Q2, ...), which can drop the wrong question; the intended rule, by text, is applied here.
2. error-1, options that do not match the question: every option is a bare number ("1", "2", ...)
   and the question names no scale ("on a scale", "with 1 being", "where 1 means", "which 1 means").
3. numbered options ("1. Yes", "2 - No", "3 (Maybe)"): when every option carries its number, the
   numbers are stripped (the option's position is its id). When only the first and the last do
   ("1 - Not at all", "2", "3", "4 - Very"), the question gains " Using this card on which 1 means
   '...' and 4 means '...'" and the ends become bare numbers, unless an end mentions "refuse".
   error-2, inconsistent option formats: any other mixture of numbered and unnumbered options.
Hand exceptions are data (resources/culturespa/filter_exceptions.csv: question id, the step it is exempt
from, why): the notebook exempts one question of the released generations, Q1879, from step 3 by its id.
An exempt question keeps its options as generated; the counts list it.
"""

from __future__ import annotations

import csv
import re

SCALE_WORDS = ("on a scale", "with 1 being", "where 1 means", "which 1 means")
NUMBERED = re.compile(r"^(\d+)(\s*[-.]\s*|\s*\(\s*|\s*\.\s*)[\s\S]*")
NUMBER_PREFIX = re.compile(r"^\d+(\s*[-.]\s*|\s*\(\s*|\s*\.\s*)")
REASONS = ("duplicate", "error-1-options-do-not-match-question", "error-2-inconsistent-option-formats",
           "too-long", "option-count")


def clean_option(option: str) -> str:
    """The notebook's clean_string: drop the leading number and its punctuation, and a lone ')'."""
    cleaned = NUMBER_PREFIX.sub("", option).strip()
    if cleaned.endswith(")") and "(" not in cleaned:
        cleaned = cleaned[:-1]
    return cleaned


def _scale_card(question: str, options: list[str]) -> tuple[str, list[str]] | None:
    """The notebook's no_match_function: numbered ends, unnumbered middle -> a card sentence."""
    matches = [bool(NUMBERED.match(o)) for o in options]
    if not (matches[0] and matches[-1] and not any(matches[1:-1])):
        return None
    first, last = clean_option(options[0]), clean_option(options[-1])
    if "refuse" in first.lower() or "refuse" in last.lower():
        return None
    first_id, last_id = NUMBERED.match(options[0]).group(1), NUMBERED.match(options[-1]).group(1)
    return (question + f" Using this card on which {first_id} means '{first}' and {last_id} means '{last}'",
            [first_id, *options[1:-1], last_id])


EXEMPT_STEPS = ("numbered-options",)  # the steps a hand exception can skip


def read_exceptions(path) -> dict[str, set[str]]:
    """{question id: steps it is exempt from} from a `qid,step,reason` CSV (every row needs a reason)."""
    out: dict[str, set[str]] = {}
    with open(path, encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            if row["step"] not in EXEMPT_STEPS or not row.get("reason", "").strip():
                raise ValueError(f"{path}, line {line}: step {row['step']!r} (valid: {list(EXEMPT_STEPS)}) "
                                 "with a reason is required")
            out.setdefault(row["qid"], set()).add(row["step"])
    return out


def check_format(question: str, options: list, exempt: frozenset = frozenset()) -> tuple[str, list[str], str | None]:
    """(question, options, None) as kept (possibly rewritten), or (..., reason) when dropped. `exempt`:
    the steps this question skips (a hand exception)."""
    options = [str(o) for o in options]
    if not all(re.search(r"^\d", o) for o in options):
        return question, options, None  # plain text options
    if "".join(options).isdigit():
        lower = question.lower()
        if not any(word in lower for word in SCALE_WORDS):
            return question, options, "error-1-options-do-not-match-question"
        return question, options, None
    if "numbered-options" in exempt:
        return question, options, None
    if all(NUMBERED.match(o) for o in options):
        return question, [clean_option(o) for o in options], None
    card = _scale_card(question, options)
    if card is None:
        return question, options, "error-2-inconsistent-option-formats"
    return card[0], card[1], None


def filter_questions(generated: list[dict], seed_texts: list[str], max_chars: int | None = None,
                     option_range: tuple[int, int] | None = None,
                     exceptions: dict[str, set[str]] | None = None) -> tuple[list[dict], list[dict], dict]:
    """(kept, dropped with `reason`, counts per reason). `generated`: dicts with id, question, options,
    in generation order. `max_chars`, `option_range`: the optional outlier limits (off: None).
    `exceptions`: {question id: steps it skips} (read_exceptions); the ones applied are counted."""
    exceptions = exceptions or {}
    applied = {}
    seen = set(seed_texts)
    kept, dropped = [], []
    for g in generated:
        reason = None
        if g["question"] in seen:
            reason = "duplicate"
        seen.add(g["question"])
        question, options = g["question"], g["options"]
        if reason is None and max_chars is not None and len(question) > max_chars:
            reason = "too-long"
        if reason is None and option_range is not None and not option_range[0] <= len(options) <= option_range[1]:
            reason = "option-count"
        if reason is None:
            exempt = frozenset(exceptions.get(g["id"], ()))
            question, options, reason = check_format(question, options, exempt)
            if exempt and reason is None and options == [str(o) for o in g["options"]]:
                applied[g["id"]] = sorted(exempt)
        if reason:
            dropped.append({**g, "reason": reason})
        else:
            kept.append({**g, "question": question, "options": options, "original_question": g["question"],
                         "original_options": g["options"]})
    counts = {"generated": len(generated), "kept": len(kept), **{r: 0 for r in REASONS}, "exceptions": applied}
    for d in dropped:
        counts[d["reason"]] += 1
    return kept, dropped, counts
