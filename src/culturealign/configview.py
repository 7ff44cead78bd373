"""A read-only view of the configuration that records what is read.

The workflow computes every job's inputs and params from a view; the dotted keys read, with their
values, go into the job's params (`config_read`) and from there into its lineage record. So a record
lists exactly the config values the job's inputs and params came from, not a list someone kept, and
Snakemake's params trigger re-runs the job when one of them changes.

Reading a leaf records it; iterating over a mapping, asking for its length or membership, or turning
a view into plain data (`plain`) records the whole subtree at that key.
"""

from __future__ import annotations

from collections.abc import Mapping


class ConfigView(Mapping):
    def __init__(self, data: Mapping, reads: dict | None = None, prefix: str = ""):
        self._data, self._prefix = data, prefix
        self.reads: dict = {} if reads is None else reads

    def _record_all(self) -> None:
        self.reads[self._prefix.rstrip(".") or "*"] = plain_copy(self._data)

    def __getitem__(self, key):
        value = self._data[key]
        path = f"{self._prefix}{key}"
        if isinstance(value, Mapping):
            return ConfigView(value, self.reads, path + ".")
        self.reads[path] = plain_copy(value)
        return value

    def __iter__(self):
        self._record_all()
        return iter(self._data)

    def __len__(self):
        self._record_all()
        return len(self._data)

    def __contains__(self, key):
        self._record_all()
        return key in self._data


def plain_copy(value):
    if isinstance(value, ConfigView):
        return plain_copy(value._data)
    if isinstance(value, Mapping):
        return {k: plain_copy(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_copy(v) for v in value]
    return value


def plain(value):
    """`value` as plain data (dicts, lists); a view inside it records its whole subtree as read."""
    if isinstance(value, ConfigView):
        value._record_all()
        return plain_copy(value._data)
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(plain(v) for v in value) if isinstance(value, tuple) else [plain(v) for v in value]
    return value


def minimal(reads: dict) -> dict:
    """Drop keys covered by a recorded ancestor (`a.b` when `a` was recorded whole)."""
    keys = sorted(reads)
    return {k: reads[k] for k in keys
            if not any(k.startswith(other + ".") for other in keys if other != k) or k == "*"}
