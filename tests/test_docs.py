"""The documentation is true on a clean checkout: the README is a short entry page without commit
hashes, every relative link resolves, every headline target is a declared artifact, and every
Snakemake command the guides print dry-runs (grouped by their options, one dry-run per group)."""

import re
import shlex
import subprocess
from pathlib import Path

import pytest

from workflow_helpers import ROOT, SNAKEMAKE, local_env

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "benchmarks" / "README.md",
         ROOT / "CHANGELOG.md"]
GUIDES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def test_the_readme_is_a_short_entry_page_and_no_guide_names_a_commit():
    readme = (ROOT / "README.md").read_text()
    assert len(readme.splitlines()) <= 150
    for page in GUIDES:
        hashes = [h for h in re.findall(r"\b[0-9a-f]{7,12}\b", page.read_text())
                  if re.search(r"[a-f]", h) and re.search(r"\d", h)]
        assert not hashes, f"{page.name} names commits {hashes[:5]}"


def test_every_relative_link_resolves():
    for page in PAGES:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text()):
            if "://" in target:
                continue
            assert (page.parent / target).exists(), f"{page.relative_to(ROOT)}: link to {target} does not resolve"


def test_headline_targets_are_declared_artifacts():
    from culturealign.targets import declared

    paths = {row["path"] for row in declared()}
    table = (ROOT / "README.md").read_text().split("## Headline targets")[1].split("\n## ")[0]
    named = re.findall(r"\| `(results/[^`]+)` \|", table)
    assert named and set(named) <= paths, set(named) - paths


def _commands() -> list[list[str]]:
    """Every `snakemake ...` command in the guides' code blocks (continuation lines joined, comments
    dropped), as arguments; those with a placeholder (/path/to, <...>) left out."""
    out = []
    for page in GUIDES:
        for block in re.findall(r"```bash\n(.*?)```", page.read_text(), flags=re.S):
            for line in block.replace("\\\n", " ").splitlines():
                line = line.split(" #")[0].strip()
                if re.match(r"(bash setup\.sh[^&]*&& )?(\.venv/bin/)?snakemake ", line) and "/path/to" not in line:
                    args = shlex.split(line.split("&& ")[-1])[1:]
                    out.append(args)
    return out


def _group(args: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(targets, options): options as a hashable key, with the dry-run's replacements."""
    targets, options, taking = [], [], False
    for arg in args:
        if arg.startswith("-"):
            taking = arg in ("--configfile", "--default-resources", "--set-resources", "--config")
            options.append(arg)
        elif taking or (options and options[-1] in ("--cores", "--workflow-profile", "--slurm-partition-config")):
            options.append(arg)
        else:
            targets.append(arg)
    return tuple(targets), tuple(options)


def test_every_snakemake_command_in_the_guides_dry_runs():
    commands = _commands()
    assert len(commands) >= 10
    groups: dict[tuple, set] = {}
    for args in commands:
        targets, options = _group(args)
        groups.setdefault(options, set()).update(targets)
    for options, targets in groups.items():
        options = list(options)
        if "--slurm-partition-config" in options:  # the user's copy of the example file
            options[options.index("--slurm-partition-config") + 1] = "profiles/slurm/partitions.example.yaml"
        extra = ["--sdm", "env-modules"] if "--workflow-profile" in options else []  # no conda here
        run = subprocess.run([SNAKEMAKE, *sorted(targets), "-n", *extra, *options], cwd=ROOT, capture_output=True,
                             text=True, env=local_env(), timeout=600)
        assert run.returncode == 0, f"{sorted(targets)} {options}:\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}"


@pytest.mark.parametrize("page", ["cnca.md", "culturespa.md", "caredio.md"])
def test_each_paper_guide_has_its_sections(page):
    text = (ROOT / "docs" / page).read_text()
    for heading in ("## Quick start", "## Targets", "## Published vs reproduced", "## What the paper grid needs"):
        assert heading in text, f"docs/{page} lacks {heading}"
    assert "culturealign targets --paper" in text
