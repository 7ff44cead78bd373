"""CAReDiO's first pieces: the 38-topic framework (Appendix A.1), the selection maths of §3.3 on a
hand-made example, and the benchmark scores of §4.1 (1 - JSD, the CulturalBench-Hard rule)."""

import math
import random
import re

import numpy as np
import pytest

from conftest import ROOT
from culturealign.papers.caredio import benchmarks, selection
from culturealign.papers.caredio.framework import FrameworkError, load_framework

FRAMEWORK = ROOT / "resources/caredio/framework.yaml"


def test_the_framework_has_38_topics_in_four_levels():
    topics = load_framework(FRAMEWORK)
    by_level = {lvl: [t["name"] for t in topics if t["level"] == lvl] for lvl in ("I", "II", "III", "IV")}
    assert [len(v) for v in by_level.values()] == [16, 8, 5, 9]  # Schwartz 10 + Hofstede 6; 8; 5; 9
    assert by_level["I"][:2] == ["Self-direction", "Stimulation"] and "Indulgence vs. Restraint" in by_level["I"]
    assert by_level["IV"][-1] == "Travel/Transport" and "Respect Elders" in by_level["II"]
    assert all(t["description"] for t in topics)


def test_a_framework_file_with_a_missing_topic_names_the_count(tmp_path):
    text = FRAMEWORK.read_text().replace("      - {name: Clothing,", "      - {name: Clothing2,", 1)
    lines = [line for line in text.splitlines() if "name: Food," not in line]
    bad = tmp_path / "framework.yaml"
    bad.write_text("\n".join(lines))
    with pytest.raises(FrameworkError, match="37 topics; Appendix A.1 has 38"):
        load_framework(bad)


# Six samples: three nearly parallel (A), two (B), one alone (C).
EMB = [[1.0, 0.0], [0.95, 0.05], [0.9, 0.1], [0.0, 1.0], [0.1, 0.95], [-1.0, 0.0]]


def test_clusters_merge_samples_above_theta_and_centres_are_the_most_similar_member():
    labels = selection.clusters(EMB, theta=0.7)
    assert labels == [0, 0, 0, 1, 1, 2]
    assert selection.clusters(EMB, theta=0.99999) == [0, 1, 2, 3, 4, 5]  # nothing that similar
    centres = selection.centres(EMB, labels)
    assert centres == {0: 1, 1: 3, 2: 5}  # A's middle sample; B's two are equal: the first; C itself
    sizes = {c: labels.count(c) for c in centres}
    assert sizes == {0: 3, 1: 2, 2: 1}  # r by cluster size


def test_distinctiveness_is_eq_1_and_selection_orders_by_r_times_d():
    own = [1.0, 0.0]
    four = [[0.0, 1.0], [1.0, 0.0], [-1.0, 0.0], [0.0, -1.0]]  # cosine distances 1, 0, 2, 1
    assert selection.distinctiveness(own, four, random.Random(0)) == pytest.approx(1.0)
    five = four + [[1.0, 1.0]]
    d1 = selection.distinctiveness(own, five, random.Random(7))
    assert d1 == selection.distinctiveness(own, five, random.Random(7))  # seeded
    possible = {round(sum(1 - (a[0] / math.hypot(*a)) for a in subset) / 4, 9)
                for subset in ([five[i] for i in range(5) if i != skip] for skip in range(5))}
    assert round(d1, 9) in possible
    with pytest.raises(ValueError, match="no other culture"):
        selection.distinctiveness(own, [], random.Random(0))
    chosen = selection.select(["a", "b", "c", "x"], r={"a": 3, "b": 2, "c": 1}, d={"a": 0.1, "b": 0.5, "c": 0.5},
                              budget=2)
    assert [(row["id"], row["s"]) for row in chosen] == [("b", 1.0), ("c", 0.5)]  # s = r * d; x: not a centre
    assert [row["id"] for row in selection.select(["a", "b"], {"a": 1, "b": 1}, {"a": 1, "b": 1}, 5)] == ["a", "b"]


def test_globalopinionqa_rows_are_read_as_literals_and_mismatches_counted():
    rows = [{"question": "Q1", "options": "['Yes', 'No']",
             "selections": "defaultdict(<class 'list'>, {'Britain': [0.7, 0.3], 'China': [0.2, 0.8]})"},
            {"question": "Q2", "options": "['A', 'B', 'C']",
             "selections": "defaultdict(<class 'list'>, {'Britain': [0.5, 0.5]})"},
            {"question": "Q3", "options": "['A', 'B']", "selections": "defaultdict(<class 'list'>, {'China': [1.0, 0.0]})"}]
    items, counts = benchmarks.globalopinion_items(rows, "Britain")
    assert [i["question"] for i in items] == ["Q1"] and items[0]["reference"] == [0.7, 0.3]
    assert counts == {"rows": 3, "kept": 1, "no-country": 1, "length-mismatch": 1, "by_name": {"Britain": 1}}
    with pytest.raises(ValueError):
        benchmarks.parse_selections("defaultdict(<class 'list'>, __import__('os'))")


def test_opinion_score_is_one_minus_the_base_2_jensen_shannon_distance():
    assert benchmarks.opinion_score([0.7, 0.3], [0.7, 0.3]) == pytest.approx(1.0)
    assert benchmarks.opinion_score([1.0, 0.0], [0.0, 1.0]) == pytest.approx(0.0)  # disjoint: distance 1
    # by hand: M = (0.75, 0.25); JSD = (KL(P||M) + KL(Q||M)) / 2 in bits
    p, q, m = [1.0, 0.0], [0.5, 0.5], [0.75, 0.25]
    jsd = (p[0] * math.log2(p[0] / m[0]) + q[0] * math.log2(q[0] / m[0]) + q[1] * math.log2(q[1] / m[1])) / 2
    assert benchmarks.opinion_score(p, q) == pytest.approx(1 - math.sqrt(jsd))
    with pytest.raises(ValueError, match="2 model probabilities against 3"):
        benchmarks.opinion_score([0.5, 0.5], [0.2, 0.3, 0.5])


