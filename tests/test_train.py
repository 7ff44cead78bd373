"""One real LoRA SFT step and one real DPO step on the embedded model; a training job that dies
leaves no adapter directory behind."""

import json

import pytest
from safetensors.torch import load_file

from culturealign.finetune import load_recipe, train_adapter
from conftest import ROOT, TEST_RECIPE

pytestmark = pytest.mark.slow


def _examples(questions, split):
    from culturealign.distill import training_prompt, training_qids

    qids = training_qids(split, [8, 10], 1)
    return [{"qid": q, "country": "USA", "messages": training_prompt(questions[q], "USA"),
             "target": {"reasoning": "Most people I know think so.", "answer": questions[q]["ground_truth"]["USA"]}}
            for q in qids]


def _write(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return str(path)


@pytest.fixture(scope="module")
def weights(tiny_run):
    return str(tiny_run / "results/models/smollm2-135m/weights")


def test_one_sft_step_then_one_dpo_step_change_the_adapter(weights, questions, split, tmp_path):
    examples = _examples(questions, split)
    sft_recipe = load_recipe(ROOT / "recipes/cot-sft.yaml", TEST_RECIPE)
    sft = train_adapter(recipe=sft_recipe, model_dir=weights, data_path=_write(tmp_path / "sft.jsonl", examples),
                        out_dir=str(tmp_path / "sft"), threads=2)
    assert sft["steps"] == 1 and sft["examples"] == 2
    a = load_file(tmp_path / "sft/adapter_model.safetensors")
    assert any(t.abs().sum() > 0 for k, t in a.items() if "lora_B" in k)  # B starts at zero
    pairs = [{**{k: ex[k] for k in ("qid", "country", "messages")}, "chosen": ex["target"],
              "rejected": {"reasoning": "I answer at random.", "answer": 1 + ex["target"]["answer"] % 2}}
             for ex in examples]
    dpo = train_adapter(recipe=load_recipe(ROOT / "recipes/cnca-dpo.yaml", TEST_RECIPE), model_dir=weights,
                        data_path=_write(tmp_path / "dpo.jsonl", pairs), out_dir=str(tmp_path / "dpo"),
                        init_adapter=str(tmp_path / "sft"), threads=2)
    assert dpo["steps"] == 1 and dpo["peak_rss_mb"] < 4096
    b = load_file(tmp_path / "dpo/adapter_model.safetensors")
    assert a.keys() == b.keys() and any(not (a[k] == b[k]).all() for k in a)


def test_a_training_job_that_dies_leaves_no_adapter(weights, questions, split, tmp_path, monkeypatch):
    import trl

    def die(self, *args, **kwargs):
        raise RuntimeError("node lost")

    monkeypatch.setattr(trl.SFTTrainer, "train", die)
    out = tmp_path / "adapters" / "sft"
    with pytest.raises(RuntimeError, match="node lost"):
        train_adapter(recipe=load_recipe(ROOT / "recipes/sft.yaml", TEST_RECIPE), model_dir=weights,
                      data_path=_write(tmp_path / "sft.jsonl", _examples(questions, split)), out_dir=str(out))
    assert not out.exists()
    assert [p.name for p in out.parent.iterdir()] == [".sft.partial"]  # cleared by the next attempt
