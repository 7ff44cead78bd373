import copy

import pytest
import yaml

from culturealign.config import ConfigError, validate_config
from culturealign.engine import Sampling
from culturealign.registry import MethodContext, get_method
from culturealign.papers.cnca.norms import (extract_norm, extract_norm_list, low_level_prompts, mine_norms, norms_for_prompt,
                                ranked_options)
from culturealign.prompts import render_options
from culturealign.wvs import as_question

from conftest import ROOT

SPLIT = {"topics": {"10": {"name": "Religious Values", "train": ["Q164", "Q165", "Q171"], "test": ["Q172"]}}}


def test_ranked_answers_follow_the_country_shares(questions):
    # USA Q3 shares: 2 -> 0.495, 1 -> 0.388, 3 -> 0.103, 4 -> 0.008
    assert ranked_options(questions["Q3"], "USA") == [
        "Rather important", "Very important", "Not very important", "Not at all important"]
    # every option appears once, whatever its share
    assert sorted(ranked_options(questions["Q94"], "CHN")) == sorted(o["text"] for o in questions["Q94"]["options"])


def test_mining_prompts_golden_text(questions):
    (t,) = low_level_prompts("t", "USA", 10, questions, SPLIT, 5)
    assert t == (None, 'Topic: Religious Values\nCountry: the United States\nWrite 5 cultural norms that people '
                       'in the United States commonly hold about the topic "Religious Values". Number them 1 to 5, '
                       'one per line, each a single sentence.')
    ta = low_level_prompts("tq-ta", "USA", 10, questions, SPLIT, 5)
    assert [qid for qid, _ in ta] == ["Q164", "Q165", "Q171"]
    q164 = questions["Q164"]
    top = next(o["text"] for o in q164["options"] if o["id"] == q164["ground_truth"]["USA"])
    assert ta[0][1] == (f'Topic: Religious Values\nIn the World Values Survey, most people in the United States '
                        f'answered the question "{q164["question"]}" with "{top}".\nState in one sentence the '
                        f'cultural norm of people in the United States that this answer reflects.')
    ra = low_level_prompts("tq-ra", "USA", 10, questions, SPLIT, 5)
    ranked = " > ".join(ranked_options(q164, "USA"))
    assert ra[0][1] == (f'Topic: Religious Values\nIn the World Values Survey, people in the United States answered '
                        f'the question "{q164["question"]}" as follows, from the most to the least chosen answer: '
                        f'{ranked}.\nState in one sentence the cultural norm of people in the United States that '
                        f'these answers reflect.')


@pytest.mark.parametrize("raw, norm", [
    ("Americans value religious freedom.", "Americans value religious freedom."),
    ("<think>The answer says God is important...</think>\n\nNorm: Most Americans see God as important.",
     "Most Americans see God as important."),
    ('**Cultural norm:** "Religion is a private matter."\n\nExplanation: ...', "Religion is a private matter."),
    ("<think>I ran out of tokens before", None),
    ("", None),
    ("   \n\n  ", None),
])
def test_extract_one_norm(raw, norm):
    assert extract_norm(raw) == norm


def test_extract_a_numbered_list():
    raw = ("<think>list five</think>Here are the norms:\n1. Family comes first.\n2) Elders are respected.\n"
           "- Hospitality matters.\n4. Work hard.\n5. Be modest.\n6. Extra one.")
    assert extract_norm_list(raw, 5) == ["Family comes first.", "Elders are respected.", "Hospitality matters.",
                                         "Work hard.", "Be modest."]
    assert extract_norm_list("Just one sentence.", 5) == ["Just one sentence."]
    assert extract_norm_list("", 5) == []


class ScriptedEngine:
    """Answers from a script, in call order; records the prompts it was asked."""

    def __init__(self, script):
        self.script, self.calls = list(script), []

    def generate(self, conversations, sampling):
        self.calls.append([c[1]["content"] for c in conversations])
        return [[self.script.pop(0)] for _ in conversations]


