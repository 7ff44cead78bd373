"""CultureSPA §4.1 question generation on scripted model outputs (the prompt as its code sends it, the
example sampling, unparseable answers counted, a killed job resumed to the same result) and Appendix C
filtering as its notebook does it (duplicates, the two format errors of Table 15, the rewrites)."""

import json
import random
from pathlib import Path

import pytest

from culturealign.papers.culturespa import generate as gen
from culturealign.papers.culturespa.filtering import check_format, clean_option, filter_questions

# GDCRQ_utils.py, word for word: the system prompt and task_prompt_topic / example_template_topic.
REF_SYSTEM = ("You are a social scientist on the World Values Survey team, dedicated to studying and understanding "
              "shifts in human values across nearly 100 countries. Your work involves rigorous research designs and "
              "aims to capture a comprehensive view of human beliefs through nationally representative surveys.")
REF_TASK = """Please come up with one new survey question.
Make sure your question addresses the topic of {}.
For reference, here are some example questions:
{}
Note that your question should be clearly different from the example questions provided and must pertain to the topic of {}.
Please return your question in JSON format, for example:{{"Question:" ..., "Options": [..., ..., ...]}}.
Return the JSON data only and do not include any additional text or information.
"""
REF_EXAMPLE = """#Example {}:
Question: {}
Options: {}
"""


def test_the_generation_prompt_is_the_codes(questions):
    examples = [{"question": questions[q]["question"], "options": [o["text"] for o in questions[q]["options"]]}
                for q in ("Q164", "Q165")]
    expected = REF_TASK.format("Religious Values", "\n".join(
        REF_EXAMPLE.format(i + 1, e["question"], str(e["options"])) for i, e in enumerate(examples)), "Religious Values")
    assert gen.prompt("Religious Values", examples) == [{"role": "system", "content": REF_SYSTEM},
                                                        {"role": "user", "content": expected}]


def test_examples_are_three_seeds_and_two_generated_once_two_exist():
    rng = random.Random(0)
    seeds = [f"Q{i}" for i in range(10)]
    assert sorted(gen.sample_examples(rng, seeds, [])) == sorted(set(gen.sample_examples(random.Random(0), seeds, [])))
    assert all(x in seeds for x in gen.sample_examples(rng, seeds, []))                # none generated yet: 5 seeds
    assert len(gen.sample_examples(rng, seeds, ["G0"])) == 5
    picked = gen.sample_examples(rng, seeds, ["G0", "G1", "G2"])
    assert len(picked) == 5 and sum(x.startswith("G") for x in picked) == 2
    one = gen.sample_examples(rng, ["Q7"], ["G0", "G1", "G2", "G3", "G4"])              # "One": 1 seed + 4 generated
    assert one.count("Q7") == 1 and len(one) == 5


def test_parse_generation_keeps_json_and_names_every_other_case():
    ok, why = gen.parse_generation('{"Question": "How often?", "Options": ["Often", "Never"]}')
    assert ok == {"question": "How often?", "options": ["Often", "Never"]} and why is None
    assert gen.parse_generation('{"question": "Q?", "options": ["a"]}')[0]["question"] == "Q?"
    for text, reason in [("Sure! Here it is", "not-json"), ("[1, 2]", "not-json-object"),
                         ('{"Options": ["a"]}', "no-question"), ('{"Question": "Q?", "Options": "a, b"}', "no-options"),
                         ('{"Question": "Q?", "Options": []}', "no-options")]:
        assert gen.parse_generation(text) == (None, reason), text
    fenced = 'Here you go:\n```json\n{"Question": "Q?", "Options": ["a", "b"]}\n```'
    assert gen.parse_generation(fenced) == (None, "not-json")                       # the code's rule
    assert gen.parse_generation(fenced, "first-object")[0] == {"question": "Q?", "options": ["a", "b"]}
    assert gen.parse_generation("no braces", "first-object") == (None, "not-json")


class Scripted:
    """A model that answers round r's prompts with scripted texts; `die_at` raises at that round."""

    def __init__(self, die_at=None):
        self.calls, self.die_at = [], die_at

    def __call__(self, conversations, round_index):
        if round_index == self.die_at:
            raise RuntimeError("node lost")
        self.calls.append((round_index, len(conversations)))
        out = []
        for i, _ in enumerate(conversations):
            if (round_index + i) % 3 == 0:
                out.append("not json at all")
            else:
                out.append(json.dumps({"Question": f"Generated question {round_index}.{i}?", "Options": ["Yes", "No"]}))
        return out


