"""The workflow itself: Snakemake's linter and snakefmt are clean."""

import subprocess

from workflow_helpers import ROOT, SNAKEMAKE, local_env


def test_snakemake_lint_is_clean():
    run = subprocess.run([SNAKEMAKE, "--lint"], cwd=ROOT, capture_output=True, text=True, timeout=120, env=local_env())
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Congratulations, your workflow is in a good condition!" in run.stdout + run.stderr


def test_snakefmt_check_is_clean():
    files = ["Snakefile", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "rules").rglob("*.smk"))]
    run = subprocess.run([str(ROOT / ".venv/bin/snakefmt"), "--check", *files], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
