import pytest

from culturealign.parsing import parse_answer, strip_think

FOUR = [1, 2, 3, 4]
ZERO = [0, 1, 2]


@pytest.mark.parametrize(
    "response, options, answer, how",
    [
        ("2", FOUR, 2, "strict"),
        ("  3.", FOUR, 3, "strict"),
        ("1. Very important", FOUR, 1, "strict"),
        ("**4**", FOUR, 4, "strict"),
        ("I would choose option 3 because family matters.", FOUR, 3, "lenient"),
        ("The most appropriate answer is: 2.Agree strongly", FOUR, 2, "lenient"),
        ("<think>Options 1 and 4 are extreme; I lean to 2.</think>\n3", FOUR, 3, "strict"),
        ("Americans value religion... so 2.\n</think>\n\n1", FOUR, 1, "strict"),      # template opened <think>
        ("<think>I think 2 is right but I ran out of tok", FOUR, None, "invalid"),     # unterminated
        ("0", ZERO, 0, "strict"),
        ("0", FOUR, None, "invalid"),
        ("5", FOUR, None, "invalid"),
        ("Between 7 and 10, I pick 4", FOUR, 4, "lenient"),
        ("10", FOUR, None, "invalid"),                                                # not "1" of "10"
        ("I'm sorry, but as an AI I cannot share personal opinions.", FOUR, None, "invalid"),
        ("", FOUR, None, "invalid"),
        (None, FOUR, None, "invalid"),
    ],
)
def test_parse_answer(response, options, answer, how):
    parsed = parse_answer(response, options)
    assert (parsed.answer, parsed.how) == (answer, how)


# A reasoning model (DeepSeek-R1's template opens the think block itself): the answer counts only after
# `</think>`; a response cut off inside the chain is invalid, whatever numbers the chain mentions.
@pytest.mark.parametrize(
    "response, answer, how, reason",
    [
        ("Okay, Americans value family, so 1 seems right. But option 2", None, "invalid", "unclosed-think"),
        ("<think>Option 2 fits</think>", None, "invalid", "no-valid-option"),
        ("Family first, so 1.\n</think>\n\n1", 1, "strict", None),
        ("<think>Option 2 fits</think> 3", 3, "strict", None),
        ("", None, "invalid", "unclosed-think"),
        (None, None, "invalid", "unclosed-think"),
    ],
)
def test_reasoning_model_needs_a_closed_think_block(response, answer, how, reason):
    parsed = parse_answer(response, FOUR, reasoning=True)
    assert (parsed.answer, parsed.how, parsed.reason) == (answer, how, reason)


def test_the_same_text_from_a_non_reasoning_model_is_an_answer():
    assert parse_answer("Family first, so 1 seems right.", FOUR).answer == 1
    assert parse_answer("Family first, so 1 seems right.", FOUR, reasoning=True).reason == "unclosed-think"


def test_strip_think_keeps_only_the_answer():
    assert strip_think("<think>a</think>b<think>c</think> d") == "b d"
    assert strip_think("reasoning</think>final") == "final"
    assert strip_think("answer <think>never closed") == "answer"


@pytest.mark.parametrize("reply", [
    "#Options: 1.Strongly agree 2.Agree 3",           # Vanilla on SmolLM2, the tiny run: the options copied
    "#Cases: 1.1 2.2 3.3",                            # ICL: the cases' numbering copied
    "#Cultural Norms:\nlow-level: 1. People in the",  # CNCA-T: the norm list copied
    "1. Very happy 2. Not very happy 3. Not at all",  # the options, listed
    "1. Often\n2. Sometimes\n3. Rarely",
    "#1. Daily 2. Weekly 3.Monthly 4.",
    "#Question: How important is family? 1",
])
def test_a_reply_that_restates_the_prompt_is_invalid_with_its_own_reason(reply):
    from culturealign.parsing import RESTATES_PROMPT

    parsed = parse_answer(reply, [1, 2, 3, 4])
    assert parsed.answer is None and parsed.reason == RESTATES_PROMPT


@pytest.mark.parametrize("reply, answer, how", [
    ("2. Rather important", 2, "strict"),
    ("2.2\n\nChoose: 1.1", 2, "strict"),                 # one item, then a second one out of order
    ("#4", 4, "strict"),
    ("#5\n\n# Question: Do you think", 5, "strict"),  # an answer, then a question of its own
    ("The answer is 1.Quite frequently", 1, "lenient"),
    ("1. Very important\n\nThis is the only option", 1, "strict"),
])
def test_answers_are_still_answers(reply, answer, how):
    parsed = parse_answer(reply, [1, 2, 3, 4, 5])
    assert (parsed.answer, parsed.how) == (answer, how)
