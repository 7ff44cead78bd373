"""Would re-running the workflow change an artifact? `rerun_check` compares every record in its
lineage with what a re-run would use now: the workflow's code, the config keys each job read (with
their values), software versions and every input (the trace's checksums); then asks Snakemake's own
metadata (`snakemake --summary`) what it would re-run and why."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .records import code_digest, jsonable, software_versions
from .trace import Trace

_ABSENT = object()


def lookup(config: dict, dotted: str):
    """The value at a dotted key; keys may contain dots themselves (a model id such as
    `qwen2.5-7b`), so each step takes the longest run of parts that names a key. _ABSENT if none."""
    node, parts = config, dotted.split(".")
    while parts:
        if not isinstance(node, dict):
            return _ABSENT
        for n in range(len(parts), 0, -1):
            key = ".".join(parts[:n])
            if key in node:
                node, parts = node[key], parts[n:]
                break
        else:
            return _ABSENT
    return node


def changed_leaves(old, new, key: str) -> list[str]:
    """The dotted keys under `key` whose values differ between `old` and `new` (a mapping is walked
    key by key; a list or scalar is one leaf)."""
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for k in sorted(set(old) | set(new), key=str):
            out += changed_leaves(old.get(k, None), new.get(k, None), f"{key}.{k}")
        return out
    return [] if old == new else [key]


def rerun_check(trace: Trace, config_now: dict, configfiles: list[str], root: str | Path = ".",
                snakemake_summary: bool = True) -> dict:
    """`config_now`: the configuration a re-run would use (config.resolve_files), validated.
    Returns would_change, the reasons (one line each), changed_keys (every config leaf that a job of
    the lineage read and that differs now) and what the jobs promise about determinism."""
    root = Path(root)
    reasons: list[str] = [f"{p.kind}: {p.message}" for p in trace.problems]
    changed: set[str] = set()
    code_now = code_digest(root)["sha256"]
    software_now = software_versions()
    for path, record in sorted(trace.records.items()):
        code = record["code"].get("source", {}).get("sha256")
        if code != code_now:
            reasons.append(f"code: {path} was made by workflow source {str(code)[:12]}, the checkout is now "
                           f"{code_now[:12]}")
        for name, version in record["software"].items():
            if name in software_now and software_now[name] != version:
                reasons.append(f"software: {path} was made with {name} {version}, this environment has "
                               f"{software_now[name]}")
        for key, value in (record.get("config") or {}).get("keys", {}).items():
            current = lookup(config_now, key) if key != "*" else config_now
            current = None if current is _ABSENT else jsonable(current)
            if current != value:
                leaves = changed_leaves(value, current, key)
                changed.update(leaves)
                reasons.append(f"config: {path} read {key} = {json.dumps(value)}, the config now has "
                               f"{json.dumps(current)} (changed: {', '.join(leaves)})")
    result = {"target": trace.target, "would_change": bool(reasons), "reasons": reasons,
              "changed_keys": sorted(changed),
              "determinism": sorted({r.get("determinism", "?") for r in trace.records.values()})}
    if snakemake_summary:
        result["snakemake"] = _snakemake_summary(trace, configfiles, root)
    return result


def _snakemake_summary(trace: Trace, configfiles: list[str], root: Path) -> dict:
    exe = Path(sys.executable).with_name("snakemake")
    cmd = [str(exe) if exe.exists() else "snakemake", "--summary", trace.target]
    for c in configfiles:
        cmd += ["--configfile", c]
    run = subprocess.run(cmd, cwd=root, capture_output=True, text=True)
    if run.returncode != 0:
        return {"error": (run.stderr or run.stdout).strip().splitlines()[-1:] or ["snakemake --summary failed"]}
    plans = {}
    for line in run.stdout.splitlines():
        cols = line.split("\t")
        if len(cols) >= 6 and cols[0] != "output_file" and os.path.normpath(cols[0]) in trace.nodes:
            plans[os.path.normpath(cols[0])] = {"status": cols[-2], "plan": cols[-1]}
    pending = {p: v for p, v in plans.items() if v["plan"] != "no update"}
    return {"files": len(plans), "pending": pending}


def rerun_text(result: dict) -> str:
    lines = []
    if result["would_change"]:
        lines.append(f"{result['target']}: a re-run WOULD CHANGE it:")
        lines.extend(f"  {r}" for r in result["reasons"])
    else:
        lines.append(f"{result['target']}: a re-run would NOT change it: code, config keys, software and every "
                     "input match the records")
    if result.get("changed_keys"):
        lines.append(f"  config keys changed since: {', '.join(result['changed_keys'])}")
    for d in result["determinism"]:
        lines.append(f"  determinism of the jobs in its lineage: {d}")
    snake = result.get("snakemake")
    if snake is not None:
        if "error" in snake:
            lines.append(f"  snakemake --summary failed: {' '.join(snake['error'])}")
        elif snake["pending"]:
            lines.append(f"  Snakemake's metadata: {len(snake['pending'])} of {snake['files']} files would be "
                         "re-made:")
            lines.extend(f"    {p}: {v['status']} ({v['plan']})" for p, v in sorted(snake["pending"].items()))
            if not result["would_change"]:
                lines.append("  (Snakemake decides on modification times and its own metadata; the content "
                             "that goes into these jobs is unchanged)")
        else:
            lines.append(f"  Snakemake's metadata: none of the {snake['files']} files would be re-made")
    return "\n".join(lines) + "\n"