def test_culturalbench_hard_counts_a_question_only_when_all_four_judgements_are_right():
    rows = [{"question_idx": q, "prompt_option": o, "answer": "TRUE" if o == "a" else "FALSE"}
            for q in (1, 2, 3) for o in "abcd"]
    rows = [r for r in rows if not (r["question_idx"] == 3 and r["prompt_option"] == "d")]  # Q3: three rows
    judged = {(r["question_idx"], r["prompt_option"]): r["answer"] == "TRUE" for r in rows}
    judged[(2, "c")] = True  # one wrong judgement on question 2
    out = benchmarks.culturalbench_hard(rows, judged)
    assert out == {"questions": 3, "right": 1, "incomplete": 1, "accuracy": 1 / 3}
    with pytest.raises(ValueError, match="neither TRUE nor FALSE"):
        benchmarks.culturalbench_hard([{**r, "answer": "maybe"} for r in rows[:4]], judged)


# --- the pipeline's pure parts (synthesis parsing and plans, rank_samples, training sets, tables) ---

def test_a_generated_question_is_its_first_line_without_labels_and_bad_ones_have_reasons():
    from culturealign.papers.caredio.synthesis import parse_question

    assert parse_question("Here is the question:\n1. **Question:** How do you greet elders?\nmore") == (
        "How do you greet elders?", None)
    assert parse_question('"What role do grandparents play in raising children?"') == (
        "What role do grandparents play in raising children?", None)
    assert parse_question("  \n ") == (None, "empty")
    assert parse_question("Why?") == (None, "too-short")


def test_self_instruct_grows_each_topics_pool_and_drops_near_duplicates():
    """Each topic's pool starts from the seed questions and grows with what it keeps; later prompts show
    earlier kept questions; a question whose ROUGE-L with the pool reaches 0.7 is dropped (Self-Instruct)."""
    from culturealign.papers.caredio.synthesis import QUESTION_TYPES, generate_questions, seed_questions

    seeds = seed_questions()
    assert sorted(seeds) == sorted(QUESTION_TYPES)
    topics = [{"name": "Food", "level": "IV", "description": "Cuisine."},
              {"name": "Clothing", "level": "IV", "description": "Attire."}]
    seen = []

    def generate(conversations, round_index):
        seen.append(conversations)
        if round_index == 0:  # Food: a near-duplicate of its first; Clothing: an empty one
            return ["What do you eat at festivals?", "What do you usually eat at festivals?", "What food do guests get?",
                    "", "What do people wear to weddings?", "Do you dress up for work meetings?"]
        if round_index == 1:  # one per topic is owed; Food's copies a seed question nearly word for word
            return [seeds["open"].replace("?", " here?"), "Which colours are worn at funerals?"]
        return ["How is bread shared at a family meal?"]

    out = generate_questions(generate, topics, per_topic=3, examples=10, max_rounds=3, seed=0, batch=20)
    assert [q["id"] for q in out["questions"]] == ["t00q000", "t00q001", "t00q002", "t01q000", "t01q001", "t01q002"]
    assert out["counts"]["dropped"] == {"similar": 2, "empty": 1} and out["counts"]["topics_short"] == []
    near = [d for d in out["dropped"] if d["reason"] == "similar"]
    assert near[0]["closest"] == "What do you eat at festivals?" and near[0]["rouge_l"] >= 0.7
    assert near[1]["closest"] == seeds["open"]
    # the three types take turns in each topic
    assert sorted(q["type"] for q in out["questions"][:3]) == sorted(QUESTION_TYPES)
    assert sorted(q["type"] for q in out["questions"][3:]) == sorted(QUESTION_TYPES)
    # round 0 shows the seeds only; round 1 the seeds and the questions kept in round 0
    assert all(seeds["value"] in conv[-1]["content"] for conv in seen[0])
    assert "What do you eat at festivals?" in seen[1][0][-1]["content"]
    assert "What do people wear to weddings?" in seen[1][1][-1]["content"]
    assert len(seen) == 3 and len(seen[2]) == 1 and len(out["raw"]) == 9
    # at most `batch` prompts per topic in a round
    out = generate_questions(lambda convs, r: [f"Question {r}-{i} about a custom nobody shares?" for i in range(len(convs))],
                             topics[:1], per_topic=5, examples=2, max_rounds=1, seed=0, batch=2)
    assert out["counts"]["generations"] == 2 and out["counts"]["topics_short"] == ["Food"]


def test_cct_others_are_a_seeded_draw_of_the_other_cultures():
    from culturealign.papers.caredio.synthesis import cct_others

    cultures = ["United Kingdom", "China", "South Korea", "India", "Singapore", "Japan"]
    a = cct_others(cultures, "China", 4, random.Random(3))
    assert a == cct_others(cultures, "China", 4, random.Random(3)) and len(a) == 4 and "China" not in a
    assert cct_others(cultures[:2], "China", 4, random.Random(0)) == ["United Kingdom"]  # fewer: all others


def test_rank_samples_keeps_one_centre_per_cluster_with_r_the_size_and_d_eq_1():
    import numpy as np

    ids = [f"s{i}" for i in range(6)]
    vectors = np.array(EMB)
    # the others' answers: for s1 (centre of A) nearly orthogonal to its answer (d = 0.95), for s3 identical (d = 0)
    isolated = np.array([[[0.0, 1.0]], [[0.0, 1.0]], [[1.0, 0.0]], [[0.0, 1.0]], [[0.0, 1.0]], [[1.0, 0.0]]])
    out = selection.rank_samples(ids, vectors, vectors, isolated, theta=0.7, linkage="average", others=4,
                                 rng=random.Random(0))
    assert out["clusters"] == 3 and out["members"]["s1"] == ["s0", "s1", "s2"]
    ranked = {r["id"]: r for r in out["ranking"]}
    assert set(ranked) == {"s1", "s3", "s5"}  # the centres only
    assert ranked["s1"]["r"] == 3 and ranked["s3"]["r"] == 2 and ranked["s5"]["r"] == 1
    assert ranked["s3"]["d"] == pytest.approx(0.0, abs=1e-9) and ranked["s5"]["d"] == pytest.approx(2.0)
    assert [r["id"] for r in out["ranking"]] == ["s1", "s5", "s3"]  # s = 3 x 0.95, 1 x 2, 2 x 0


