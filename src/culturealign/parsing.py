"""Answer extraction (CNCA Table 2 asks for "the number of the selected option only").

Reasoning models' `<think>...</think>` part is dropped first, then:
- strict: the answer starts with a valid option id ("2", "2.", "2. Rather important");
- lenient: otherwise the first integer in the answer that is a valid option id;
- invalid: nothing usable (empty, refusal, only out-of-range numbers). Kept, counted, never raised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CLOSED_THINK = re.compile(r"<think>.*?</think>", re.S)
_INTEGER = re.compile(r"(?<!\d)\d+(?!\d)")
_STRICT = re.compile(r"^[\s*#(\[]*(\d+)(?!\d)")


@dataclass(frozen=True)
class Parsed:
    answer: int | None
    how: str  # "strict" | "lenient" | "invalid"

    @property
    def valid(self) -> bool:
        return self.answer is not None


def strip_think(text: str) -> str:
    """Remove reasoning: closed think blocks; everything before a lone `</think>` (the chat template
    opened the block); everything after an unterminated `<think>` (generation hit the length limit)."""
    text = _CLOSED_THINK.sub("", text or "")
    if "</think>" in text:
        text = text.rsplit("</think>", 1)[1]
    if "<think>" in text:
        text = text.split("<think>", 1)[0]
    return text.strip()


def parse_answer(response: str, option_ids) -> Parsed:
    valid = {int(o) for o in option_ids}
    answer = strip_think(response)
    strict = _STRICT.match(answer)
    if strict and int(strict.group(1)) in valid:
        return Parsed(int(strict.group(1)), "strict")
    for match in _INTEGER.finditer(answer):
        if int(match.group()) in valid:
            return Parsed(int(match.group()), "lenient")
    return Parsed(None, "invalid")
