"""Self-distillation rounds, chain judging, DPO pairs and training sets, on scripted model outputs
that run through the real parser and the real round loop."""

import json

import pytest

from culturealign.papers.cnca.distill import (build_pairs, distill_country, dpo_country, judge_chain, training_qids)
from culturealign.engine import Sampling
from culturealign.papers.cnca.finetune import chain_examples, dpo_examples
from culturealign.training import EmptyTrainingSet, render_completion

SAMPLING = Sampling(temperature=0.6, max_new_tokens=32, seed=0)


class ScriptedEngine:
    """Answers by script: script[qid] is a list of rounds, each a list of n texts. The round is read
    from the sampling seed (round r samples with seed + r), the question from the prompt."""

    def __init__(self, questions, script, fail_in_round=None):
        self.script, self.questions, self.fail_in_round = script, questions, fail_in_round
        self.calls = []

    def _qid(self, conversation):
        user = conversation[-1]["content"]
        return next(qid for qid in self.script if self.questions[qid]["question"] in user)

    def generate(self, conversations, sampling):
        rnd = sampling.seed - SAMPLING.seed
        if rnd == self.fail_in_round:
            raise RuntimeError("killed")
        qids = [self._qid(c) for c in conversations]
        self.calls.append((rnd, qids))
        return [self.script[q][rnd - 1][: sampling.n] for q in qids]

    def determinism(self):
        return "scripted"


def chain(reasoning, answer):
    return f"<think>{reasoning}</think>\n{answer}"


@pytest.fixture
def three(questions, split):
    qids = training_qids(split, [10], 3)
    truth = {q: questions[q]["ground_truth"]["USA"] for q in qids}
    assert all(t is not None for t in truth.values())
    return qids, truth


def wrong(truth, question):
    return next(o["id"] for o in question["options"] if o["id"] != truth)


def test_chains_found_in_round_one_round_three_and_never(questions, three):
    (q1, q3, qn), truth = three
    bad = {q: chain("I weigh what people around me do here.", wrong(truth[q], questions[q])) for q in three[0]}
    script = {
        q1: [[bad[q1], chain("Most people here value this a lot.", truth[q1])]],
        q3: [[bad[q3], "no idea"], [bad[q3], bad[q3]], ["2 maybe", chain("In my culture this matters.", truth[q3])]],
        qn: [[bad[qn], bad[qn]]] * 3,
    }
    engine = ScriptedEngine(questions, script)
    records = distill_country(engine, variant="cot", country="USA", questions=questions, qids=[q1, q3, qn], norms=None,
                              reasoning_model=False, accept_untagged=False, rounds=3, n=2, sampling=SAMPLING)
    by = {r["qid"]: r for r in records}
    assert by[q1]["status"] == "found" and by[q1]["round"] == 1 and by[q1]["kept"]["sample"] == 1
    assert by[q1]["kept"]["answer"] == truth[q1] and by[q1]["kept"]["reasoning"] == "Most people here value this a lot."
    assert by[q3]["status"] == "found" and by[q3]["round"] == 3 and len(by[q3]["samples"]) == 6
    assert [s["status"] for s in by[q3]["samples"]][:2] == ["wrong-answer", "no-reasoning"]
    assert by[qn]["status"] == "not-found" and by[qn]["kept"] is None and by[qn]["fallback"]["answer"] == truth[qn]
    # only the unsolved questions are asked again, in one batched call per round
    assert engine.calls == [(1, [q1, q3, qn]), (2, [q3, qn]), (3, [q3, qn])]