def test_a_training_set_is_the_first_n_by_s_and_says_when_the_culture_is_short():
    from culturealign.papers.caredio.finetune import training_examples

    selection_ = {"culture": "China", "variant": "cluster", "candidates": 2,
                  "ranking": [{"id": "b", "s": 2.0}, {"id": "a", "s": 1.0}]}
    samples = {"samples": [{"id": "a", "adapted": "Qa?", "response": "Ra"}, {"id": "b", "adapted": "Qb?", "response": "Rb"}]}
    examples, counts = training_examples(selection_, samples, 1)
    assert [e["messages"][0]["content"] for e in examples] == ["Qb?"] and examples[0]["target"] == {"answer": "Rb"}
    assert counts["short"] is False
    examples, counts = training_examples(selection_, samples, 1000)
    assert len(examples) == 2 and counts["short"] is True and counts["trained"] == 2


def test_a_dpo_training_set_rejects_another_cultures_isolated_answer():
    from culturealign.papers.caredio.finetune import training_examples

    selection_ = {"culture": "China", "variant": "cluster", "candidates": 1, "ranking": [{"id": "a", "s": 1.0}]}
    samples = {"samples": [{"id": "a", "adapted": "Qa?", "response": "CCT answer",
                            "isolated": {"China": "own", "India": "Indian answer", "United Kingdom": "British answer"}}]}
    examples, _ = training_examples(selection_, samples, 4, "dpo", random.Random(0))
    (ex,) = examples
    assert ex["chosen"] == {"answer": "CCT answer"} and "target" not in ex
    assert ex["rejected"] == {"answer": samples["samples"][0]["isolated"][ex["rejected_culture"]]}
    assert ex["rejected_culture"] in ("India", "United Kingdom")
    again, _ = training_examples(selection_, samples, 4, "dpo", random.Random(0))
    assert again == examples  # seeded


def test_role_playing_adds_the_cultures_system_prompt_to_the_same_benchmark_prompt():
    from culturealign.papers.caredio.evaluate import culturalbench_conversation, goqa_conversation

    item = {"question": "How important is family?", "options": ["Very", "Not at all"]}
    plain, role = goqa_conversation(item, None), goqa_conversation(item, "You are a person from China. ...")
    assert plain == role[1:] and role[0]["role"] == "system"
    assert plain[0]["content"] == "How important is family?\nA. Very\nB. Not at all\nAnswer with the letter of one option only."
    from culturealign.papers.caredio.evaluate import system_prompt

    assert system_prompt("backbone", "China") is None and "China" in system_prompt("role-play", "China")
    row = {"prompt_question": "In China, which gift is avoided?", "prompt_option": "A clock"}
    assert culturalbench_conversation(row, None)[0]["content"].endswith("Answer True or False only.")


def test_goqa_items_take_every_alias_of_the_culture_and_cut_per_culture():
    """The United Kingdom's rows are under "Britain" (Pew) and "Great Britain" (WVS): both count."""
    from culturealign.papers.caredio.evaluate import goqa_items
    from culturealign.papers.caredio.grid import countries

    def row(i, selections):
        return {"question": f"Q{i}?", "selections": f"defaultdict(<class 'list'>, {selections})",
                "options": "['Yes', 'No']"}

    rows = [row(0, {"Britain": [0.5, 0.5]}), row(1, {"Great Britain": [0.9, 0.1]}), row(2, {"China": [1.0, 0.0]}),
            row(3, {"Great Britain": [0.2, 0.8], "Britain": [0.3, 0.7]})]
    names = countries()["United Kingdom"]["globalopinionqa"]
    assert names[:2] == ["Britain", "Great Britain"]
    items, counts = goqa_items(rows, names, None)
    assert [(i["question"], i["name"], i["reference"]) for i in items] == [
        ("Q0?", "Britain", [0.5, 0.5]), ("Q1?", "Great Britain", [0.9, 0.1]), ("Q3?", "Britain", [0.3, 0.7])]
    assert counts["by_name"] == {"Britain": 2, "Great Britain": 1, "United Kingdom": 0} and counts["no-country"] == 1
    items, counts = goqa_items(rows, names, 2)
    assert [i["question"] for i in items] == ["Q0?", "Q1?"] and counts["asked"] == 2


def test_tables_put_each_number_beside_the_published_one_and_list_the_baselines_not_built():
    from culturealign.papers.caredio.tables import per_culture_table, read_published, short_note, table2

    published = read_published(ROOT / "resources/paper/caredio-tables.csv")
    assert published[("2", "Llama-3.1-8B-Instruct", "CAReDiO - Cluster", "GlobalOpinionQA")] == 81.28
    assert published[("3", "Qwen2.5-7B-Instruct", "Ours", "Singapore")] == 84.46
    scores = {("m", "caredio-cluster", "globalopinionqa"): {"cultures": {
        "China": {"score": 80.0, "n": 3, "uniform_random": 70.0},
        "United Kingdom": {"score": 82.0, "n": 3, "uniform_random": 71.0}}}}
    models = {"m": {"paper_label": "Qwen2.5-7B-Instruct"}}
    note = short_note({"China": 5, "United Kingdom": 1000}, 1000)
    assert note == "trained on fewer samples than the budget (China: 5 of 1000)"
    rows = table2(scores, models, published, ["United Kingdom", "China"], note)
    assert rows[0]["GlobalOpinionQA"] == "81.00" and rows[0]["GlobalOpinionQA_published"] == "84.84"
    assert rows[0]["GlobalOpinionQA_diff"] == "-3.84" and rows[0]["notes"] == note
    assert rows[0]["Prism"] == "" and rows[0]["Prism_published"] == "4.0280"  # not run: the paper's only, as printed
    # the uniform random answerer on the same items, a reference beside the measured rows
    assert rows[1]["method"] == "Uniform random answerer" and rows[1]["GlobalOpinionQA"] == "70.50"
    assert rows[1]["GlobalOpinionQA_published"] == "" and "reference" in rows[1]["notes"]
    # every other row the paper prints, with its published numbers and the reason it has no measured one
    gpt = ["gpt-3.5-turbo", "gpt-4o-mini", "gpt-4-turbo", "gpt-3.5-turbo + Role-Play", "gpt-4o-mini + Role-Play",
           "gpt-4-turbo + Role-Play"]
    assert [r["method"] for r in rows[2:]] == gpt + ["Backbone", "Role-Playing", "CultureLLM", "CulturePark",
                                                     "CultureSPA", "CultureBank", "CAReDiO - In context"]
    assert all(r["GlobalOpinionQA"] == "" and r["GlobalOpinionQA_diff"] == "" for r in rows[2:])
    assert all(list(r) == list(rows[0]) for r in rows)  # one CSV layout
    by = {r["method"]: r for r in rows[2:]}
    assert by["gpt-4o-mini + Role-Play"]["Prism_published"] == "4.0457" and by["gpt-4o-mini"]["model"] == ""
    assert "proprietary" in by["gpt-4-turbo"]["notes"] and "not built" in by["CultureLLM"]["notes"]
    assert "not in caredio.evaluation.methods" in by["Role-Playing"]["notes"]
    assert by["CultureBank"]["published_backbone"] == "Qwen2.5-7B-Instruct" and by["CultureBank"]["model"] == "m"
    per = per_culture_table("globalopinionqa", scores, {"m": {}}, published, ["United Kingdom", "China"], "")
    assert per[0]["published_backbone"] == "Llama-3.1-8B-Instruct" and per[0]["China_published"] == "79.01"
    assert per[1]["method"] == "Uniform random answerer" and per[1]["China"] == "70.00" and per[1]["Average"] == "70.50"
    assert [r["method"] for r in per[2:]] == ["Backbone", "Role-Playing", "CultureLLM", "CulturePark", "CultureSPA",
                                              "CultureBank"]  # Table 3 prints no GPT rows
    assert all(list(r) == list(per[0]) for r in per) and per[4]["China_published"] == "76.09"
    bench = per_culture_table("culturalbench-hard", {("m", "backbone", "culturalbench-hard"): {"cultures": {}}},
                              {"m": {}}, published, ["China"], "")
    assert [r["method"] for r in bench[2:8]] == gpt and bench[3]["China_published"] == "44.07"


