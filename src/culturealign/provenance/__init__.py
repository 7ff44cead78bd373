"""Lineage: a record per output (records), the walk from an artifact to its roots with every
checksum verified (trace), its views (render), whether a re-run would change it (rerun), and the
report's lineage pages (pages)."""

from . import render
from .records import REDACTED, SCHEMA, Job, RecordError, begin, load_record, record_path, write_records
from .trace import Node, Problem, Trace

__all__ = ["REDACTED", "SCHEMA", "Job", "Node", "Problem", "RecordError", "Trace", "begin", "load_record",
           "record_path", "render", "write_records"]