def test_generation_counts_drops_and_a_killed_job_resumes_to_the_same_questions(questions, tmp_path):
    args = dict(setting="all", target=5, batch=3, max_rounds=10, seed=42)
    whole = gen.generate_topic(Scripted(), questions, 8, "Postmaterialist Index", checkpoint=tmp_path / "a.jsonl", **args)
    assert whole["counts"]["kept"] == 5 and whole["counts"]["dropped"]["not-json"] >= 1
    assert len(whole["raw"]) == whole["counts"]["generations"]
    assert all(q["id"].startswith("T8-G") for q in whole["questions"])
    # examples of the first round are seed questions of the topic only
    assert all(all(x in whole["seeds"] for x in g["examples"]) for g in whole["raw"] if g["round"] == 0)

    checkpoint = tmp_path / "b.jsonl"
    with pytest.raises(RuntimeError):
        gen.generate_topic(Scripted(die_at=2), questions, 8, "Postmaterialist Index", checkpoint=checkpoint, **args)
    assert len(checkpoint.read_text().splitlines()) == 2  # two rounds were written before the node was lost
    again = Scripted()
    resumed = gen.generate_topic(again, questions, 8, "Postmaterialist Index", checkpoint=checkpoint, **args)
    assert again.calls[0][0] == 2  # continued at round 2
    assert resumed["questions"] == whole["questions"] and resumed["counts"] == whole["counts"]


def test_a_model_that_never_answers_in_json_stops_at_max_rounds(questions, tmp_path):
    never = lambda conversations, r: ["no"] * len(conversations)  # noqa: E731
    out = gen.generate_topic(never, questions, 2, "Happiness and Well-being", setting="one", target=3, batch=2,
                             max_rounds=4, seed=1, checkpoint=tmp_path / "c.jsonl")
    assert out["counts"] == {"target": 3, "kept": 0, "rounds": 4, "generations": 8, "dropped": {"not-json": 8}}
    assert len(out["seeds"]) == 1


def test_format_rules_of_the_filtering_notebook():
    # error 1: bare numbers without a scale in the question
    assert check_format("Do you agree?", ["1", "2", "3"])[2] == "error-1-options-do-not-match-question"
    assert check_format("On a scale from 1 to 3, do you agree?", ["1", "2", "3"])[2] is None
    # all numbered: numbers stripped
    assert check_format("Q?", ["1. Yes", "2 - No", "3 (Maybe)"]) == ("Q?", ["Yes", "No", "Maybe"], None)
    assert clean_option("4 (Often)") == "Often"  # the number, its bracket, and the lone closing bracket
    # numbered ends only: a card sentence, ends become numbers
    q, options, reason = check_format("How important?", ["1 - Not at all important", "2", "3", "4", "5 - Very important"])
    assert reason is None and options == ["1", "2", "3", "4", "5"]
    assert q == "How important? Using this card on which 1 means 'Not at all important' and 5 means 'Very important'"
    # error 2: Table 15's Q12362 (numbered 1, 5 and 6 with bare numbers between)
    assert check_format("Accountable?", ["1 - Not at all important", "2", "3", "4", "5 - Very important",
                                         "6 - Extremely important"])[2] == "error-2-inconsistent-option-formats"
    assert check_format("Q?", ["1 - Agree", "2", "3 - Refuse to answer"])[2] == "error-2-inconsistent-option-formats"
    assert check_format("Q?", ["Often", "Never"]) == ("Q?", ["Often", "Never"], None)