def test_a_resumed_distillation_skips_solved_questions_and_writes_the_same(questions, three, tmp_path):
    (q1, q3, qn), truth = three
    good = {q: chain("Most people here value this a lot.", truth[q]) for q in three[0]}
    bad = {q: chain("A different view is common here.", wrong(truth[q], questions[q])) for q in three[0]}
    script = {q1: [[good[q1]]], q3: [[bad[q3]], [good[q3]]], qn: [[bad[qn]], [bad[qn]]]}
    kwargs = dict(variant="cot", country="USA", questions=questions, qids=[q1, q3, qn], norms=None,
                  reasoning_model=False, accept_untagged=False, rounds=2, n=1, sampling=SAMPLING)
    checkpoint = tmp_path / "ckpt.json"
    with pytest.raises(RuntimeError, match="killed"):
        distill_country(ScriptedEngine(questions, script, fail_in_round=2), checkpoint=checkpoint, **kwargs)
    assert json.loads(checkpoint.read_text())["rounds_done"] == 1
    engine = ScriptedEngine(questions, script)
    resumed = distill_country(engine, checkpoint=checkpoint, **kwargs)
    assert engine.calls == [(2, [q3, qn])]  # q1, solved in round 1, is not asked again
    fresh = distill_country(ScriptedEngine(questions, script), **kwargs)
    assert json.dumps(resumed, sort_keys=True) == json.dumps(fresh, sort_keys=True)


def test_judge_chain_formats():
    ids = [1, 2, 3, 4]
    assert judge_chain("<think>People here pray often.</think>\n2", ids, 2).status == "correct"
    assert judge_chain("<think>People here pray often.</think>\n3", ids, 2).status == "wrong-answer"
    assert judge_chain("People here pray often.</think>\n\n2", ids, 2).status == "correct"  # R1: template opened it
    assert judge_chain("<think>People here pray often and", ids, 2).status == "unclosed-think"
    assert judge_chain("<think>ok</think>2", ids, 2).status == "no-reasoning"
    assert judge_chain("<think>1 and 2</think>2", ids, 2).status == "no-reasoning"
    assert judge_chain("<think>People here pray often.</think> none", ids, 2).status == "no-answer"
    untagged = "Religion shapes daily life here.\nSo the answer is 2."
    assert judge_chain(untagged, ids, 2).status == "no-reasoning"  # tags required by default
    accepted = judge_chain(untagged, ids, 2, accept_untagged=True)
    assert accepted.status == "correct" and accepted.format == "untagged"
    assert accepted.reasoning == "Religion shapes daily life here."
    assert judge_chain("Religion shapes daily life here.\nI choose option 9.", ids, 2, True).status == "no-answer"


def test_cnca_norm_is_in_the_distillation_prompt_and_not_in_the_training_example(questions, split, tmp_path):
    qid = training_qids(split, [10], 1)[0]
    truth = questions[qid]["ground_truth"]["USA"]
    norm = "Americans see faith as a private matter of personal choice."
    norms = {"miner": "m", "mining": "tq-ta", "country": "USA",
             "topics": {"10": {"low_level": [{"qid": qid, "norm": norm}], "high_level": None}}}
    engine = ScriptedEngine(questions, {qid: [[chain("Faith is personal for most people.", truth)]]})
    records = distill_country(engine, variant="cnca", country="USA", questions=questions, qids=[qid], norms=norms,
                              reasoning_model=False, accept_untagged=False, rounds=1, n=1, sampling=SAMPLING)
    assert norm in records[0]["distill_messages"][1]["content"]
    assert "<think>" in records[0]["distill_messages"][1]["content"]  # non-reasoning model is asked to think
    path = tmp_path / "USA.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    examples, counts = chain_examples(questions, [str(path)])
    assert counts == {"USA": {"found": 1, "not-found": 0, "no-ground-truth": 0}}
    (example,) = examples
    text = json.dumps(example["messages"])
    assert norm not in text and "Cultural Norm" not in text and "<think>" not in text
    assert example["messages"][1]["content"].endswith("Please return the number of the selected option only.")
    assert example["target"] == {"reasoning": "Faith is personal for most people.", "answer": truth}


