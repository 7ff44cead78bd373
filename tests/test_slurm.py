"""The embedded-default workflow on a real single-node SLURM cluster (../shared/tools/local-slurm).

Opt in with CULTUREALIGN_SLURM_TEST=1 (`.ci/run` does, as root on Debian). The cluster is started
here and stopped by PID in a finalizer, also when a test fails; every Snakemake call runs under
`timeout -s KILL` (the SLURM plugin can loop forever if it loses its jobs).
"""

import json
import os
import subprocess
import threading
import time
from pathlib import Path

import pytest

from conftest import TINY
from workflow_helpers import copy_repo, snakemake, write_config

ROOT = Path(__file__).resolve().parents[1]
LOCAL_SLURM = Path(os.environ.get("LOCAL_SLURM_TOOLS", ROOT.parent / "shared" / "tools" / "local-slurm"))

pytestmark = [
    pytest.mark.slurm,
    pytest.mark.skipif(os.environ.get("CULTUREALIGN_SLURM_TEST") != "1",
                       reason="set CULTUREALIGN_SLURM_TEST=1 to start a local SLURM cluster (root, Debian)"),
]

# One country, one topic: each rule kind runs once as a SLURM job (the cluster's scheduling latency,
# not the model, is what this test spends its time on).
# A corner of the shared tiny run's grid (same topics, norm budget, threads): the cluster's model
# outputs must be the tiny run's, byte for byte, without a local run of its own.
# The local cluster's node has 2 cores: a GPU job may ask for no more (the default, 8 per GPU, is a GPU node's)
CONFIG = dict(engine=TINY["engine"], cluster={"cpus_per_gpu": 2},
              cnca=dict(countries=["USA"], seeds=TINY["cnca"]["seeds"], norms=TINY["cnca"]["norms"],
                        figures=TINY["cnca"]["figures"], table6=TINY["cnca"]["table6"],
                        evaluation={**TINY["cnca"]["evaluation"], "methods": ["vanilla", "cnca-t"]}))
SAME_BYTES = ["results/data/split.json", "results/models/smollm2-135m/manifest.json",
              "results/norms/smollm2-135m/t/USA.json", "results/predictions/smollm2-135m/vanilla/USA/seed0.jsonl",
              "results/predictions/smollm2-135m/cnca-t/miner-smollm2-135m/k5/USA/seed0.jsonl"]
GPU_RULES = {"cnca_predict", "cnca_predict_with_norms", "cnca_mine_norms"}
LOCAL_RULES = {"wvs_questions", "cnca_split", "cnca_score", "cnca_score_with_norms", "cnca_table3"}
TARGET = "results/table3.csv"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    if os.geteuid() != 0 or not (LOCAL_SLURM / "start.sh").is_file():
        pytest.fail(f"the SLURM test needs root and {LOCAL_SLURM}/start.sh")
    state = tmp_path_factory.mktemp("slurm-state")
    env = {**os.environ, "LOCAL_SLURM_DIR": str(state)}
    try:
        started = subprocess.run(["timeout", "-s", "KILL", "600", "bash", str(LOCAL_SLURM / "start.sh")], env=env,
                                 capture_output=True, text=True)
        assert started.returncode == 0, started.stdout + started.stderr
        yield state
    finally:
        subprocess.run(["bash", str(LOCAL_SLURM / "stop.sh")], env=env, capture_output=True, text=True)


def _slurm_jobs(workdir: Path) -> dict[str, str]:
    """SLURM job id -> rule, from the plugin's log paths (.snakemake/slurm_logs/rule_<rule>/.../<id>.log;
    the run keeps the logs of successful jobs too, `--slurm-keep-successful-logs`)."""
    jobs = {}
    for log in (workdir / ".snakemake" / "slurm_logs").rglob("*.log"):
        rule = next(p[len("rule_"):] for p in log.relative_to(workdir).parts if p.startswith("rule_"))
        jobs[log.stem] = rule
    return jobs


def _sacct(job_ids) -> dict[str, dict]:
    out = subprocess.run(["sacct", "-n", "-X", "-P", "-o", "JobID,State,AllocTRES", "-j", ",".join(job_ids)],
                         capture_output=True, text=True, check=True).stdout
    rows = {}
    for line in out.splitlines():
        job_id, state, tres = line.split("|")
        rows[job_id] = {"state": state, "tres": tres}
    return rows