def test_filter_drops_duplicates_of_seeds_and_of_earlier_questions_and_counts_reasons():
    generated = [{"id": "a", "question": "How important is family in your life?", "options": ["Very", "Not"]},
                 {"id": "b", "question": "New?", "options": ["Yes", "No"]},
                 {"id": "c", "question": "New?", "options": ["Yes", "No"]},
                 {"id": "d", "question": "Rate it", "options": ["1", "2"]},
                 {"id": "e", "question": "Long " * 50, "options": ["x"]}]
    kept, dropped, counts = filter_questions(generated, ["How important is family in your life?"])
    assert [k["id"] for k in kept] == ["b", "e"]
    assert {d["id"]: d["reason"] for d in dropped} == {"a": "duplicate", "c": "duplicate",
                                                      "d": "error-1-options-do-not-match-question"}
    assert counts["duplicate"] == 2 and counts["too-long"] == 0 and counts["kept"] == 2
    # the optional outlier limits, off by default (the code only inspected lengths and option counts)
    kept, dropped, counts = filter_questions(generated, [], max_chars=100, option_range=(2, 10))
    assert {d["id"]: d["reason"] for d in dropped}["e"] == "too-long" and counts["too-long"] == 1


def test_generated_questions_become_survey_records_numbered_as_the_code_does():
    from culturealign.papers.culturespa.crqpc import as_records

    records = as_records([{"id": "T1-G0", "topic_id": 1, "question": "Q?", "options": ["Yes", "No"]},
                          {"id": "T1-G1", "topic_id": 1, "question": "Rate", "options": ["0", "1", "2"]},
                          {"id": "T1-G2", "topic_id": 1, "question": "Rate", "options": [1, 2, 3]}])
    assert [o["id"] for o in records["T1-G0"]["options"]] == [1, 2]
    assert [o["id"] for o in records["T1-G1"]["options"]] == [0, 1, 2]   # first option "0": numbered from 0
    assert [o["text"] for o in records["T1-G2"]["options"]] == ["1", "2", "3"]
    assert records["T1-G0"]["ground_truth"] == {}


def test_crqpc_keeps_shifted_answers_and_the_ablations_match_its_size():
    from culturealign.papers.culturespa.crqpc import answers, select

    unaware = answers([{"qid": f"q{i}", "response": r} for i, r in enumerate(["1", "2", "3", "4", "x", "12", "16"])])
    assert unaware == {"q0": "1", "q1": "2", "q2": "3", "q3": "4", "q4": None, "q5": "12", "q6": None}  # 0..15
    aware = {"USA": {"q0": "1", "q1": "1", "q2": "3", "q3": "2", "q4": "1", "q5": "12", "q6": "2"},
             "CHN": {"q0": "1", "q1": "2", "q2": "3", "q3": "4", "q4": "2", "q5": "12", "q6": "1"}}
    examples, counts = select(unaware, aware, seed=42)
    usa = {rule: [e["qid"] for e in examples if e["country"] == "USA" and e["rule"] == rule]
           for rule in ("crqpc", "cds", "rds")}
    assert usa["crqpc"] == ["q1", "q3"]                       # o_c != o, both answers valid
    assert len(usa["cds"]) == 2 and set(usa["cds"]) <= {"q0", "q2", "q5"}   # o_c == o, cut to CRQPC's size
    assert len(usa["rds"]) == 2 and set(usa["rds"]) <= {"q0", "q1", "q2", "q3", "q5"}
    assert counts["USA"] == {"questions": 7, "valid": 5, "aware_out_of_range": 0, "shifted": 2, "same": 3,
                             "crqpc": 2, "cds": 2, "rds": 2}
    assert counts["CHN"]["shifted"] == 0 and counts["CHN"]["rds"] == 0   # no shift: nothing to train on
    first = next(e for e in examples if e["rule"] == "crqpc")
    assert first == {"rule": "crqpc", "country": "USA", "qid": "q1", "unaware": "2", "aware": "1"}
    assert select(unaware, aware, seed=42) == (examples, counts)  # seeded


