"""Glue for the workflow's thin scripts: logging into the rule's log file and the lineage records.
Every script runs `log = start(snakemake)` first and `finish(snakemake)` last. (Named `jobs`, not
`workflow`: every Snakefile already has a `workflow` object.)"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from . import papers  # noqa: F401  (every paper's methods registered before a script looks one up)
from . import provenance

_JOB: provenance.Job | None = None


def start(snakemake) -> logging.Logger:
    """Send stderr and logging of a rule's script to its `log:` file; drop the lineage records of
    the job's outputs (they describe files this job is about to replace)."""
    global _JOB
    _JOB = provenance.begin(snakemake)
    if snakemake.log:
        Path(snakemake.log[0]).parent.mkdir(parents=True, exist_ok=True)
        sys.stderr = open(snakemake.log[0], "w", buffering=1)
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, force=True,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return logging.getLogger(f"culturealign.rule.{snakemake.rule}")


def finish(snakemake, determinism: str | None = None) -> None:
    """Write the lineage record of every output (provenance/<output>.json), once they are complete.
    An error here fails the job, so Snakemake never keeps an output without its record.
    `determinism`: what the engine that made the output promises (Engine.determinism()); rules
    without an engine get it from the rule and backend."""
    if _JOB is None:
        raise RuntimeError("jobs.finish() called without jobs.start()")
    written = provenance.write_records(snakemake, _JOB, determinism)
    logging.getLogger("culturealign.provenance").info("lineage records: %s", " ".join(map(str, written)))