def test_mine_norms_one_batched_call_per_stage(questions):
    engine = ScriptedEngine(["Norm A.", "<think>hm</think>", "Norm C.", "High-level norm: Faith matters."])
    record = mine_norms(engine, miner="m", mining="tq-ta", country="USA", questions=questions, split=SPLIT,
                        topics=[10], m=5, sampling=Sampling())
    assert [len(call) for call in engine.calls] == [3, 1]                 # all low-level, then all high-level
    topic = record["topics"]["10"]
    assert [(i["qid"], i["norm"], i["status"]) for i in topic["low_level"]] == [
        ("Q164", "Norm A.", "ok"), ("Q165", None, "no-usable-norm"), ("Q171", "Norm C.", "ok")]
    assert topic["low_level"][1]["raw"] == "<think>hm</think>"            # raw kept for audit
    assert topic["high_level"]["norm"] == "Faith matters."
    assert "1. Norm A.\n2. Norm C." in engine.calls[1][0]                 # only usable norms aggregated
    assert record["counts"] == {"low_level_ok": 2, "low_level_missing": 1, "high_level_ok": 1,
                                "high_level_missing": 0, "unclosed_think": 0, "cut_off": 0}
    low, high, n, missing = norms_for_prompt(record, 10, 5)
    assert (low, high, n, missing) == ("1. Norm A.\n2. Norm C.", "Faith matters.", 2, True)
    assert norms_for_prompt(record, 10, 1)[:3] == ("1. Norm A.", "Faith matters.", 1)


def test_norms_instruction_is_table2_cultural_norms(questions):
    norms = {"miner": "m", "mining": "tq-ta", "country": "USA", "topics": {"10": {
        "low_level": [{"qid": "Q164", "norm": "God matters."}, {"qid": "Q165", "norm": "Church is common."}],
        "high_level": {"norm": "Religion is central."}}}}
    ctx = MethodContext(questions, SPLIT, {"norms": norms, "n_low": 5})
    q = as_question(questions["Q172"])
    assert get_method("cnca-tq-ta").build(q, "USA", ctx) == (
        "Given a #Question and #Options, choose the option that best aligns with your own value system to answer "
        "the question. You can refer to the given cultural norms.\n#Cultural Norms:\n"
        "low-level: 1. God matters.\n2. Church is common.\nhigh-level: Religion is central.\n"
        f"#Question: {q.text} #Options: {render_options(q)}\n"
        "Please return the number of the selected option only.")


def test_cnca_t_is_step_a_only_no_high_level_norm(questions):
    """CNCA Figure 2 caption: only TQ (TA) and TQ (RA) abstract their norms into a high-level norm."""
    engine = ScriptedEngine(["1. Faith is private.\n2. Churches are community centres."])
    record = mine_norms(engine, miner="m", mining="t", country="USA", questions=questions, split=SPLIT,
                        topics=[10], m=5, sampling=Sampling())
    assert len(engine.calls) == 1                                          # no aggregation call
    assert record["topics"]["10"]["high_level"] is None
    assert "high_level_ok" not in record["counts"]
    low, high, n, missing = norms_for_prompt(record, 10, 2)
    assert (high, n, missing) == (None, 2, False)                          # nothing missing: none expected
    ctx = MethodContext(questions, SPLIT, {"norms": record, "n_low": 2})
    q = as_question(questions["Q172"])
    text = get_method("cnca-t").build(q, "USA", ctx)
    assert "high-level" not in text
    assert "#Cultural Norms:\nlow-level: 1. Faith is private.\n2. Churches are community centres.\n#Question:" in text


def test_a_reasoning_miners_unclosed_think_block_is_no_norm(questions):
    """DeepSeek-R1's template opens the think block: a response cut off before </think> is unfinished
    reasoning. It is recorded with its reason, never stored as an "ok" norm."""
    cut = "Okay, so the question asks about God. Americans mostly say very important, so the norm"
    engine = ScriptedEngine([cut, "Thinking...</think>\n\nFaith matters.", cut, cut])  # last: aggregation
    record = mine_norms(engine, miner="m", mining="tq-ta", country="USA", questions=questions, split=SPLIT,
                        topics=[10], m=5, sampling=Sampling(), reasoning=True)
    low = record["topics"]["10"]["low_level"]
    assert [(i["norm"], i["status"]) for i in low] == [
        (None, "unclosed-think"), ("Faith matters.", "ok"), (None, "unclosed-think")]
    assert low[0]["raw"] == cut                                            # kept for audit
    assert record["topics"]["10"]["high_level"]["status"] == "unclosed-think"
    assert record["counts"]["unclosed_think"] == 3
    # the same text from a non-reasoning miner is an ordinary answer
    assert extract_norm(cut, reasoning=False) == cut and extract_norm(cut, reasoning=True) is None
    assert extract_norm_list(cut, 5, reasoning=True) == []