def test_crqpc_compares_the_answer_strings_and_rejects_culture_aware_answers_outside_the_options():
    """3.CRQPC.py compares the parsed strings ("03" and "3" differ); 4.format_data_alpaca.py stops on a
    culture-aware answer it cannot use: here it is left out of every rule and counted."""
    from culturealign.papers.culturespa.crqpc import answer_string, answers, option_ids, select

    assert answer_string("Option 03, because") == "03" and answer_string("I pick 16") is None
    assert answer_string("<think>2 ways</think> 4", reasoning=True) == "4"
    assert answer_string("<think>no end", reasoning=True) is None
    generated = [{"id": "g0", "topic_id": 1, "question": "?", "options": ["Yes", "No", "Maybe"]},
                 {"id": "g1", "topic_id": 1, "question": "?", "options": ["0", "1", "2"]},
                 {"id": "g2", "topic_id": 1, "question": "?", "options": ["A", "B"]}]
    options = option_ids(generated)
    assert options == {"g0": {1, 2, 3}, "g1": {0, 1, 2}, "g2": {1, 2}}
    unaware = answers([{"qid": "g0", "response": "3"}, {"qid": "g1", "response": "0"}, {"qid": "g2", "response": "1"}])
    aware = {"USA": answers([{"qid": "g0", "response": "03"}, {"qid": "g1", "response": "2"},
                             {"qid": "g2", "response": "7"}])}
    examples, counts = select(unaware, aware, seed=0, options=options)
    assert [(e["qid"], e["unaware"], e["aware"]) for e in examples if e["rule"] == "crqpc"] == [
        ("g0", "3", "03"), ("g1", "0", "2")]  # "03" != "3" as the reference compares; g2's 7 is no option
    assert counts["USA"]["aware_out_of_range"] == 1 and counts["USA"]["valid"] == 2
    assert all(e["qid"] != "g2" for e in examples)


def test_example_format_reads_the_examples_layout_and_names_what_it_drops():
    text = "Question: How often do you pray?\nOptions: ['Daily', 'Weekly', 'Never']\n\n#Example 6: more"
    assert gen.parse_generation(text, "example-format") == (
        {"question": "How often do you pray?", "options": ["Daily", "Weekly", "Never"]}, None)
    assert gen.parse_generation("Question: Why?\nOptions: ['a', 'b'", "example-format") == (None, "not-example-format")
    assert gen.parse_generation("Question: Why?\nOptions: [__import__('os')]", "example-format") == (
        None, "options-not-a-list")  # a literal only: nothing is evaluated
    assert gen.parse_generation("Question: Why?\nOptions: []", "example-format") == (None, "no-options")
    with pytest.raises(ValueError, match="unknown generation json mode 'yaml'"):
        gen.parse_generation("{}", "yaml")


def test_a_prefill_starts_the_answer_and_is_part_of_the_raw_generation(questions, tmp_path):
    seen = []

    def model(conversations, r):
        seen.extend(conversations)
        return [" Is family important?\nOptions: ['Yes', 'No']"] * len(conversations)

    out = gen.generate_topic(model, questions, 2, "Happiness and Well-being", setting="all", target=1, batch=1,
                             max_rounds=1, seed=1, checkpoint=tmp_path / "p.jsonl", json_mode="example-format",
                             prefill="Question:")
    assert seen[0][-1] == {"role": "assistant", "content": "Question:"}  # the engine continues this message
    assert out["raw"][0]["raw"].startswith("Question: Is family important?")
    assert out["questions"][0]["question"] == "Is family important?"
    assert "Please come up with one new survey question." in out["raw"][0]["prompt"]


