"""Conda envs per stage and the workflow profiles: checked here without conda or a cluster."""

import functools
import re
import subprocess

import pytest
import yaml

from workflow_helpers import ROOT, SNAKEMAKE, local_env

ENVS = sorted((ROOT / "envs").glob("*.yaml"))
PIN = re.compile(r"^([A-Za-z0-9_.-]+)\s*(==|=)\s*([0-9][^\s=<>!]*)$")


def _requirements() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            pins[name.lower()] = version.strip()
    return pins


def _packages(env: dict):
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            yield from (("pip", d) for d in dep["pip"])
        else:
            yield "conda", dep


@pytest.mark.parametrize("path", ENVS, ids=lambda p: p.name)
def test_env_file_is_pinned_and_consistent_with_requirements(path):
    env = yaml.safe_load(path.read_text())
    assert env["channels"] and "defaults" not in env["channels"], f"{path.name}: name the channels"
    pins = _requirements()
    for source, spec in _packages(env):
        match = PIN.match(spec)
        assert match, f"{path.name}: {spec!r} is not pinned to one version"
        name, op, version = match.groups()
        assert op == ("==" if source == "pip" else "="), f"{path.name}: {spec!r} uses the wrong pin syntax"
        if name.lower() in pins:
            assert version == pins[name.lower()], f"{path.name}: {name} {version} != requirements.txt {pins[name.lower()]}"


@functools.cache
def _rule_names() -> frozenset[str]:
    out = subprocess.run([SNAKEMAKE, "--list-rules"], cwd=ROOT, capture_output=True, text=True, check=True,
                         env=local_env()).stdout
    return frozenset(line.strip() for line in out.splitlines() if line.strip() and " " not in line.strip())


def test_every_rule_has_a_conda_env():
    text = "\n".join(p.read_text() for p in (ROOT / "rules").glob("*.smk"))
    blocks = re.split(r"^rule ", text, flags=re.M)[1:]
    for block in blocks:
        name = block.split(":")[0]
        assert "conda:" in block, f"rule {name} names no conda env"


@pytest.mark.parametrize("profile", ["default", "slurm"])
def test_profile_parses_and_names_only_existing_rules(profile):
    config = yaml.safe_load((ROOT / "profiles" / profile / "config.yaml").read_text())
    rules = _rule_names()
    assert {"predict", "mine_norms", "table3"} <= rules
    for rule in config.get("set-resources", {}):
        assert rule in rules, f"profiles/{profile}: set-resources names unknown rule {rule!r}"
    for rule in config.get("set-threads", {}):
        assert rule in rules, f"profiles/{profile}: set-threads names unknown rule {rule!r}"


def test_slurm_profile_asks_for_the_cluster_and_conda():
    config = yaml.safe_load((ROOT / "profiles/slurm/config.yaml").read_text())
    assert config["executor"] == "slurm" and config["software-deployment-method"] == "conda"
    assert config["slurm-status-command"] == "squeue"  # see the profile: sacct + scancel hangs plugin 2.8.0
    assert config["configfile"] == "configs/paper.yaml" and config["retries"] >= 1
    assert all("slurm_partition" not in v and "slurm_account" not in v for v in config["set-resources"].values())


def test_slurm_profile_dry_runs_the_paper_grid_without_a_cluster():
    # No conda here: `--sdm env-modules` replaces the profile's conda deployment for this dry-run only
    # (conda would be asked for its platform even in a dry-run); everything else is the profile's.
    run = subprocess.run(["timeout", "-s", "KILL", "120", SNAKEMAKE, "results/table3.csv", "-n", "--workflow-profile",
                          "profiles/slurm", "--sdm", "env-modules"], cwd=ROOT, capture_output=True, text=True,
                         env=local_env())
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    out = run.stdout + run.stderr
    assert "gpu=2" in out and "gpu=1" in out          # 7B/8B on two GPUs, 14B on one (CNCA setup)
    assert "r1-qwen-14b" in out and "NZL" in out