def test_no_chain_anywhere_is_reported_with_counts_not_trained_on(questions, three, tmp_path):
    qids, truth = three
    engine = ScriptedEngine(questions, {q: [["just a number: 1"]] for q in qids})
    records = distill_country(engine, variant="cot", country="USA", questions=questions, qids=qids, norms=None,
                              reasoning_model=False, accept_untagged=False, rounds=1, n=1, sampling=SAMPLING)
    path = tmp_path / "USA.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    with pytest.raises(EmptyTrainingSet, match=r"'not-found': 3"):
        chain_examples(questions, [str(path)])


def test_dpo_pairs_first_correct_with_first_incorrect(questions, three, tmp_path):
    (q1, q2, q3), truth = three
    good = lambda q, i: chain(f"Reason {i} why people here agree.", truth[q])  # noqa: E731
    bad = lambda q, i: chain(f"Reason {i} for the other view here.", wrong(truth[q], questions[q]))  # noqa: E731
    script = {q1: [[good(q1, 1), bad(q1, 1)]],
              q2: [[good(q2, 1), good(q2, 2)], [good(q2, 3), good(q2, 4)]],
              q3: [[bad(q3, 1), "1"], [good(q3, 1), bad(q3, 2)]]}
    engine = ScriptedEngine(questions, script)
    records = dpo_country(engine, country="USA", questions=questions, qids=[q1, q2, q3], reasoning_model=False,
                          accept_untagged=False,
                          rounds=2, n=2, sampling=SAMPLING, pairs_per_question=1)
    by = {r["qid"]: r for r in records}
    assert engine.calls == [(1, [q1, q2, q3]), (2, [q2, q3])]
    assert by[q1]["pairs"][0]["chosen"]["reasoning"] == "Reason 1 why people here agree."
    assert by[q1]["pairs"][0]["rejected_from"] == [1, 1]
    assert by[q2]["status"] == "no-incorrect-chain" and by[q2]["pairs"] == []
    assert by[q3]["pairs"][0]["chosen_from"] == [2, 0] and by[q3]["pairs"][0]["rejected_from"] == [1, 0]
    # sampled like the CoT distillation (reasoning asked for, no norm); trained on the Standard prompt
    assert "<think>" in by[q1]["sampling_messages"][1]["content"]
    assert "Cultural Norm" not in json.dumps(by[q1]["sampling_messages"] + by[q1]["messages"])
    assert by[q1]["messages"][1]["content"].endswith("Please return the number of the selected option only.")
    samples = by[q1]["samples"] * 2
    assert len(build_pairs(samples, 2)) == 2 and len(build_pairs(samples, 1)) == 1
    path = tmp_path / "dpo.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    examples, _ = dpo_examples([str(path)])
    assert len(examples) == 2 and {"chosen", "rejected", "messages"} <= examples[0].keys()
    path.write_text("".join(json.dumps({**r, "pairs": []}) + "\n" for r in records))
    with pytest.raises(EmptyTrainingSet, match="no DPO preference pair"):
        dpo_examples([str(path)])


def test_completion_continues_a_think_block_the_template_opened():
    target = {"reasoning": "Because.", "answer": 2}
    assert render_completion(target, "<|im_start|>assistant\n") == "<think>\nBecause.\n</think>\n\n2"
    assert render_completion(target, "<｜Assistant｜><think>\n") == "Because.\n</think>\n\n2"
    assert render_completion({"answer": 3}, "x") == "3"


def test_cnca_distillation_refuses_norms_that_miss_the_topic(questions, split):
    qid = training_qids(split, [8], 1)[0]
    norms = {"miner": "m", "mining": "tq-ta", "country": "USA",
             "topics": {"10": {"low_level": [], "high_level": None}}}
    with pytest.raises(ValueError, match="do not cover topic 8"):
        distill_country(ScriptedEngine(questions, {qid: [["1"]]}), variant="cnca", country="USA",
                        questions=questions, qids=[qid], norms=norms, reasoning_model=False,
                        accept_untagged=False, rounds=1, n=1, sampling=SAMPLING)
