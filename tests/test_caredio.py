"""CAReDiO's first pieces: the 38-topic framework (Appendix A.1), the selection maths of §3.3 on a
hand-made example, and the benchmark scores of §4.1 (1 - JSD, the CulturalBench-Hard rule)."""

import math
import random

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
    assert counts == {"rows": 3, "kept": 1, "no-country": 1, "length-mismatch": 1}
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
