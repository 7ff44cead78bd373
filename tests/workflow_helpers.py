"""Run the real workflow in a throw-away copy of the repository."""

import os
import shutil
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SNAKEMAKE = str(ROOT / ".venv" / "bin" / "snakemake")
IGNORE = shutil.ignore_patterns(".venv", ".venv-vllm", ".git", "results", "logs", ".snakemake", "__pycache__",
                                ".pytest_cache", "*.egg-info", "benchmarks")


def copy_repo(dest: Path) -> Path:
    shutil.copytree(ROOT, dest, ignore=IGNORE)
    (dest / "benchmarks").mkdir()
    if (ROOT / ".venv-vllm").is_dir():  # the vLLM environment (GBs): linked, as a checkout's own would be found
        (dest / ".venv-vllm").symlink_to(ROOT / ".venv-vllm")
    return dest


def write_config(workdir: Path, **overrides) -> Path:
    """config.yaml with `overrides` merged in key by key (as Snakemake merges config files), written
    as one complete file (a --configfile replaces config.yaml)."""
    from culturealign.schema import merge

    config = merge(yaml.safe_load((ROOT / "config.yaml").read_text()), overrides)
    path = workdir / "test-config.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def _failing_scontrol() -> str:
    """A folder whose `scontrol` fails at once. Snakemake loads every installed executor plugin when it
    starts, and the SLURM plugin then runs `scontrol show config` (its MinJobAge check, with a 10 s
    timeout): on a machine with SLURM's client tools and no controller (the CI machine, before the
    SLURM test starts its cluster) every Snakemake start waits those 10 s. Local runs do not use the
    plugin; the SLURM test runs without this folder."""
    import tempfile

    folder = Path(tempfile.gettempdir()) / "culturealign-no-scontrol"
    shim = folder / "scontrol"
    if not shim.exists():
        folder.mkdir(exist_ok=True)
        shim.write_text("#!/bin/sh\necho 'no SLURM controller in local test runs' >&2\nexit 1\n")
        shim.chmod(0o755)
    return str(folder)


def local_env(env: dict | None = None) -> dict:
    """The environment of a local (not SLURM) Snakemake run in the tests."""
    return {**os.environ, "PYTHONHASHSEED": "0", **(env or {}),
            "PATH": f"{_failing_scontrol()}{os.pathsep}{os.environ.get('PATH', '')}"}


def snakemake(workdir: Path, *args, timeout: int = 900, check: bool = True,
              env: dict | None = None) -> subprocess.CompletedProcess:
    cmd = ["timeout", "-s", "KILL", str(timeout), SNAKEMAKE, "--cores", "2", *args]
    if "--executor" in args:
        env = {**os.environ, "PYTHONHASHSEED": "0", **(env or {})}
    else:
        env = local_env(env)
    run = subprocess.run(cmd, cwd=workdir, capture_output=True, text=True, env=env)
    if check and run.returncode != 0:
        raise AssertionError(f"snakemake {' '.join(args)} failed ({run.returncode}):\n{run.stdout[-4000:]}\n{run.stderr[-4000:]}")
    return run