def test_an_unpinned_or_wrong_benchmark_file_stops_with_both_checksums_and_writes_nothing(tmp_path):
    from culturealign.checksums import ChecksumError, sha256_file
    from culturealign.fetch import fetch_pinned

    src = ROOT / "resources/caredio/samples/globalopinionqa.csv"
    out = tmp_path / "out" / "goqa.csv"
    got = sha256_file(src)
    with pytest.raises(ChecksumError, match=f"caredio.benchmarks.globalopinionqa.sha256 is not pinned.*{got}"):
        fetch_pinned("unused", "", str(src), out, "caredio.benchmarks.globalopinionqa")
    with pytest.raises(ChecksumError, match=f"sha256 {got}, expected {'0' * 64}"):
        fetch_pinned("unused", "0" * 64, str(src), out, "caredio.benchmarks.globalopinionqa")
    assert not out.exists()
    assert fetch_pinned("unused", got, str(src), out, "k")["sha256"] == got and out.read_bytes() == src.read_bytes()


def test_an_unknown_culture_is_a_config_error_naming_the_key():
    from culturealign.config import resolve_files
    from culturealign.schema import ConfigError

    import yaml

    config = yaml.safe_load((ROOT / "config.yaml").read_text())
    config["caredio"]["cultures"] = ["China", "Atlantis"]
    path = ROOT / "tests" / "data" / "_caredio_bad.yaml"
    try:
        path.write_text(yaml.safe_dump(config))
        with pytest.raises(ConfigError, match=r"caredio.cultures.*'Atlantis'"):
            resolve_files([str(path)])
        config["caredio"]["cultures"] = ["China", "India"]
        config["caredio"]["evaluation"]["open_ended"]["judge"] = "gpt-5-judge"
        path.write_text(yaml.safe_dump(config))
        with pytest.raises(ConfigError, match=r"caredio.evaluation.open_ended.judge.*'gpt-5-judge'"):
            resolve_files([str(path)])
    finally:
        path.unlink(missing_ok=True)


