"""What to run after an audit found files missing or changed: the exact Snakemake command that makes
them again (every stale output forced, then the artifact itself), `snakemake --unlock` first when a
killed run left its lock behind, and the roots the workflow cannot remake (restore them)."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from .trace import Trace


def snakemake_executable() -> str:
    """The snakemake beside this Python (the project's .venv), else the one on PATH."""
    beside = Path(sys.executable).parent / "snakemake"
    return str(beside) if beside.exists() else "snakemake"


def locked(root: str | Path = ".") -> bool:
    """A run holds the workflow directory, or a killed one left its lock (.snakemake/locks)."""
    locks = Path(root) / ".snakemake" / "locks"
    return locks.is_dir() and any(locks.iterdir())


def remake(trace: Trace, configfiles=(), root: str | Path = ".") -> dict:
    """{"unlock": command or None, "command": command or None, "restore": [paths]} for `trace`'s
    problems. The command forces the job of every stale output and names the artifact last, so that
    everything between them runs again from the new files (their inputs are newer); targets come
    before --configfile, which takes several values."""
    stale = sorted({p.remake for p in trace.problems if p.remake})
    restore = sorted({p.path for p in trace.problems if not p.remake})
    snakemake = snakemake_executable()
    command = None
    if stale:
        targets = [*stale, *([] if trace.target in stale else [trace.target])]
        config = ["--configfile", *configfiles] if configfiles else []
        command = shlex.join([snakemake, "--cores", "all", "--force", *targets, *config])
    unlock = shlex.join([snakemake, "--unlock", *(["--configfile", *configfiles] if configfiles else [])]) \
        if (stale and locked(root)) else None
    return {"unlock": unlock, "command": command, "restore": restore}


def remake_text(plan: dict) -> str:
    lines = []
    if plan["unlock"] or plan["command"]:
        lines.append("to make the missing and changed files again (run in the workflow directory):")
        if plan["unlock"]:
            lines.append(f"  {plan['unlock']}    # a killed run left its lock")
        if plan["command"]:
            lines.append(f"  {plan['command']}")
    if plan["restore"]:
        lines.append("not made by the workflow: restore these files (vendored ones: git checkout -- PATH; "
                     "a model's source: reinstall its package):")
        lines.extend(f"  {p}" for p in plan["restore"])
    return "\n".join(lines) + ("\n" if lines else "")