def _cancel_first_materialise(workdir: Path, cancelled: list, stop: threading.Event) -> None:
    """Kill the model-materialising job mid-way once it has run a few seconds (a failure to recover from)."""
    while not stop.is_set() and not cancelled:
        for job_id, rule in _slurm_jobs(workdir).items():
            state = subprocess.run(["squeue", "-h", "-j", job_id, "-o", "%T %M"], capture_output=True,
                                   text=True).stdout.split()
            if rule == "materialise_model" and state and state[0] == "RUNNING" and state[1] >= "0:05":
                subprocess.run(["scancel", job_id], check=True)
                cancelled.append(job_id)
                return
        time.sleep(0.5)


def test_workflow_on_slurm_matches_the_local_run(cluster, tiny_run, tmp_path):
    remote = copy_repo(tmp_path / "slurm")
    config = write_config(remote, **CONFIG)
    cancelled, stop = [], threading.Event()
    killer = threading.Thread(target=_cancel_first_materialise, args=(remote, cancelled, stop), daemon=True)
    killer.start()
    start = time.time()
    try:
        # The status command of profiles/slurm (see there why squeue).
        run = snakemake(remote, TARGET, "--executor", "slurm", "--jobs", "4", "--retries", "1", "--latency-wait", "5",
                        "--slurm-init-seconds-before-status-checks", "1", "--slurm-status-command", "squeue",
                        "--slurm-keep-successful-logs", "--configfile", str(config),
                        "--default-resources", "slurm_partition=debug", "slurm_account=root", timeout=1200)
    finally:
        stop.set()
    slurm_wall = time.time() - start
    output = run.stdout + run.stderr

    # The job killed mid-way was reported with its SLURM log and retried; the run completed.
    assert cancelled, "no materialise_model job was seen running to cancel"
    assert f"{cancelled[0]}" in output and "slurm_logs" in output
    jobs = _slurm_jobs(remote)
    acct = _sacct(list(jobs))
    assert acct[cancelled[0]]["state"].startswith("CANCELLED")
    done = {job_id: rule for job_id, rule in jobs.items() if acct[job_id]["state"] == "COMPLETED"}

    # Every non-local rule ran as its own SLURM job; GPU rules were allocated gres/gpu; local rules did not go.
    expected = {"materialise_model": 1, "cnca_mine_norms": 1, "cnca_predict": 1, "cnca_predict_with_norms": 1}
    counts = {}
    for rule in done.values():
        counts[rule] = counts.get(rule, 0) + 1
    assert counts == expected, (counts, output[-3000:])
    assert not set(done.values()) & LOCAL_RULES
    for job_id, rule in done.items():
        has_gpu = "gres/gpu" in acct[job_id]["tres"]
        assert has_gpu == (rule in GPU_RULES), (job_id, rule, acct[job_id])

    # The same model outputs as the local tiny run, byte for byte; every output has its lineage record.
    for path in SAME_BYTES:
        assert (remote / path).read_bytes() == (tiny_run / path).read_bytes(), f"{path} differs from the local run"
    assert len((remote / TARGET).read_text().splitlines()) == 3  # header, Vanilla, CNCA-T
    for path in [TARGET, *SAME_BYTES]:
        record = json.loads((remote / "provenance" / (path + ".json")).read_text())
        assert record["slurm_job_id"] or record["rule"] in LOCAL_RULES, (path, record["slurm_job_id"])

    # Rerunning continues from what completed: nothing left to do.
    again = snakemake(remote, TARGET, "--executor", "slurm", "--jobs", "4", "--slurm-status-command", "squeue",
                      "--configfile", str(config),
                      "--default-resources", "slurm_partition=debug", "slurm_account=root", timeout=300)
    assert "Nothing to be done" in again.stdout + again.stderr

    n_jobs = len(jobs)
    print(f"\nSLURM jobs: {n_jobs} ({len(done)} completed, {len(cancelled)} cancelled and retried); "
          f"wall time on the cluster {slurm_wall:.1f} s (it also redid the cancelled job)")
