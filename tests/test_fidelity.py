"""CNCA fidelity: the effective paper-grid configuration, Figure 5's form, Table 6's question and the
published numbers beside the reproduced ones (issue "CNCA fidelity"; the other points are tested next
to the code they change: test_parsing, test_norms, test_prompts, test_wvs, test_scoring)."""

import csv
import json

import pytest
import yaml

from culturealign.papers.cnca.finetune import FINETUNE_METHODS
from culturealign.training import load_recipe
from culturealign.tables import read_published, write_country_scores
from culturealign.scoring import CountryScore

from workflow_helpers import ROOT, copy_repo, snakemake


@pytest.fixture(scope="module")
def resolved(tmp_path_factory):
    """The resolved configuration and recipes of the paper grid and of the embedded default, made by
    Snakemake itself (rule resolved_config) from the same command lines a user types."""
    workdir = copy_repo(tmp_path_factory.mktemp("cfg") / "repo")
    out = {}
    for name, args in (("paper", ["--configfile", "configs/paper.yaml"]), ("embedded", [])):
        snakemake(workdir, "results/config/resolved.json", "--forceall", *args, timeout=120)
        out[name] = json.loads((workdir / "results/config/resolved.json").read_text())
    return out


def test_paper_adapters_train_with_the_papers_recipe(resolved):
    """CNCA: "a warm-up phase covering 10% of the total training steps" (l.146). config.yaml's
    embedded-only recipe overrides (no warm-up, no accumulation) must not reach the paper grid."""
    paper = resolved["paper"]
    assert paper["config_files"] == ["configs/paper.yaml"]
    assert paper["config"]["cnca"]["finetune"]["recipe_overrides"] == {}
    for method in ("sft", "cot-sft", "cnca-sft", "cnca-dpo"):
        entry = paper["recipes"]["cnca"][method]
        assert entry["recipe"] == load_recipe(ROOT / entry["file"], init_choices=FINETUNE_METHODS), method  # untouched
        training = entry["recipe"]["training"]
        assert (training["warmup_ratio"], training["lr_scheduler"], training["learning_rate"],
                training["epochs"]) == (0.1, "cosine", 5e-5, 1), method
    # and nothing else of the embedded default leaks in: the paper file alone decides
    assert paper["config"]["models"].keys().isdisjoint({"smollm2-135m"})
    assert paper["config"]["cnca"]["norms"]["max_new_tokens"] == 1024


def test_the_embedded_default_keeps_its_own_overrides(resolved):
    embedded = resolved["embedded"]
    assert embedded["config_files"] == ["config.yaml"]
    assert embedded["recipes"]["cnca"]["sft"]["recipe"]["training"]["warmup_ratio"] == 0.0
    assert embedded["recipes"]["cnca"]["sft"]["recipe"]["training"]["gradient_accumulation_steps"] == 1


def test_paper_table6_is_q18():
    """CNCA Table 6 shows Q18 for the USA (l.226)."""
    table6 = yaml.safe_load((ROOT / "configs/paper.yaml").read_text())["cnca"]["table6"]
    assert (table6["qid"], table6["country"]) == ("Q18", "USA")


def test_published_p_values_and_figure5_number_are_vendored():
    path = ROOT / "resources/paper/cnca.csv"
    assert read_published(path, "p_value") == {("3", "R1-Llama-8B", "CNCA-TQ (TA)"): 0.021,
                                               ("3", "R1-Qwen-14B", "CNCA-TQ (TA)"): 0.003}
    assert read_published(path, miner="R1-Qwen-7B") == {("figure5", "R1-Qwen-14B", "CNCA-TQ (TA)"): 67.23}
    assert read_published(path)[("3", "R1-Qwen-14B", "CNCA-TQ (TA)")] == 68.24


def test_figure5_is_grouped_bars_with_the_published_value(tmp_path):
    """CNCA Figure 5: x the inference models, y the score, colour the model that mined the norms."""
    from culturealign.papers.cnca.figures import figure5

    models = {"q7": {"name": "Qwen 7B", "paper_label": "R1-Qwen-7B"},
              "q14": {"name": "Qwen 14B", "paper_label": "R1-Qwen-14B"}}
    rows, files = [], []
    for method in ("cnca-t", "cnca-tq-ta"):
        for ev in ("q7", "q14"):
            for mi in ("q7", "q14"):
                score = {"q7": 60.0, "q14": 65.0}[ev] + {"q7": 0.0, "q14": 1.0}[mi] + (method == "cnca-t")
                path = tmp_path / f"{method}-{ev}-{mi}.csv"
                write_country_scores(path, [CountryScore(0, "USA", 3, 0, 0, score)])
                rows.append((ev, method, mi))
                files.append(str(path))
    published = {("R1-Qwen-14B", "CNCA-TQ (TA)", "R1-Qwen-7B"): 67.23}
    table = figure5(rows, files, models, "caption", [str(tmp_path / "f.png")], str(tmp_path / "f.csv"),
                    str(tmp_path / "f.json"), published)
    drawn = json.loads((tmp_path / "f.json").read_text())
    assert [a["title"] for a in drawn["axes"]] == ["CNCA-T", "CNCA-TQ (TA)"]
    ta = drawn["axes"][1]
    assert ta["xlabel"] == "inference model" and ta["ylabel"] == "" and ta["images"] == []
    assert drawn["axes"][0]["ylabel"].startswith("alignment score")
    assert [b["label"] for b in ta["bars"]] == ["norms by Qwen 7B", "norms by Qwen 14B"]
    assert all(b["x"] == ["Qwen 7B", "Qwen 14B"] for b in ta["bars"])
    assert ta["bars"][0]["heights"] == [60.0, 65.0] and ta["bars"][1]["heights"] == [61.0, 66.0]
    (star,) = ta["series"]
    assert star["label"] == "published: 67.23" and star["y"] == [67.23]
    with open(tmp_path / "f.csv") as handle:
        csv_rows = list(csv.DictReader(handle))
    hit = [r for r in csv_rows if r["published"]]
    assert hit == [{"method": "CNCA-TQ (TA)", "evaluator": "q14", "miner": "q7", "score": "65.00",
                    "published": "67.23", "diff_vs_published": "-2.23"}]
    assert len(table) == 8