@pytest.mark.slow
def test_the_tiny_run_makes_caredio_tables_2_to_6_from_synthesised_selected_data(tiny_run):
    """Framework -> questions -> role-play -> adapted questions -> CCT samples -> embeddings ->
    clusters and s = r * d -> a LoRA adapter per culture with real updates -> GlobalOpinionQA and
    CulturalBench-Hard predictions, CultureBank and Prism answers rated by the judge -> Tables 2-6
    beside the paper (with the CultureSPA baseline on CultureSPA's data), every file with its lineage."""
    import csv
    import json

    import numpy as np

    data = tiny_run / "results/caredio/data/smollm2-135m"
    questions = json.loads((data / "questions.json").read_text())
    assert questions["counts"]["generations"] == len(questions["raw"]) >= 6 and questions["questions"]
    samples = json.loads((data / "samples/china.json").read_text())["samples"]
    adapted = json.loads((data / "adapted/china.json").read_text())
    assert len(samples) == adapted["counts"]["adapted"] > 0 and all(a["reasoning"] for a in adapted["adapted"])
    assert all(set(x["isolated"]) == {"United Kingdom", "China"} and x["shown"] == ["United Kingdom"]
               and x["response"] for x in samples)
    with np.load(tiny_run / "results/caredio/embeddings/smollm2-135m/china.npz", allow_pickle=False) as emb:
        assert emb["sample"].shape == (len(samples), 384) and emb["isolated"].shape == (len(samples), 1, 384)
    selection = json.loads((tiny_run / "results/caredio/selection/smollm2-135m/cluster/china.json").read_text())
    assert selection["candidates"] == selection["clusters"] == len(selection["ranking"]) <= len(samples)
    assert [r["s"] for r in selection["ranking"]] == sorted((r["s"] for r in selection["ranking"]), reverse=True)
    adapter = tiny_run / "results/caredio/sft/smollm2-135m/cluster/n4/china/adapter"
    metrics = json.loads((adapter / "metrics.json").read_text())
    assert metrics["updated"] and metrics["examples"] == min(4, selection["candidates"])
    assert metrics["recipe"]["method"] == "caredio-sft"
    prediction = json.loads((tiny_run / "results/caredio/predictions/smollm2-135m/caredio-cluster.json").read_text())
    assert prediction["adapters"]["China"] == str(adapter.relative_to(tiny_run))
    items = prediction["benchmarks"]["globalopinionqa"]["China"]["items"]
    assert len(items) == 2 and all(abs(sum(it["probs"]) - 1) < 1e-6 and 0 <= it["score"] <= 1 for it in items)
    bench = prediction["benchmarks"]["culturalbench-hard"]["United Kingdom"]
    assert bench["result"]["questions"] == 2 and len(bench["items"]) == 8  # four True/False rows each

    def rows(name):
        return list(csv.DictReader(open(tiny_run / f"results/caredio/{name}")))

    # the in-context variant: the same centres and d, r from the backbone's few-shot judgements
    in_context = json.loads((tiny_run / "results/caredio/selection/smollm2-135m/in-context/smollm2-135m/"
                                        "china.json").read_text())
    assert in_context["variant"] == "in-context" and in_context["validation_rows"] == 4
    assert sorted(r["id"] for r in in_context["ranking"]) == sorted(r["id"] for r in selection["ranking"])
    assert all(0 < r["r"] < 1 and r["r"] == in_context["scores"][r["id"]]["r"] for r in in_context["ranking"])
    assert json.loads((tiny_run / "results/caredio/sft/smollm2-135m/in-context/n4/china/adapter/metrics.json")
                      .read_text())["updated"]

    # CultureBank and Prism: one free-text answer per culture, each rated by the judge (the embedded
    # model) or recorded as invalid; the score is the mean of the valid ratings
    for name in ("culturebank", "prism"):
        answers = prediction["benchmarks"][name]["China"]["items"]
        assert len(answers) == 1 and answers[0]["question"] and "response" in answers[0]
    judged = json.loads((tiny_run / "results/caredio/judgements/smollm2-135m/caredio-cluster/smollm2-135m.json")
                        .read_text())
    assert judged["judge"]["judge"] == "smollm2-135m"
    ratings = [r for per in judged["benchmarks"].values() for rs in per.values() for r in rs]
    assert len(ratings) == 4 and all(r["rating"] in (None, 1, 2, 3, 4, 5) and r["messages"] for r in ratings)
    scored = json.loads((tiny_run / "results/caredio/scores/smollm2-135m/caredio-cluster.json").read_text())
    for name in ("culturebank", "prism"):
        for culture, s in scored["benchmarks"][name].items():
            valid = [r["rating"] for r in judged["benchmarks"][name][culture] if r["rating"] is not None]
            assert s["counts"]["invalid"] == 1 - len(valid)
            assert s["score"] == (sum(valid) / len(valid) if valid else None)
    # the CultureSPA baseline: China's adapter trained on the CultureSPA part's China data with CAReDiO's
    # recipe; the United Kingdom is not among CultureSPA's countries: the backbone answers for it
    spa = json.loads((tiny_run / "results/caredio/predictions/smollm2-135m/culturespa-data.json").read_text())
    assert spa["adapters"]["United Kingdom"] is None and spa["adapters"]["China"].endswith("culturespa-data/china/adapter")
    spa_metrics = json.loads((tiny_run / spa["adapters"]["China"] / "metrics.json").read_text())
    available = len((tiny_run / "results/culturespa/train/smollm2-135m/all/aware/crqpc/CHN/p100.jsonl")
                    .read_text().splitlines())
    trained = (tiny_run / "results/caredio/sft/smollm2-135m/culturespa-data/china/training.jsonl").read_text()
    assert spa_metrics["recipe"]["method"] == "caredio-sft"  # cut to the budget (4), as every baseline (§5.1)
    assert spa_metrics["examples"] == len(trained.splitlines()) == min(available, 4)

    table2 = rows("table2.csv")  # the tiny grid leaves Role-Playing out (its prompt: a unit test)
    assert [r["method"] for r in table2[:4]] == ["Backbone", "CultureSPA", "CAReDiO - Cluster", "CAReDiO - In context"]
    assert all(r["GlobalOpinionQA"] and r["CulturalBench-Hard"] for r in table2[:4])
    assert [r["GlobalOpinionQA_published"] for r in table2[:4]] == ["78.40", "78.16", "81.28", "80.97"]
    assert "no adapter for United Kingdom (no CultureSPA country" in table2[1]["notes"]
    uniform = table2[4]  # the reference: a uniform random answerer on the same items
    assert uniform["method"] == "Uniform random answerer" and 0 < float(uniform["GlobalOpinionQA"]) <= 100
    assert uniform["CulturalBench-Hard"] == "6.25" and uniform["Prism"] == ""
    assert [r["method"] for r in table2[5:]] == [  # published only: the GPT rows, then the backbone's others
        "gpt-3.5-turbo", "gpt-4o-mini", "gpt-4-turbo", "gpt-3.5-turbo + Role-Play", "gpt-4o-mini + Role-Play",
        "gpt-4-turbo + Role-Play", "Role-Playing", "CultureLLM", "CulturePark", "CultureBank"]
    assert all(r["notes"].startswith("published only") and not r["GlobalOpinionQA"] for r in table2[5:])
    assert table2[2]["Prism_published"] == "4.1200" and table2[2]["CultureBank_published"] == "4.4292"
    table3 = rows("table3.csv")
    assert table3[2]["Average"] == table2[2]["GlobalOpinionQA"] and table3[2]["China_published"] == "79.01"
    assert rows("table4.csv")[0]["United Kingdom_n"] == "2"  # questions, each four True/False rows
    for n, name in ((5, "culturebank"), (6, "prism")):
        table = rows(f"table{n}.csv")
        measured = [r for r in table if not r["notes"].startswith("published only")]
        assert [r["method"] for r in measured] == [r["method"] for r in table2[:4]]
        assert len(table) == 4 + 6 + 4  # Tables 5 and 6 print the six GPT rows and four other baselines
        row = table[2]
        assert row["China_invalid"] == str(scored["benchmarks"][name]["China"]["counts"]["invalid"])
    assert rows("table6.csv")[2]["China_published"] == "3.940"
    figure2 = rows("figure2.csv")  # one budget in the tiny grid: Table 2's point and the backbone's
    assert {(r["budget"], r["benchmark"]) for r in figure2} == {
        (b, n) for b in ("4", "0") for n in ("globalopinionqa", "culturalbench-hard", "culturebank", "prism")}
    point = next(r for r in figure2 if r["budget"] == "4" and r["benchmark"] == "globalopinionqa")
    assert abs(float(point["score"]) - float(table2[2]["GlobalOpinionQA"])) <= 0.005
    figure3 = rows("figure3.csv")
    assert sum(r["kind"] == "pca" for r in figure3) == sum(min(4, json.loads(
        (tiny_run / f"results/caredio/selection/smollm2-135m/cluster/{c}.json").read_text())["candidates"])
        for c in ("united-kingdom", "china"))
    assert {r["culture"] for r in figure3 if r["kind"] == "tfidf"} == {"United Kingdom", "China"}
    for path in ["results/caredio/table2.csv", "results/caredio/table5.csv", "results/caredio/table6.csv",
                 "results/caredio/figure3.png", "results/caredio/sft/smollm2-135m/cluster/n4/china/adapter",
                 "results/caredio/sft/smollm2-135m/culturespa-data/china/adapter",
                 "results/caredio/judgements/smollm2-135m/caredio-cluster/smollm2-135m.json"]:
        assert (tiny_run / "provenance" / f"{path}.json").exists(), path


