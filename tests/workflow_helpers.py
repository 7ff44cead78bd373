"""Run the real workflow in a throw-away copy of the repository."""

import os
import shutil
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SNAKEMAKE = str(ROOT / ".venv" / "bin" / "snakemake")
IGNORE = shutil.ignore_patterns(".venv", ".git", "results", "logs", ".snakemake", "__pycache__",
                                ".pytest_cache", "*.egg-info", "benchmarks")


def copy_repo(dest: Path) -> Path:
    shutil.copytree(ROOT, dest, ignore=IGNORE)
    (dest / "benchmarks").mkdir()
    return dest


def write_config(workdir: Path, **overrides) -> Path:
    """config.yaml with `overrides` merged in key by key (as Snakemake merges config files), written
    as one complete file (a --configfile replaces config.yaml)."""
    from culturealign.schema import merge

    config = merge(yaml.safe_load((ROOT / "config.yaml").read_text()), overrides)
    path = workdir / "test-config.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def snakemake(workdir: Path, *args, timeout: int = 900, check: bool = True,
              env: dict | None = None) -> subprocess.CompletedProcess:
    cmd = ["timeout", "-s", "KILL", str(timeout), SNAKEMAKE, "--cores", "2", *args]
    env = {**os.environ, "PYTHONHASHSEED": "0", **(env or {})}
    run = subprocess.run(cmd, cwd=workdir, capture_output=True, text=True, env=env)
    if check and run.returncode != 0:
        raise AssertionError(f"snakemake {' '.join(args)} failed ({run.returncode}):\n{run.stdout[-4000:]}\n{run.stderr[-4000:]}")
    return run