@pytest.mark.slow
def test_the_engine_continues_a_final_assistant_message(tiny_run):
    from transformers import AutoTokenizer

    from culturealign.engine.base import continues_answer
    from culturealign.engine.hf import TransformersEngine

    engine = TransformersEngine.__new__(TransformersEngine)  # rendering only: the tokenizer, no weights
    engine.tokenizer = AutoTokenizer.from_pretrained(str(tiny_run / "results/models/smollm2-135m/weights"))
    conversation = [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Question:"}]
    assert continues_answer(conversation) and not continues_answer(conversation[:1])
    assert engine.render(conversation).endswith("<|im_start|>assistant\nQuestion:")
    assert engine.render(conversation[:1]).endswith("<|im_start|>assistant\n")


RELEASED_SAMPLE = Path(__file__).resolve().parents[1] / "resources" / "culturespa" / "released-sample"


def test_the_released_generations_filter_as_the_reference_filters_them():
    """A sample of the authors' 13,000 released questions (every one their filter drops, the first copy of
    every duplicate, Q1879, rewritten ones): the filter drops exactly the reference's 109 duplicates, 31
    and 13 format errors, with the ids 1.merge_data.py gives them, and leaves Q1879's options as the
    notebook does (a hand exception in resources/culturespa/filter_exceptions.csv)."""
    import json

    from culturealign.papers.culturespa.filtering import filter_questions, read_exceptions
    from culturealign.papers.culturespa.released import read_released, topic_file
    from culturealign.wvs import TOPIC_NAMES, normalise

    generated = []
    for t in range(1, 14):
        topic = read_released(json.loads((RELEASED_SAMPLE / topic_file(t)).read_text()), t, TOPIC_NAMES[t])
        assert topic["topic_id"] == t and all(q["topic_id"] == t for q in topic["questions"])
        generated += topic["questions"]
    assert len(generated) == 303 and generated[0]["id"] == "Q0"
    by_id = {q["id"]: q for q in generated}
    assert by_id["Q1879"]["released_id"] == "Q879" and by_id["Q1879"]["topic_id"] == 2   # topic file 1, Q879
    seeds = [q["question"] for q in normalise(Path(__file__).resolve().parents[1] / "resources" / "wvs")["questions"]]
    exceptions = read_exceptions(Path(__file__).resolve().parents[1] / "resources/culturespa/filter_exceptions.csv")
    assert exceptions == {"Q1879": {"numbered-options"}}
    kept, dropped, counts = filter_questions(generated, seeds, exceptions=exceptions)
    assert (counts["duplicate"], counts["error-1-options-do-not-match-question"],
            counts["error-2-inconsistent-option-formats"]) == (109, 31, 13)
    assert counts["kept"] == 303 - 153 and counts["exceptions"] == {"Q1879": ["numbered-options"]}
    q1879 = next(k for k in kept if k["id"] == "Q1879")
    assert q1879["options"] == ["1-3: Too slow", "4-6: Just right", "7-8: Too fast", "9-10: Extremely fast"]
    _, _, without = filter_questions(generated, seeds)  # without the exception, step 3 garbles it
    assert without["exceptions"] == {}
    garbled = next(k for k in filter_questions(generated, seeds)[0] if k["id"] == "Q1879")
    assert garbled["options"][0] == "3: Too slow"


def test_a_hand_exception_needs_a_known_step_and_a_reason(tmp_path):
    from culturealign.papers.culturespa.filtering import read_exceptions

    bad = tmp_path / "exceptions.csv"
    bad.write_text("qid,step,reason\nQ1,numbered-options,\n")
    with pytest.raises(ValueError, match="line 2"):
        read_exceptions(bad)
    bad.write_text("qid,step,reason\nQ1,duplicates,because\n")
    with pytest.raises(ValueError, match="'duplicates'"):
        read_exceptions(bad)


def test_the_workflow_starts_from_the_released_questions(tmp_path):
    """`culturespa.generation.seeds: released` with `local` (here the sample, pinned by its own
    checksums): each topic file checked and read, then filtered with the hand exception applied."""
    import yaml

    from culturealign.checksums import read_sha256sums
    from workflow_helpers import copy_repo, snakemake, write_config

    work = copy_repo(tmp_path / "repo")
    sums = read_sha256sums(RELEASED_SAMPLE / "SHA256SUMS")
    pins = {str(i): sums[f"generated_questions_topic_{i}_from_all_seed.json"] for i in range(13)}
    config = write_config(work, culturespa={"generation": {"seeds": "released", "topics": [2, 10], "released": {
        "local": str(RELEASED_SAMPLE), "sha256": pins}}})
    target = "results/culturespa/generated/smollm2-135m/released/questions.json"
    snakemake(work, target, "--configfile", str(config), timeout=300)
    counts = json.loads((work / "results/culturespa/generated/smollm2-135m/released/counts.json").read_text())
    kept = json.loads((work / target).read_text())
    assert counts["generation"]["2"]["released"] == sum(1 for q in kept + json.loads(
        (work / "results/culturespa/generated/smollm2-135m/released/dropped.json").read_text()) if q["topic_id"] == 2)
    assert counts["filter"]["exceptions"] == {"Q1879": ["numbered-options"]}
    assert {q["topic_id"] for q in kept} == {2, 10}
    wrong = yaml.safe_load(config.read_text())
    wrong["culturespa"]["generation"]["released"]["sha256"]["1"] = "0" * 64
    config.write_text(yaml.safe_dump(wrong))
    run = snakemake(work, target, "--configfile", str(config), "--forceall", check=False)
    assert run.returncode != 0 and "expected " + "0" * 64 in run.stdout + run.stderr