def test_top_phrases_are_each_cultures_highest_tf_idf_uni_and_bigrams():
    from culturealign.papers.caredio.figures import top_phrases

    docs = {"United Kingdom": "afternoon tea and queueing. afternoon tea again.",
            "China": "filial piety and spring festival. filial piety matters."}
    top = top_phrases(docs, k=3)
    assert top["United Kingdom"][0][0] in ("afternoon", "afternoon tea", "tea")
    assert {p for p, _ in top["China"]} <= {"filial", "filial piety", "piety", "spring festival", "festival", "spring"}
    assert all(w > 0 for v in top.values() for _, w in v)


class _MarkerEngine:
    """Judges "True" with probability 0.9 when the examples shown contain "tea", else 0.5: a cluster
    about tea is the more representative one for the validation rows below."""

    def option_logprobs(self, conversations, options):
        out = []
        for conversation in conversations:
            p = 0.9 if "tea" in conversation[-1]["content"].split("Now a question")[0] else 0.5
            out.append([math.log(p), math.log(1 - p)])
        return out


def test_in_context_r_is_the_mean_probability_of_the_right_judgement_with_the_clusters_examples():
    from culturealign.papers.caredio import incontext

    rows = [{"question_idx": q, "prompt_question": f"Q{q}", "prompt_option": o, "answer": a, "country": c}
            for q, c in (("1", "China"), ("2", "China"), ("3", "UK")) for o, a in (("x", "TRUE"), ("y", "FALSE"))]
    validation = incontext.validation_split(rows, ["China"], 1, random.Random(0))
    assert len(validation) == 2 and {r["country"] for r in validation} == {"China"}
    assert len({r["question_idx"] for r in validation}) == 1
    assert incontext.validation_split(rows, ["China"], 5, random.Random(0)) == rows[:4]  # all when fewer
    samples = {i: {"adapted": f"question {i}", "response": text} for i, text in
               (("a", "we drink tea"), ("b", "rice"), ("c", "tea again"), ("d", "noodles"))}
    members = {"b": ["a", "b"], "d": ["c", "d"], "x": []}
    assert incontext.shots_of("b", ["a", "b"], 2) == ["b", "a"] and incontext.shots_of("b", ["a", "b"], 1) == ["b"]
    scores = incontext.in_context_scores(_MarkerEngine(), "China", {k: v for k, v in members.items() if v},
                                         samples, validation, 2)
    # with tea shown: P(True) = 0.9, right on the TRUE row (0.9) and wrong on the FALSE one (0.1): r = 0.5;
    # (both clusters show tea with 2 shots); with 1 shot: b's centre says rice, c's says tea
    assert scores["b"]["r"] == pytest.approx(0.5) and scores["b"]["judged"] == 2 and scores["b"]["right"] == 1
    one_shot = incontext.in_context_scores(_MarkerEngine(), "China", {"b": ["a", "b"], "c": ["c", "d"]}, samples,
                                           [r for r in validation if r["answer"] == "TRUE"], 1)
    assert one_shot["c"]["r"] == pytest.approx(0.9) and one_shot["b"]["r"] == pytest.approx(0.5)
    cluster_selection = {"culture": "China", "variant": "cluster", "members": {"b": ["a", "b"], "c": ["c", "d"]},
                         "ranking": [{"id": "b", "r": 2.0, "d": 0.5, "s": 1.0, "rank": 0},
                                     {"id": "c", "r": 2.0, "d": 0.4, "s": 0.8, "rank": 1}], "candidates": 2}
    reranked = incontext.rerank(cluster_selection, one_shot)
    assert reranked["variant"] == "in-context" and [r["id"] for r in reranked["ranking"]] == ["c", "b"]
    assert reranked["ranking"][0]["s"] == pytest.approx(0.9 * 0.4) and reranked["ranking"][1]["d"] == 0.5
    with pytest.raises(ValueError, match="China: the CulturalBench-Hard validation split is empty"):
        incontext.in_context_scores(_MarkerEngine(), "China", members, samples, [], 2)


def test_a_judge_answer_is_a_rating_only_when_it_states_one_number_from_1_to_5():
    from culturealign.papers.caredio.open_ended import mean_rating, parse_rating

    for text, rating in [("Rating: 4", 4), ("4", 4), ("rating = 2\n", 2), ("**5**", 5), ("3/5", 3), ("1.", 1),
                         ("\nRating: 5", 5), ("The answer is polite.\nRating: 3", 3), ("Fine.\nRating: 4/5.", 4),
                         ("Fine.\nRating: 2.", 2), ("**Rating:** 4", 4), ("4.0", 4), ("4 out of 5", 4),
                         ("1\n\nThe answer is 1", 1), ("Rating: 4\nRating: 4", 4)]:
        assert parse_rating(text) == rating, text
    for text in ["", None, "6", "0", "Rating: 4.5", "I would give it a 4", "Rating: 2 or Rating: 4", "four",
                 "Rating: 7", "45", "Rating: 1-5", "Rating: 1-5, not a very good answer.", "Rating: <1-5>",
                 "ok\nRating: 2 - 4", "ok\nRating: 3/4", "Rating: 4\nRating: 5", "Rating: 1 to 5",
                 "Rating: 1 (bad) to 5 (excellent)", "Rating: 4 or 5", "Rating: 4, 5", "1. 1. 1.", "The answer is 5."]:
        assert parse_rating(text) is None, text
    assert mean_rating([5, None, 4, 3]) == {"score": 4.0, "n": 3, "invalid": 1, "judged": 4}
    assert mean_rating([None]) == {"score": None, "n": 0, "invalid": 1, "judged": 1}


