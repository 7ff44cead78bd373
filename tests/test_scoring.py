import math
import subprocess
import sys

import pytest

from culturealign.scoring import alignment_score, score_records, summarise
from culturealign.tables import paired_test
from culturealign.scoring import CountryScore

from conftest import ROOT, write_jsonl


def test_alignment_score_by_hand():
    # a = (1, 2), r = (2, 2): ||a - r|| = 1; 4 options each: max = sqrt(3^2 + 3^2) = 4.2426
    assert alignment_score([1, 2], [2, 2], [4, 4]) == pytest.approx(100 * (1 - 1 / math.sqrt(18)))
    assert alignment_score([1, 2], [1, 2], [4, 4]) == 100.0
    assert alignment_score([1], [4], [4]) == 0.0
    # zero-based 3-option question: (0 vs 2) -> distance 2, max 2 -> 0
    assert alignment_score([0], [2], [3]) == 0.0
    assert math.isnan(alignment_score([], [], []))


def _rec(qid, country, response, seed=0):
    return {"qid": qid, "country": country, "response": response, "seed": seed}


def test_missing_ground_truth_and_invalid_answers_are_left_out(questions):
    # USA: Q1 truth 1, Q3 truth 2, Q215 has no ground truth; one refusal.
    records = [_rec("Q1", "USA", "1"), _rec("Q3", "USA", "I pick 4"), _rec("Q215", "USA", "2"),
               _rec("Q2", "USA", "no opinion")]
    (usa,) = score_records(records, questions)
    assert (usa.n_valid, usa.n_invalid, usa.n_no_truth) == (2, 1, 1)
    # Q1 (4 options) exact, Q3 (4 options): 2 vs 4 -> distance 2, max sqrt(9 + 9)
    assert usa.score == pytest.approx(100 * (1 - 2 / math.sqrt(18)))


def test_all_invalid_country_has_no_score_and_is_counted(questions):
    records = [_rec("Q1", "CHN", "??"), _rec("Q2", "CHN", "refuse"), _rec("Q1", "USA", "1")]
    scores = score_records(records, questions)
    chn = next(s for s in scores if s.country == "CHN")
    assert chn.n_invalid == 2 and math.isnan(chn.score)
    summary = summarise(scores)
    assert summary["score"] == 100.0 and summary["countries_without_score"] == ["CHN"]
    assert summary["invalid_rate"] == pytest.approx(2 / 3)


def test_mean_and_std_over_seeds(questions):
    records = [_rec("Q1", "USA", "1", seed=0), _rec("Q1", "USA", "4", seed=1)]
    summary = summarise(score_records(records, questions))
    assert summary["per_seed"] == {0: 100.0, 1: 0.0}
    assert summary["score"] == 50.0 and summary["std"] == pytest.approx(math.sqrt(5000))


def test_paired_t_test_by_hand():
    # differences 1, 2, 3 -> mean 2, sd 1, t = 2 / (1 / sqrt 3) = 3.4641, df 2 -> p = 0.0742
    method = [CountryScore(0, c, 1, 0, 0, s) for c, s in zip(["A", "B", "C"], [11.0, 22.0, 33.0])]
    base = [CountryScore(0, c, 1, 0, 0, s) for c, s in zip(["A", "B", "C"], [10.0, 20.0, 30.0])]
    diff, p = paired_test(method, base)
    assert diff == pytest.approx(2.0) and p == pytest.approx(0.07418, abs=1e-4)


def test_score_command_prints_per_country_and_mean(tmp_path):
    pred = write_jsonl(tmp_path / "p.jsonl", [_rec("Q1", "USA", "1"), _rec("Q3", "USA", "<think>x</think>4"),
                                              _rec("Q1", "DEU", "I refuse")])
    cmd = [sys.executable, "-m", "culturealign.cli", "score", str(pred), "--wvs-dir", str(ROOT / "resources/wvs")]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    lines = out.splitlines()
    assert lines[0].split() == ["seed", "country", "n_valid", "n_invalid", "score"]
    assert lines[1].split() == ["0", "DEU", "0", "1", "-"]
    assert lines[2].split() == ["0", "USA", "2", "0", f"{100 * (1 - 2 / math.sqrt(18)):.2f}"]
    assert "mean over countries (seed 0): 52.86" in out
    csv_out = subprocess.run(cmd + ["--format", "csv"], capture_output=True, text=True, check=True).stdout
    assert csv_out.splitlines()[0] == ("seed,country,n_valid,n_invalid,n_no_truth,score,n_norms_missing,n_unclosed_think,"
                                       "n_strict,first_option,uniform_random")


def _strict_json(text):
    import json

    def refuse(name):
        raise ValueError(f"not strict JSON: {name}")
    return json.loads(text, parse_constant=refuse)


