"""A training job that dies leaves no adapter directory behind. (That real SFT and DPO steps change
the adapter is checked on the adapters of the shared end-to-end run: test_finetune_workflow.py.)"""

import json

import pytest

from culturealign.training import load_recipe, train_adapter
from conftest import ROOT, TEST_RECIPE

pytestmark = pytest.mark.slow


def _examples(questions, split):
    from culturealign.papers.cnca.distill import training_prompt, training_qids

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
    assert list(out.parent.iterdir()) == []  # the half-written .sft.partial is removed with the failure