def test_a_method_needing_unmined_norms_is_refused():
    config = yaml.safe_load((ROOT / "config.yaml").read_text())
    config["models"]["other"] = copy.deepcopy(config["models"]["smollm2-135m"])
    config["cnca"]["evaluation"]["models"] = ["smollm2-135m", "other"]
    config["cnca"]["norms"]["miners"] = ["smollm2-135m"]
    with pytest.raises(ConfigError) as err:
        validate_config(config)
    assert "needs norms mined by 'other'" in str(err.value) and "country 'GBR'" in str(err.value)
    config = yaml.safe_load((ROOT / "config.yaml").read_text())
    config["cnca"]["norms"]["countries"] = ["GBR"]
    with pytest.raises(ConfigError) as err:
        validate_config(config)
    assert "(miner, country) pair" in str(err.value) and "country 'CHN'" in str(err.value)


def test_ra_ranks_a_tie_as_the_ground_truth_does(questions):
    """BOL Q50: options 8 and 7 share the largest share; the ground truth (the first listed in the
    shares file), TQ (TA) and ICL take 8, so RA ranks 8 first too."""
    from culturealign.papers.cnca.norms import ranked_options

    record = questions["Q50"]
    shares = record["shares"]["BOL"]
    assert shares["8"] == shares["7"] and list(shares)[:2] == ["8", "7"] and record["ground_truth"]["BOL"] == 8
    assert ranked_options(record, "BOL")[:2] == ["8", "7"]
    # options nobody chose come last, by id
    fake = {"options": [{"id": 1, "text": "a"}, {"id": 2, "text": "b"}, {"id": 3, "text": "c"}],
            "shares": {"X": {"3": 0.5, "2": 0.5}}}
    assert ranked_options(fake, "X") == ["c", "b", "a"]


def test_a_norm_the_budget_cut_is_marked_and_not_used(questions):
    """The last norm of a generation that stops mid-sentence (the token budget ran out) is `cut-off`: its
    text is kept for audit, the prompt uses only whole norms and counts the rest as missing."""
    from culturealign.papers.cnca.norms import cut_off

    assert cut_off('1. Respect elders.\n2. The family is referred to as the "d', 'The family is referred to as the "d')
    assert not cut_off("1. Respect elders.\n2. Family first.", "Family first.")
    assert not cut_off("Norm: Faith matters.", "Faith matters.") and not cut_off("anything", None)
    engine = ScriptedEngine(["1. Elders are respected.\n2. Faith is private.\n3. People pray before meals and"])
    record = mine_norms(engine, miner="m", mining="t", country="USA", questions=questions, split=SPLIT,
                        topics=[10], m=5, sampling=Sampling())
    low = record["topics"]["10"]["low_level"]
    assert [(i["norm"], i["status"]) for i in low] == [("Elders are respected.", "ok"), ("Faith is private.", "ok"),
                                                       (None, "cut-off")]
    assert low[2]["cut_off_text"] == "People pray before meals and" and record["counts"]["cut_off"] == 1
    assert norms_for_prompt(record, 10, 5)[2:] == (2, True)   # two whole norms of five: missing
    tq = ScriptedEngine(["A norm that ends.", "Another one cut in the", "Third.", "High-level: faith and"])
    tq_record = mine_norms(tq, miner="m", mining="tq-ta", country="USA", questions=questions, split=SPLIT,
                           topics=[10], m=5, sampling=Sampling())
    assert [i["status"] for i in tq_record["topics"]["10"]["low_level"]] == ["ok", "cut-off", "ok"]
    assert tq_record["topics"]["10"]["high_level"]["status"] == "cut-off"
    assert tq_record["topics"]["10"]["high_level"]["norm"] is None


def test_norms_missing_counts_only_scored_questions():
    """A question without ground truth for the country is not scored, and its missing norms not counted."""
    from culturealign.scoring import score_records

    q = {"Q1": {"options": [{"id": 1}, {"id": 2}], "ground_truth": {"CHN": 1}},
         "Q2": {"options": [{"id": 1}, {"id": 2}], "ground_truth": {"CHN": None}}}
    [row] = score_records([{"qid": "Q1", "country": "CHN", "response": "1", "norms_missing": True},
                           {"qid": "Q2", "country": "CHN", "response": "1", "norms_missing": True}], q)
    assert row.n_norms_missing == 1 and row.n_no_truth == 1 and row.n_valid == 1