def test_score_json_is_strict_json_with_one_seed(tmp_path):
    pred = write_jsonl(tmp_path / "p.jsonl", [_rec("Q1", "USA", "1"), _rec("Q1", "DEU", "I refuse")])
    cmd = [sys.executable, "-m", "culturealign.cli", "score", str(pred), "--wvs-dir", str(ROOT / "resources/wvs"),
           "--format", "json"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    data = _strict_json(out)                      # NaN / Infinity would raise here
    assert data["summary"]["std"] is None          # one seed: no standard deviation
    assert data["summary"]["score"] == 100.0 and data["summary"]["per_seed"] == {"0": 100.0}
    deu = next(r for r in data["countries"] if r["country"] == "DEU")
    assert deu["score"] is None and deu["n_invalid"] == 1


def test_reasoning_records_without_closed_think_are_invalid_and_counted(questions):
    cut = "Okay, family matters a lot to Americans, so 1 or maybe 2"
    records = [{**_rec("Q1", "USA", cut), "reasoning": True},
               {**_rec("Q3", "USA", "Hmm, 2.</think>\n\n2"), "reasoning": True},
               _rec("Q2", "USA", cut)]                              # a non-reasoning model's: answer 1
    (usa,) = score_records(records, questions)
    assert (usa.n_valid, usa.n_invalid, usa.n_unclosed_think) == (2, 1, 1)


def test_paired_test_over_countries_averages_the_seeds():
    # 3 countries x 2 seeds. Per-country means: method 11, 22, 33 vs base 10, 20, 30 -> differences
    # 1, 2, 3: t = 3.4641 with 2 df, p = 0.0742 (as above). Over the 6 (country, seed) pairs the
    # differences are 0, 2, 1, 3, 2, 4 (mean 2, sd 1.4142, t = 3.4641, 5 df): p = 0.0180.
    method = [CountryScore(s, c, 1, 0, 0, v) for (c, s), v in zip(
        [("A", 0), ("A", 1), ("B", 0), ("B", 1), ("C", 0), ("C", 1)], [10.0, 12.0, 21.0, 23.0, 32.0, 34.0])]
    base = [CountryScore(s, c, 1, 0, 0, v) for (c, s), v in zip(
        [("A", 0), ("A", 1), ("B", 0), ("B", 1), ("C", 0), ("C", 1)], [10.0, 10.0, 20.0, 20.0, 30.0, 30.0])]
    diff, p = paired_test(method, base, "country")
    assert diff == pytest.approx(2.0) and p == pytest.approx(0.07418, abs=1e-4)
    diff, p = paired_test(method, base, "country-seed")
    assert diff == pytest.approx(2.0) and p == pytest.approx(0.01800, abs=1e-4)


def test_score_command_rejects_a_malformed_file(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"qid": "Q1", "country": "USA"}\n')
    cmd = [sys.executable, "-m", "culturealign.cli", "score", str(bad), "--wvs-dir", str(ROOT / "resources/wvs")]
    run = subprocess.run(cmd, capture_output=True, text=True)
    assert run.returncode == 2 and "bad.jsonl:1" in run.stderr and "response" in run.stderr


def test_trivial_answerers_score_the_same_questions():
    """Always the first option, and a uniform random answerer (mean of seeded draws), by eq. 3 on the
    questions asked, whatever the method answered; worked by hand on two 4-option questions."""
    import itertools
    import statistics

    from culturealign.scoring import alignment_score, score_records, trivial_scores

    first, uniform = trivial_scores([1, 3], [[1, 2, 3, 4], [1, 2, 3, 4]], seed=0)
    assert first == pytest.approx(100 * (1 - 2 / math.sqrt(18)))        # answers (1, 1): distance 2
    exact = statistics.fmean(alignment_score([1, 3], list(a), [4, 4]) for a in itertools.product(range(1, 5), repeat=2))
    assert uniform == pytest.approx(exact, abs=1.0) and trivial_scores([1, 3], [[1, 2, 3, 4]] * 2, 0)[1] == uniform
    assert trivial_scores([0], [[0, 1, 2]], 0)[0] == 100.0                # a 0-based question's first option
    # in score_records: the questions asked with ground truth, answered validly or not; strict answers counted
    q = {"Q1": {"options": [{"id": i} for i in range(1, 5)], "ground_truth": {"USA": 1}},
         "Q3": {"options": [{"id": i} for i in range(1, 5)], "ground_truth": {"USA": 3}}}
    [row] = score_records([_rec("Q1", "USA", "1. Strongly"), _rec("Q3", "USA", "I would say 2")], q)
    assert row.n_strict == 1 and row.n_valid == 2 and row.first_option == pytest.approx(first)
    [refused] = score_records([_rec("Q1", "USA", "no"), _rec("Q3", "USA", "no")], q)
    assert math.isnan(refused.score) and refused.first_option == pytest.approx(first)


def test_table3_rows_carry_the_question_note_and_the_trivial_answerers(tmp_path):
    """CNCA Table 3 from hand-made score files: the 259-question note (the paper says 261), the trivial
    answerers and the strict share beside each score, the paired test against Vanilla."""
    import csv

    from culturealign import papers  # noqa: F401  (registers the methods)
    from culturealign.papers.cnca.tables import alignment_table
    from culturealign.scoring import CountryScore
    from culturealign.tables import write_country_scores

    files = {}
    for method, usa, chn in (("vanilla", 50.0, 40.0), ("icl", 60.0, 55.0)):
        path = tmp_path / f"{method}.csv"
        write_country_scores(path, [CountryScore(0, "USA", 4, 1, 0, usa, n_strict=3, first_option=30.0, uniform_random=45.0),
                                    CountryScore(0, "CHN", 5, 0, 0, chn, n_strict=5, first_option=20.0, uniform_random=41.0)])
        files[("m", method)] = str(path)
    rows = alignment_table(files, {"m": {"name": "M"}}, str(ROOT / "resources/paper/cnca.csv"), "3", tmp_path / "t.csv")
    assert [r["method"] for r in rows] == ["Vanilla", "ICL"]
    assert "259 questions" in rows[0]["notes"] and "261" in rows[0]["notes"]
    assert rows[0]["first_option_score"] == "25.00" and rows[0]["uniform_random_score"] == "43.00"
    assert rows[0]["strict_share"] == "0.8000" and rows[0]["lenient_share"] == "0.1000"  # of 10 answers
    assert rows[1]["diff_vs_vanilla"] == "12.50"
    written = list(csv.DictReader(open(tmp_path / "t.csv")))
    assert written[1]["notes"] == rows[1]["notes"]