def test_culturebank_test_split_is_culturebanks_own_and_culture_items_follow_the_group_names():
    import pandas as pd

    from culturealign.papers.caredio.open_ended import culturebank_items, culturebank_test

    rows = [{"cultural group": g, "eval_question": f"Q{i}?", "eval_whole_desc": f"D{i}"}
            for i, g in enumerate(["British", "Chinese", "american"] * 10)]
    test = culturebank_test(rows, 0.1, 1234)
    # CultureBank's evaluation/grounded_eval.py: df.sample(frac=1, random_state=1234), then the last 10 %
    shuffled = pd.DataFrame(rows).sample(frac=1, random_state=1234).reset_index(drop=True)
    assert [r["eval_question"] for r in test] == shuffled.tail(3)["eval_question"].tolist()
    assert test == culturebank_test(rows, 0.1, 1234) and test != culturebank_test(rows, 0.1, 0)
    assert culturebank_test(rows, 0.01, 1234) == [] and len(culturebank_test(rows, 1.0, 0)) == 30
    rows[1]["eval_question"] = " "
    items, counts = culturebank_items(rows, ["Chinese", "China"], 2)
    assert [i["question"] for i in items] == ["Q4?", "Q7?"] and items[0]["reference"] == "D4"
    assert counts == {"test_rows": 30, "culture_rows": 10, "no-question": 1, "asked": 2}
    assert len(culturebank_items(rows, [" American "], None)[0]) == 10  # case and spaces at the ends ignored


def test_prism_filter_keeps_value_and_controversy_prompts_once_and_draws_a_seeded_subset(tmp_path):
    from culturealign.papers.caredio.evaluate import BenchmarkError, read_rows
    from culturealign.papers.caredio.open_ended import PRISM_COLUMNS, prism_items

    rows = read_rows(ROOT / "resources/caredio/samples/prism.jsonl", PRISM_COLUMNS)
    types = ["values guided", "controversy guided"]
    items, counts = prism_items(rows, types, None, 0)
    assert [i["conversation_id"] for i in items] == ["c0", "c2", "c4"]
    assert counts == {"rows": 6, "other-type": 1, "empty": 1, "duplicate": 1, "filtered": 3}
    two, _ = prism_items(rows, types, 2, 0)
    assert len(two) == 2 and two == prism_items(rows, types, 2, 0)[0] and set(map(str, two)) <= set(map(str, items))
    bad = tmp_path / "conversations.tmp"  # the fetch checks a temporary copy: the format is given, not the suffix
    bad.write_text('{"conversation_id": "c0", "opening_prompt": "Hi"}\n')
    with pytest.raises(BenchmarkError, match=r"conversations.tmp: columns \['conversation_type'\] missing"):
        read_rows(bad, PRISM_COLUMNS, "jsonl")


class _AnswerEngine:
    """Answers every conversation with its system prompt's first word (or "plain") and records them."""

    def __init__(self):
        self.seen = []

    def generate(self, conversations, sampling):
        self.seen += conversations
        return [[c[0]["content"].split()[0] if c[0]["role"] == "system" else "plain"] for c in conversations]


def test_open_ended_answers_are_judged_and_scored_as_the_mean_of_valid_ratings():
    from culturealign.engine import Sampling
    from culturealign.papers.caredio.evaluate import BenchmarkError, predict_open_ended, score
    from culturealign.papers.caredio.open_ended import judge_conversation

    engine = _AnswerEngine()
    items = [{"question": "Is it fine to skip the queue?", "reference": "People in the UK queue."},
             {"question": "Rounds of drinks?", "reference": ""}]
    both = predict_open_ended(engine, {"culturebank": (items, {"asked": 2}), "prism": ([{"question": "Q?"}], {})},
                              "role-play", "United Kingdom", Sampling(temperature=0.0, max_new_tokens=8))
    pred = both["culturebank"]
    assert [it["response"] for it in pred["items"]] == ["You", "You"]  # the role-play system prompt
    assert both["prism"]["items"] == [{"question": "Q?", "response": "You"}] and len(engine.seen) == 3
    assert engine.seen[0][-1] == {"role": "user", "content": "Is it fine to skip the queue?"}
    prompt = judge_conversation("culturebank", "United Kingdom", pred["items"][1], "An answer")[0]["content"]
    assert "(none given)" in prompt and "Reply with one digit." in prompt and "An answer" in prompt
    prism = judge_conversation("prism", "China", {"question": "Q?"}, "A")[0]["content"]
    assert prism.count("China") >= 2 and "Q?" in prism
    scored = score(pred, [4, None])
    assert scored["score"] == 4.0 and scored["n"] == 1 and scored["counts"]["invalid"] == 1
    with pytest.raises(BenchmarkError, match="culturebank United Kingdom: 2 answers but 1 ratings in the judgements"):
        score(pred, [4])


def test_tables_5_and_6_print_ratings_with_three_digits_and_count_invalid_answers():
    from culturealign.papers.caredio.tables import per_culture_table, read_published, table2

    published = read_published(ROOT / "resources/paper/caredio-tables.csv")
    scores = {("m", "role-play", "prism"): {"cultures": {
        "China": {"score": 3.5, "n": 2, "counts": {"invalid": 1}},
        "United Kingdom": {"score": None, "n": 0, "counts": {"invalid": 2}}}}}
    row, *published_only = per_culture_table("prism", scores, {"m": {}}, published, ["United Kingdom", "China"], "")
    assert all(r["notes"].startswith("published only") and r["China_invalid"] == "" for r in published_only)
    assert row["China"] == "3.500" and row["China_published"] == "3.290" and row["China_invalid"] == 1
    assert row["United Kingdom"] == "" and row["United Kingdom_invalid"] == 2 and row["Average"] == "3.500"
    first = table2(scores, {"m": {}}, published, ["United Kingdom", "China"], "")[0]
    assert first["Prism"] == "3.5000" and first["Prism_published"] == "3.5298" and first["GlobalOpinionQA"] == ""


CAREDIO_PAPER = ROOT.parent / "shared" / "papers" / "caredio.md"


