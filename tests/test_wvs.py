import pytest

from culturealign.checksums import ChecksumError, verify_sha256sums
from culturealign.wvs import TOPICS, WVSDataError, ground_truth, make_split, qid_key, evaluation_questions, topic_of

from conftest import ROOT, WVS_DIR


def test_vendored_files_match_their_checksums():
    sums = verify_sha256sums(WVS_DIR / "SHA256SUMS")
    assert sums["wvs_questions.json"] == "6961729ba41c4a0dffe5ac18af42feac1e79667b8202f4148ec6d1838347875b"


def test_tampered_file_is_named_with_both_checksums(tmp_path):
    for name in ("wvs_questions.json", "SHA256SUMS"):
        (tmp_path / name).write_bytes((WVS_DIR / name).read_bytes())
    (tmp_path / "SHA256SUMS").write_text(
        "6961729ba41c4a0dffe5ac18af42feac1e79667b8202f4148ec6d1838347875b  wvs_questions.json\n")
    (tmp_path / "wvs_questions.json").write_bytes(b"[]")
    with pytest.raises(ChecksumError) as err:
        verify_sha256sums(tmp_path / "SHA256SUMS")
    msg = str(err.value)
    assert "wvs_questions.json" in msg and "6961729b" in msg
    assert "4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945" in msg  # sha256 of b"[]"


def test_259_questions_in_13_topics(wvs_data):
    qs = wvs_data["questions"]
    assert len(qs) == 259
    ids = {q["qid"] for q in qs}
    assert "Q223" not in ids and "Q260" not in ids and "Q234A" in ids
    assert len({q["topic_id"] for q in qs}) == 13 == len(TOPICS)
    assert topic_of("Q234A") == 12 and topic_of("Q45") == 1 and topic_of("Q46") == 2
    assert len(wvs_data["countries"]) == 18 and "MEX" not in wvs_data["countries"]


def test_option_ids_are_zero_based_where_the_readme_says(questions):
    assert [o["id"] for o in questions["Q94"]["options"]][0] == 0
    assert [o["id"] for o in questions["Q119"]["options"]][0] == 0
    assert [o["id"] for o in questions["Q93"]["options"]][0] == 1
    assert [o["id"] for o in questions["Q1"]["options"]] == [1, 2, 3, 4]


def test_ground_truth_is_the_largest_share(questions):
    assert questions["Q1"]["ground_truth"]["USA"] == 1          # 0.892
    assert questions["Q3"]["ground_truth"]["USA"] == 2          # 0.495 over 0.388
    assert questions["Q94"]["ground_truth"]["USA"] == 0         # zero-based, 0.416
    assert questions["Q215"]["ground_truth"]["USA"] is None     # empty entry in the file
    assert ground_truth({"2": 0.5, "1": 0.5}) == 2              # tie -> the option listed first
    assert ground_truth({}) is None


# The exact ties of the vendored shares file: (country, question) -> the option listed first, which is
# what the data source's code takes (`list(gold_dict[country][qid].keys())[0]`), not the lower id.
TIES = {("BOL", "Q50"): 8, ("BOL", "Q163"): 5, ("NLD", "Q110"): 3, ("NLD", "Q163"): 8,
        ("NZL", "Q35"): 5, ("NZL", "Q193"): 10}


@pytest.mark.parametrize("country, qid", sorted(TIES))
def test_ties_go_to_the_option_listed_first(questions, country, qid):
    import json

    raw = json.loads((ROOT / "resources/wvs/proportions_group_by_country.json").read_text())[country][qid]
    first, second = list(raw)[:2]
    assert raw[first] == raw[second]                            # an exact tie in the file
    assert questions[qid]["ground_truth"][country] == TIES[(country, qid)] == int(first)


def test_split_has_5_training_questions_per_topic(wvs_data, split):
    train = [q for t in split["topics"].values() for q in t["train"]]
    test = [q for t in split["topics"].values() for q in t["test"]]
    assert len(train) == 65 and len(test) == 194 and not set(train) & set(test)
    assert len(set(train) | set(test)) == 259
    for tid, topic in split["topics"].items():
        assert len(topic["train"]) == 5
        assert all(topic_of(q) == int(tid) for q in topic["train"] + topic["test"])
    assert make_split(wvs_data["questions"], 2025, strategy="seeded") == split
    assert make_split(wvs_data["questions"], 2025)["strategy"] == "first"   # the default: the paper's reading
    assert make_split(wvs_data["questions"], 7, strategy="seeded") != split
    seeded = make_split(wvs_data["questions"], 2025, strategy="seeded")
    assert "Q166" in seeded["topics"]["10"]["test"]                   # why `first` is the paper's reading


def test_first_split_trains_on_table1_questions(wvs_data):
    """CNCA Table 1's five low-level norms (God, religious faith, life after death, Hell, Heaven) are
    those of Q164-Q168, the first five Religious Values questions."""
    first = make_split(wvs_data["questions"], 2025, strategy="first")
    assert first["topics"]["10"]["train"] == ["Q164", "Q165", "Q166", "Q167", "Q168"]
    assert first["topics"]["10"]["test"] == [f"Q{n}" for n in range(169, 176)]
    assert first["topics"]["1"]["train"] == ["Q1", "Q2", "Q3", "Q4", "Q5"]
    assert first["topics"]["12"]["test"][-1] == "Q234A"                # question order, letters last
    assert make_split(wvs_data["questions"], 7, strategy="first") == first   # the seed plays no part
    with pytest.raises(WVSDataError, match="unknown split strategy 'random'"):
        make_split(wvs_data["questions"], 7, strategy="random")


def test_paper_grid_splits_first():
    import yaml

    from culturealign.config import validate_config

    for name in ("config.yaml", "configs/paper.yaml"):
        config = validate_config(yaml.safe_load((ROOT / name).read_text()))
        assert config["cnca"]["split"]["strategy"] == "first", name


def test_test_subset_takes_the_first_k_of_each_topic(split):
    one = evaluation_questions(split, 1)
    assert len(one) == 13                                           # topics 4, 8, 9 have one test question
    assert len(evaluation_questions(split, 2)) == 23
    assert len(evaluation_questions(split, None)) == 194
    assert one[0] == split["topics"]["1"]["test"][0]


def test_question_ids_sort_naturally():
    assert sorted(["Q234A", "Q10", "Q2", "Q235", "Q234"], key=qid_key) == ["Q2", "Q10", "Q234", "Q234A", "Q235"]
