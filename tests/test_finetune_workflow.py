"""End to end, the fine-tuning track on the embedded model (shared tiny run, see conftest): distilled
chains, DPO pairs, real LoRA adapters, their predictions, Tables 4, 5 and 6."""

import csv
import json

import pytest
from safetensors.torch import load_file

pytestmark = pytest.mark.slow
MODEL = "smollm2-135m"


def _rows(path):
    with open(path) as handle:
        return list(csv.DictReader(handle))


def _jsonl(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_table4_has_a_real_score_for_every_fine_tuning_method(tiny_run):
    rows = _rows(tiny_run / "results/table4.csv")
    assert [r["method"] for r in rows] == ["Vanilla", "SFT", "CoT-SFT", "CNCA-SFT", "CNCA-DPO"]
    table3 = {r["method"]: r for r in _rows(tiny_run / "results/table3.csv")}
    assert sum(1 for r in rows if r["score"]) >= 3, rows
    for row in rows:
        assert row["countries"] == "CHN USA" and int(row["n_valid"]) + int(row["n_invalid"]) == 4
        if row["score"]:
            assert 0.0 <= float(row["score"]) <= 100.0
        else:  # every answer invalid (a copy of the prompt, say): no score
            assert int(row["n_valid"]) == 0
    for label in ("Vanilla", "SFT", "CoT-SFT"):  # the same score files feed both tables
        assert next(r for r in rows if r["method"] == label)["score"] == table3[label]["score"]


def test_distillation_records_every_chain_and_why_one_was_kept(tiny_run):
    for variant in ("cot", "cnca"):
        records = _jsonl(tiny_run / f"results/distill/{MODEL}/{variant}/USA.jsonl")
        assert [r["qid"] for r in records] and all(r["status"] in ("found", "not-found") for r in records)
        for rec in records:
            assert rec["samples"] and {"round", "sample", "text", "status"} <= rec["samples"][0].keys()
            if rec["status"] == "found":
                assert rec["kept"]["answer"] == rec["ground_truth"] and rec["kept"]["why"]
            else:
                assert len(rec["samples"]) == 2 * 4 and rec["fallback"]["answer"] == rec["ground_truth"]
    cnca = _jsonl(tiny_run / f"results/distill/{MODEL}/cnca/USA.jsonl")
    assert any(r["norm"] and r["norm"] in r["distill_messages"][1]["content"] for r in cnca)
    train = _jsonl(tiny_run / f"results/train/{MODEL}/cnca-sft/all.jsonl")
    assert len(train) == 6 and not any("Cultural Norm" in json.dumps(ex["messages"]) for ex in train)


def test_adapters_are_real_trained_lora_weights(tiny_run):
    base = tiny_run / f"results/adapters/{MODEL}"
    for method in ("sft", "cot-sft", "cnca-sft", "cnca-dpo"):
        adapter = base / method / "all"
        config = json.loads((adapter / "adapter_config.json").read_text())
        assert config["peft_type"] == "LORA" and config["r"] == 8
        metrics = json.loads((adapter / "metrics.json").read_text())
        data = tiny_run / f"results/train/{MODEL}/{method}/all.jsonl"
        from culturealign.checksums import sha256_file

        assert metrics["training_data"]["sha256"] == sha256_file(data)
        assert metrics["steps"] >= 1 and metrics["peak_rss_mb"] < 4096 and metrics["samples_per_second"] > 0
        assert metrics["updated"] is True
        steps = _jsonl(adapter / "training_log.jsonl")
        assert steps and all("loss" in s and "peak_rss_mb" in s for s in steps)
    sft = load_file(base / "sft/all/adapter_model.safetensors")
    # LoRA B starts at zero: a non-zero B is a training step that happened
    assert any(t.abs().sum() > 0 for k, t in sft.items() if "lora_B" in k)
    cnca_sft = load_file(base / "cnca-sft/all/adapter_model.safetensors")
    dpo = load_file(base / "cnca-dpo/all/adapter_model.safetensors")
    assert dpo.keys() == cnca_sft.keys()  # DPO continued the CNCA-SFT adapter (no "ref" copy saved)
    assert any(not (dpo[k] == cnca_sft[k]).all() for k in dpo)
    pairs = _jsonl(tiny_run / f"results/dpo/{MODEL}/USA.jsonl")
    assert all(p["status"] in ("paired", "no-correct-chain", "no-incorrect-chain") for p in pairs)


def test_adapter_predictions_use_the_standard_prompt_and_the_adapter(tiny_run):
    records = _jsonl(tiny_run / f"results/predictions/{MODEL}/cnca-dpo/USA/seed0.jsonl")
    assert len(records) == 2
    for rec in records:
        assert rec["adapter"] == f"results/adapters/{MODEL}/cnca-dpo/all"
        assert rec["messages"][1]["content"].endswith("Please return the number of the selected option only.")


def test_table5_scores_every_dimension_against_hofstede(tiny_run):
    rows = _rows(tiny_run / "results/table5.csv")
    assert [r["method"] for r in rows] == ["Vanilla", "SFT", "CoT-SFT", "CNCA-SFT", "CNCA-DPO"]
    for row in rows:
        values = [float(row[d]) for d in ("LTO", "MAS", "PDI", "IDV", "IVR", "UAI")]
        assert all(v in (0.0, 50.0, 100.0) for v in values)  # one question per dimension, two countries
        assert float(row["avg"]) == pytest.approx(sum(values) / 6, abs=0.01)
        assert row["n"] == "12" and row["countries"] == "CHN USA" and row["threshold"] == "50"
    records = _jsonl(tiny_run / f"results/cdeval/predictions/{MODEL}/sft/seed0.jsonl")
    assert len(records) == 12 and {r["adapter"] for r in records} == {f"results/adapters/{MODEL}/sft/all"}


def test_table6_shows_each_model_answer_with_its_response(tiny_run):
    text = (tiny_run / "results/table6.md").read_text()
    assert text.startswith("# Table 6: answers to Q")
    for label in ("Vanilla", "SFT", "CoT-SFT", "CNCA-DPO"):
        assert f"| {label} | {MODEL} |" in text