def _key(label: str) -> str:
    """A row or column label as printed, with the text's OCR slips folded ("gpt-40-mini" for
    gpt-4o-mini, "South Koarea", "Llama3.1-8b")."""
    text = re.sub(r"[^a-z0-9]", "", label.lower()).replace("gpt40", "gpt4o").replace("koarea", "korea")
    return "caredio" + "cluster" if text == "ours" else text  # Appendix C.1's "Ours" is CAReDiO - Cluster


def _paper_tables() -> dict[tuple, float]:
    """{(table, backbone key or "", row key, column key): value} from the paper's tab-separated tables
    (Table 2 and Appendix C.1's Tables 3-6), each table named by the caption that follows it."""
    lines = CAREDIO_PAPER.read_text(encoding="utf-8").splitlines()
    out, block = {}, []
    for line in lines + [""]:
        if "\t" in line:
            block.append(line)
            continue
        caption = re.match(r"Table (\d): ", line.strip())
        if block and caption:
            header = [c.strip() for c in block[0].split("\t")]
            backbone = ""
            for row in block[1:]:
                cells = [c.strip() for c in row.split("\t")]
                if " as" in cells[0] or "ackbone" in row:  # "Qwen2.5-7B-Instruct as backbone model"
                    backbone = "llama" if "lama" in cells[0].lower() else "qwen"
                    continue
                label = "backbone" if _key(cells[0]) in ("llama318binstruct", "qwen257binstruct") else _key(cells[0])
                for column, value in zip(header[1:], cells[1:]):
                    value = re.sub(r"</?u>|\*", "", value)
                    if re.fullmatch(r"\d+(\.\d+)?", value):
                        out[(caption.group(1), backbone, label, _key(column))] = float(value)
        if line.strip():
            block = []
    return out


@pytest.mark.skipif(not CAREDIO_PAPER.exists(), reason="the paper's text is beside the checkout in ../shared")
def test_every_vendored_caredio_value_is_the_papers():
    """resources/paper/caredio-tables.csv against the paper's text, cell by cell (as CultureSPA's are)."""
    import csv

    printed = _paper_tables()
    rows = list(csv.DictReader((ROOT / "resources/paper/caredio-tables.csv").open(encoding="utf-8")))
    assert len(rows) >= 500
    for r in rows:
        backbone = {"": "", "Llama-3.1-8B-Instruct": "llama", "Qwen2.5-7B-Instruct": "qwen"}[r["backbone"]]
        key = (r["table"], backbone, _key(r["row"]), _key(r["column"]))
        assert key in printed, f"{r} is not in the paper's Table {r['table']}"
        assert float(r["published"]) == printed[key], f"{r}: the paper prints {printed[key]}"

    def row(table, backbone, name):
        return [v for (t, b, r, _), v in sorted(printed.items()) if (t, b, r) == (table, backbone, name)]
    # the paper's own copies, noted in resources/paper/README.md
    assert row("4", "qwen", "culturespa") == row("4", "qwen", "culturebank")
    assert row("6", "llama", "culturellm") == row("6", "llama", "culturespa")


def test_the_culturespa_baseline_is_cut_to_the_budget_by_a_seeded_draw_in_order():
    """§5.1 (l.168): every fine-tuned baseline trains on 1,000 samples per culture."""
    from culturealign.papers.caredio.finetune import capped

    examples = [{"qid": f"G{i}"} for i in range(10)]
    kept, counts = capped(examples, 4, seed=3)
    assert counts == {"available": 10, "budget": 4, "trained": 4}
    ids = [e["qid"] for e in kept]
    assert ids == sorted(ids, key=lambda q: int(q[1:])) and len(set(ids)) == 4  # the order kept
    assert capped(examples, 4, seed=3)[0] == kept and capped(examples, 4, seed=4)[0] != kept
    assert capped(examples, 20, seed=3)[0] == examples and capped(examples, None, seed=3)[1]["trained"] == 10


def test_held_out_validation_questions_leave_every_methods_test_set():
    """selection.in_context.held_out: the in-context variant's validation questions (the selection's own
    seeded draw) are left out of CulturalBench-Hard's test set; by default (the paper's reading) not."""
    from culturealign.papers.caredio.evaluate import CULTURALBENCH_COLUMNS, predict_culturalbench, read_rows
    from culturealign.papers.caredio.grid import countries
    from culturealign.papers.caredio.incontext import validation_questions

    class AlwaysTrue:
        def option_logprobs(self, conversations, options):
            return [[-0.1, -2.0] for _ in conversations]

    rows = read_rows(ROOT / "resources/caredio/samples/culturalbench-hard.csv", CULTURALBENCH_COLUMNS)
    names = countries()["China"]["culturalbench"]
    every = predict_culturalbench(AlwaysTrue(), rows, names, "backbone", "China", None)
    chosen = validation_questions(rows, "China", {"validation": 1, "seed": 0})
    assert len(chosen) == 1 and chosen == validation_questions(rows, "China", {"validation": 1, "seed": 0})
    held = predict_culturalbench(AlwaysTrue(), rows, names, "backbone", "China", None, chosen)
    assert held["result"]["questions"] == every["result"]["questions"] - 1
    assert not {r["question_idx"] for r in held["items"]} & chosen and held["counts"]["held_out_questions"] == 1


def test_clustering_the_entire_dataset_keeps_only_the_cultures_own_centres():
    """selection.scope `all` (l.90): the other cultures' samples join the clustering; a cluster whose
    centre is another culture's sample gives this culture no candidate, and r counts every member."""
    own = np.array([[1.0, 0.0], [0.2, 1.0]])
    others = {"china": (["t00q000", "t00q001", "t00q002"], np.array([[0.1, 1.0], [0.0, 1.0], [-0.05, 1.0]]))}
    isolated = np.array([[[0.0, 1.0]], [[1.0, 0.0]]])
    alone = selection.rank_samples(["a", "b"], own, own, isolated, theta=0.9, linkage="average", others=4,
                                   rng=random.Random(0))
    assert alone["candidates"] == 2 and alone["foreign_centres"] == 0
    joint = selection.rank_samples(["a", "b"], own, own, isolated, theta=0.9, linkage="average", others=4,
                                   rng=random.Random(0), pool=others)
    # "b" joins China's three samples; their centre is China's t00q000 (the most central of the four)
    assert joint["clusters"] == 2 and joint["foreign_centres"] == 1
    assert [row["id"] for row in joint["ranking"]] == ["a"] and joint["members"]["a"] == ["a"]
