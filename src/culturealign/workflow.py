"""Glue for the workflow's thin scripts: logging into the rule's log file, JSON in and out."""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path


def start(snakemake) -> logging.Logger:
    """Send stderr and logging of a rule's script to its `log:` file."""
    if snakemake.log:
        Path(snakemake.log[0]).parent.mkdir(parents=True, exist_ok=True)
        sys.stderr = open(snakemake.log[0], "w", buffering=1)
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, force=True,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return logging.getLogger(f"culturealign.rule.{snakemake.rule}")


def write_json(path: str | Path, data) -> None:
    """Write JSON atomically: a reader never sees half a file, a failed job leaves no output."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def read_json(path: str | Path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def read_jsonl(path: str | Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]
