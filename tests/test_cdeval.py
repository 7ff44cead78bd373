"""CDEval (CNCA Table 5, eqs. 4 and 5): the metric on a hand-made example, Hofstede poles, fetching."""

import json

import pytest

from culturealign.papers.cnca.cdeval import (CDEvalError, HOFSTEDE_CODES, fetch, load, load_hofstede, score, select, tendencies)
from culturealign.checksums import sha256_file
from conftest import ROOT

HOFSTEDE = ROOT / "resources/hofstede/6-dimensions-for-website-2015-08-16.csv"


def test_hofstede_poles_of_the_paper_countries():
    poles = tendencies(load_hofstede(HOFSTEDE), ["CHN", "DEU", "USA", "RUS"], 50)
    # China: PDI 80 (high -> option 1), IDV 20 (low -> option 2), LTO 87, IVR 24
    assert poles["CHN"] == {"PDI": 1, "IDV": 2, "MAS": 1, "UAI": 2, "LTO": 1, "IVR": 2}
    # USA: PDI 40, IDV 91, MAS 62, UAI 46, LTO 26, IVR 68
    assert poles["USA"] == {"PDI": 2, "IDV": 1, "MAS": 1, "UAI": 2, "LTO": 2, "IVR": 1}
    assert tendencies(load_hofstede(HOFSTEDE), ["USA"], 95)["USA"]["IDV"] == 2  # threshold is configurable
    assert tendencies(load_hofstede(HOFSTEDE), ["UKR"], 50)["UKR"]["PDI"] is None  # #NULL! in the file
    with pytest.raises(CDEvalError, match="'BOL'"):
        tendencies(load_hofstede(HOFSTEDE), ["BOL"], 50)
    assert set(HOFSTEDE_CODES) <= {"USA", "CAN", "BOL", "BRA", "GBR", "NLD", "DEU", "UKR", "CHN", "RUS", "IND",
                                   "THA", "KEN", "NGA", "ETH", "ZWE", "AUS", "NZL"}


def test_metric_on_a_hand_made_example():
    poles = {"CHN": {"IDV": 2, "PDI": 1}, "USA": {"IDV": 1, "PDI": None}}
    records = [
        {"country": "CHN", "dimension": "IDV", "response": "2"},        # aligned
        {"country": "CHN", "dimension": "IDV", "response": "1"},        # not aligned
        {"country": "CHN", "dimension": "PDI", "response": "I pick 1"},  # aligned (lenient parse)
        {"country": "CHN", "dimension": "PDI", "response": "neither"},   # invalid: scores 0, counted
        {"country": "USA", "dimension": "IDV", "response": "1."},        # aligned
        {"country": "USA", "dimension": "PDI", "response": "1"},         # no Hofstede score: skipped
    ]
    result = score(records, poles)
    assert result["per_country_dimension"]["CHN/IDV"]["score"] == 50.0
    assert result["per_country_dimension"]["CHN/PDI"] == {"aligned": 1, "n": 2, "invalid": 1, "score": 50.0}
    # eq. 5: dimension = mean over countries; average = mean over dimensions with a score
    assert result["dimensions"]["IDV"] == pytest.approx((50.0 + 100.0) / 2)
    assert result["dimensions"]["PDI"] == 50.0
    assert result["average"] == pytest.approx((75.0 + 50.0) / 2)
    assert result["n"] == 5 and result["n_invalid"] == 1 and result["skipped_no_hofstede_score"] == ["USA/PDI"]


def test_fetch_checks_the_checksum_and_leaves_nothing_on_mismatch(tmp_path):
    good = [{"Dimension": "IDV", "Domain": "Education", "Question": "Q?", "Option 1": "a", "Option 2": "b"}]
    src = tmp_path / "CDEval.json"
    src.write_text(json.dumps(good))
    out = tmp_path / "out" / "cdeval.json"
    with pytest.raises(CDEvalError, match="expected 0{64}"):
        fetch("unused", "0" * 64, str(src), out)
    assert not out.exists() and not list(out.parent.glob("*.part"))
    fetch("unused", sha256_file(src), str(src), out)
    assert load(out) == good
    src.write_text(json.dumps([{"Dimension": "XYZ", **{k: "" for k in ("Domain", "Question", "Option 1", "Option 2")}}]))
    with pytest.raises(CDEvalError, match="unknown dimension 'XYZ'"):
        load(src)


def test_seeded_selection_is_stable_and_balanced():
    records = [{"Dimension": d, "Domain": "x", "Question": f"{d}{i}", "Option 1": "a", "Option 2": "b"}
               for d in ("IDV", "PDI", "MAS", "UAI", "LTO", "IVR") for i in range(10)]
    first = select(records, 3, seed=0)
    assert first == select(records, 3, seed=0) and len(first) == 18
    assert {r["Dimension"] for r in first} == {"IDV", "PDI", "MAS", "UAI", "LTO", "IVR"}
    assert select(records, 3, seed=1) != first and len(select(records, None, 0)) == 60


def test_a_reasoning_models_cdeval_answer_is_read_after_its_think_block():
    """The reasoning rule of parsing.py applies to CDEval too: the number after </think> is the answer
    (not the first number of the reasoning), and a think block that never closed is invalid."""
    poles = {"CHN": {"IDV": 2}}
    records = [
        {"country": "CHN", "dimension": "IDV", "response": "Option 1 stresses the self... </think>\n\n2", "reasoning": True},
        {"country": "CHN", "dimension": "IDV", "response": "<think>1 or 2? Collectivism suggests", "reasoning": True},
        {"country": "CHN", "dimension": "IDV", "response": "<think>1 is wrong</think> 2", "reasoning": False},
    ]
    result = score(records, poles)
    assert result["per_country_dimension"]["CHN/IDV"] == {"aligned": 2, "n": 3, "invalid": 1,
                                                         "score": pytest.approx(200 / 3)}
