"""Answer extraction (CNCA Table 2 asks for "the number of the selected option only").

One rule for reasoning, everywhere (survey answers, mined norms, distilled chains, CDEval): a
reasoning model's response counts only when its think block closed. Its chat template may open the
block itself (DeepSeek-R1), so the response carries no `<think>`; without `</think>` the whole text
is the unfinished chain of thought (generation stopped first), and it is invalid with reason
`unclosed-think`: never an answer, never a norm (CNCA treats outputs it cannot extract as invalid).
A non-reasoning model's text is used as it is, any closed think block removed.

Then, for a survey answer:
- invalid, reason `restates-prompt`: the answer copies the prompt instead of answering, either one of
  its section labels ("#Options:", "#Cases:", "#Cultural Norms:" anywhere, "#Question:" at the start:
  "#Options: 1.Strongly agree 2.Agree 3") or a numbered list (its first two items numbered k and k+1: the options "1. Often 2.
  Sometimes", ICL's cases "1.1 2.2 3.3", a list of norms). Its first number is a list index, not a choice;
- strict: the answer starts with a valid option id ("2", "2.", "2. Rather important");
- lenient: otherwise the first integer in the answer that is a valid option id ("The answer is 3");
- invalid: nothing usable (empty, refusal, only out-of-range numbers; reason `no-valid-option`).
  Kept, counted, never raised.

CultureSPA's scorer (its code, result_analysis_run_3.py `parse_answer`) is another rule, `first-integer`:
the first integer in the text, kept when it lies in 0..10, whether or not it is an option of the
question (an out-of-range answer then counts in the distance as it is); else invalid. PARSERS names both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPEN, CLOSE = "<think>", "</think>"
UNCLOSED_THINK = "unclosed-think"
NO_VALID_OPTION = "no-valid-option"
RESTATES_PROMPT = "restates-prompt"
# The section labels of CNCA's Table 2 prompts (templates/table2_*.yaml): an answer that copies the
# options, the cases or the norms, or that starts by copying the question ("#5 ... #Question: ..." answers
# 5, then runs on into a question of its own).
PROMPT_LABELS = re.compile(r"#\s*(options|cases|cultural\s+norms)\s*:|^\W*#\s*question\s*:", re.I)
_LIST_ITEM = re.compile(r"(?<![\d.])(\d{1,2})\s*[.)](?!\d*\.\d)")
_CLOSED_THINK = re.compile(r"<think>.*?</think>", re.S)
_INTEGER = re.compile(r"(?<!\d)\d+(?!\d)")
_STRICT = re.compile(r"^[\s*#(\[]*(\d+)(?!\d)")


@dataclass(frozen=True)
class Parsed:
    answer: int | None
    how: str  # "strict" | "lenient" | "invalid"
    reason: str | None = None  # why invalid: UNCLOSED_THINK | NO_VALID_OPTION

    @property
    def valid(self) -> bool:
        return self.answer is not None


def strip_think(text: str) -> str:
    """Remove reasoning: closed think blocks; everything before a lone `</think>` (the chat template
    opened the block); everything after an unterminated `<think>` (generation hit the length limit)."""
    text = _CLOSED_THINK.sub("", text or "")
    if CLOSE in text:
        text = text.rsplit(CLOSE, 1)[1]
    if OPEN in text:
        text = text.split(OPEN, 1)[0]
    return text.strip()


def think_closed(response: str | None, reasoning: bool) -> bool:
    """False exactly when `response` is a reasoning model's and its think block never closed."""
    return not reasoning or CLOSE in (response or "")


def final_text(response: str | None, reasoning: bool = False) -> str | None:
    """What follows the reasoning: None for a reasoning model whose think block never closed."""
    if not think_closed(response, reasoning):
        return None
    return strip_think(response or "")


def restates_prompt(answer: str) -> bool:
    """The answer copies the prompt (a section label, or a numbered list k, k+1) instead of choosing."""
    if PROMPT_LABELS.search(answer):
        return True
    items = [int(m.group(1)) for m in _LIST_ITEM.finditer(answer)][:2]
    return len(items) == 2 and items[1] == items[0] + 1


def parse_answer(response: str | None, option_ids, reasoning: bool = False) -> Parsed:
    """The option id a response gives; `reasoning`: the response is a reasoning model's."""
    answer = final_text(response, reasoning)
    if answer is None:
        return Parsed(None, "invalid", UNCLOSED_THINK)
    if restates_prompt(answer):
        return Parsed(None, "invalid", RESTATES_PROMPT)
    valid = {int(o) for o in option_ids}
    strict = _STRICT.match(answer)
    if strict and int(strict.group(1)) in valid:
        return Parsed(int(strict.group(1)), "strict")
    for match in _INTEGER.finditer(answer):
        if int(match.group()) in valid:
            return Parsed(int(match.group()), "lenient")
    return Parsed(None, "invalid", NO_VALID_OPTION)


FIRST_INTEGER = re.compile(r"\d+")  # CultureSPA: re.search(r'\d+', answer), then 0 <= n <= 10


def parse_first_integer(response: str | None, option_ids=(), reasoning: bool = False, high: int = 10) -> Parsed:
    """CultureSPA's rule: the first integer of the answer when 0 <= n <= `high`, else invalid
    (`option_ids` is not consulted: the reference keeps any such number). Its scorer uses 10, its
    CRQPC step (data_process/3.CRQPC.py) 15."""
    answer = final_text(response, reasoning)
    if answer is None:
        return Parsed(None, "invalid", UNCLOSED_THINK)
    match = FIRST_INTEGER.search(answer)
    if match and 0 <= int(match.group()) <= high:
        return Parsed(int(match.group()), "first-integer")
    return Parsed(None, "invalid", NO_VALID_OPTION)


# Answer rules by name (a paper's config and the score command choose one).
PARSERS = {"option": parse_answer, "first-integer": parse_first_integer}


def get_parser(name: str):
    if name not in PARSERS:
        raise KeyError(f"unknown answer parser {name!r}; valid: {sorted(PARSERS)}")
    return PARSERS[name]
