"""`culturealign targets`: every table and figure from the one declaration of artifacts, with the
jobs its DAG runs; every target of `rule all` listed, every listed path (and its report page)
dry-runs, and a target made by endpoint jobs only asks for no GPU under the paper grid."""

import json
import re
import subprocess
import sys

from workflow_helpers import ROOT, SNAKEMAKE, local_env

CLI = [sys.executable, "-m", "culturealign.cli", "targets"]


def _targets(*args) -> list[dict]:
    run = subprocess.run([*CLI, "--format", "json", *args], cwd=ROOT, capture_output=True, text=True, env=local_env())
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout)


def test_every_target_of_rule_all_is_listed_and_every_listed_path_dry_runs():
    rows = _targets()
    listed = {r["path"] for r in rows} | {r["page"] for r in rows}
    assert {r["paper"] for r in rows} == {"cnca", "culturespa", "caredio", "leaderboard"} and len(rows) >= 26
    dry = subprocess.run([SNAKEMAKE, "-n", "--cores", "1"], cwd=ROOT, capture_output=True, text=True, env=local_env())
    assert dry.returncode == 0, dry.stderr[-3000:]
    block = re.search(r"^(?:local)?rule all:\n    input: (.*)$", dry.stdout, flags=re.M)
    assert block, dry.stdout[-2000:]
    in_all = set(block.group(1).split(", "))
    assert in_all and in_all <= listed, sorted(in_all - listed)
    assert {r["path"] for r in rows if r["in_all"]} == in_all - {r["page"] for r in rows}
    every = subprocess.run([SNAKEMAKE, *sorted(listed), "-n", "--cores", "1"], cwd=ROOT,
                           capture_output=True, text=True, env=local_env())
    assert every.returncode == 0, every.stderr[-3000:]
    for row in rows:
        assert row["jobs"] >= 1 and 0 <= row["gpu_jobs"] <= row["model_jobs"] <= row["jobs"], row
        assert re.fullmatch(r"(Table|Figure) \d+|Leaderboard( figure)?", row["label"]) and row["what"], row


def test_one_paper_and_the_paper_grid():
    caredio = _targets("--paper", "caredio", "--configfile", "configs/paper.yaml")
    assert {r["paper"] for r in caredio} == {"caredio"}
    by_path = {r["path"]: r for r in caredio}
    # the paper grid's generator and embeddings are OpenAI endpoints: Figure 3's jobs need no GPU,
    # Table 2's backbones (Llama-3.1-8B, Qwen2.5-7B) do
    figure3, table2 = by_path["results/caredio/figure3.png"], by_path["results/caredio/table2.csv"]
    assert figure3["model_jobs"] > 0 and figure3["gpu_jobs"] == 0, figure3
    assert table2["gpu_jobs"] > 0, table2
    text = subprocess.run([*CLI, "--paper", "cnca", "--no-jobs"], cwd=ROOT, capture_output=True, text=True)
    assert text.returncode == 0 and "results/table3.csv" in text.stdout and "culturespa" not in text.stdout


def test_the_paper_grid_leaderboard_dry_runs_on_one_gpu_model():
    """The leaderboard under configs/paper.yaml (Llama-3.1-8B-Instruct, docs/leaderboard.md): its table
    and figure dry-run, its model jobs ask for GPUs (all but CAReDiO's OpenAI-endpoint data jobs), and
    it has jobs of its own beside the papers' prediction jobs it reuses."""
    rows = {r["path"]: r for r in _targets("--paper", "leaderboard", "--configfile", "configs/paper.yaml")}
    table = rows["results/leaderboard.csv"]
    assert table["jobs"] > 100 and 100 < table["gpu_jobs"] < table["model_jobs"], table
    dry = subprocess.run([SNAKEMAKE, "results/leaderboard.csv", "-n", "--quiet", "rules", "--cores", "1",
                          "--configfile", "configs/paper.yaml"], cwd=ROOT, capture_output=True, text=True,
                         env=local_env())
    assert dry.returncode == 0, dry.stderr[-3000:]
    counts = dict(line.split()[:2] for line in dry.stdout.splitlines() if len(line.split()) == 2
                  and line.split()[1].isdigit())
    assert int(counts["leaderboard_predict"]) > 0 and int(counts["leaderboard_benchmarks"]) > 0, counts
    assert int(counts["cnca_predict"]) > 0, counts  # CNCA's rows are CNCA's own prediction jobs
