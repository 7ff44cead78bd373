"""`Trace(path)`: the lineage of one artifact, walked through the records from the artifact down to
its roots (vendored files, recipes, the model's source), every recorded checksum verified against
the file on disk. Each finding names the file and both checksums."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..checksums import read_sha256sums
from .records import RecordError, digest, is_derived, load_record, record_path, same_path

_DIGESTS: dict[tuple, dict] = {}


def digest_cached(path: Path) -> dict | None:
    """`digest(path)`, or None when it does not exist; remembered per (path, size, mtime) of the file
    or of every file in the directory, so that tracing many artifacts of one run hashes each file once."""
    if not path.exists():
        return None
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    key = (str(path.resolve()), tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files))
    if key not in _DIGESTS:
        _DIGESTS[key] = digest(path)
    return _DIGESTS[key]


@dataclass
class Problem:
    path: str
    kind: str  # changed | missing | no-record | malformed-record | input-changed | checksum-file
    message: str
    recorded: str | None = None
    now: str | None = None
    record: str | None = None
    remake: str | None = None  # the workflow output whose job must run again; None: a root, restore it

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Node:
    path: str
    kind: str  # derived | root | model-source
    status: str = "ok"
    sha256: str | None = None
    rule: str | None = None
    record: str | None = None
    finished: str | None = None
    children: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return dict(self.__dict__)


class Trace:
    """The lineage of one artifact, every checksum verified against the files on disk."""

    def __init__(self, target: str, root: str | Path = "."):
        self.root = Path(root)
        self.target = os.path.normpath(target)
        self.nodes: dict[str, Node] = {}
        self.records: dict[str, dict] = {}
        self.problems: list[Problem] = []
        self._visit(self.target)

    @property
    def ok(self) -> bool:
        return not self.problems

    def _digest(self, path: str) -> dict | None:
        return digest_cached(self.root / path)

    def _flag(self, node: Node, problem: Problem) -> None:
        self.problems.append(problem)
        if node.status == "ok":
            node.status = problem.kind

    def _compare(self, node: Node, path: str, recorded: dict, where: str, kind: str, remake: str | None) -> None:
        """Compare a recorded digest with the file (or directory) now on disk; name each file.
        `remake`: the output whose job a difference makes stale (None: nothing the workflow makes)."""
        now = self._digest(path)
        if now is None:
            self._flag(node, Problem(path, "missing", f"{path} is missing ({where} recorded sha256 "
                                     f"{recorded['sha256']})", recorded["sha256"], None, node.record, remake))
            return
        if now["sha256"] == recorded["sha256"]:
            return
        if recorded.get("type") == "directory" and now["type"] == "directory" and "files" in recorded:
            old, new = recorded["files"], now["files"]
            for name in sorted(set(old) | set(new)):
                if old.get(name) != new.get(name):
                    file = f"{path}/{name}"
                    if name not in new:
                        msg = f"{file} is missing ({where} recorded sha256 {old[name]})"
                    elif name not in old:
                        msg = f"{file} was added after {where} was written (sha256 {new[name]})"
                    else:
                        msg = f"{file} changed: {where} recorded sha256 {old[name]}, on disk {new[name]}"
                    self._flag(node, Problem(file, kind, msg, old.get(name), new.get(name), node.record, remake))
            return
        self._flag(node, Problem(path, kind, f"{path} changed: {where} recorded sha256 {recorded['sha256']}, "
                                 f"on disk {now['sha256']}", recorded["sha256"], now["sha256"], node.record, remake))

    def _visit(self, path: str) -> None:
        path = os.path.normpath(path)
        if path in self.nodes:
            return
        rec_file = record_path(path, self.root)
        if rec_file.exists():
            self._visit_derived(path, rec_file)
        else:
            self._visit_root(path)

    def _visit_derived(self, path: str, rec_file: Path) -> None:
        rec_name = str(record_path(path))
        node = self.nodes[path] = Node(path, "derived", record=rec_name)
        try:
            record = load_record(rec_file, path)
        except RecordError as exc:
            self._flag(node, Problem(path, "malformed-record", str(exc).replace(str(rec_file), rec_name),
                                     record=rec_name, remake=path))
            return
        self.records[path] = record
        node.rule, node.finished = record["rule"], record.get("finished")
        entry = next(e for e in record["outputs"] if same_path(e["path"], path))
        node.sha256 = entry["sha256"]
        self._compare(node, path, entry, f"its record {rec_name}", "changed", remake=path)
        for other in record["outputs"]:  # what the same job wrote beside it (a model's weights)
            sibling = os.path.normpath(other["path"])
            if sibling != path:
                node.children.append(sibling)
                self._visit(sibling)
        for inp in record["inputs"]:
            child = os.path.normpath(inp["path"])
            node.children.append(child)
            self._visit(child)
            # the input as this job read it, against the input now: a swapped root shows here
            child_node = self.nodes[child]
            before = len(self.problems)
            # (this job read another version of it: the job must run again)
            self._compare(child_node, child, inp, f"the record of {path} ({rec_name})", "input-changed", remake=path)
            if child_node.kind == "derived" and any(
                    p.path.startswith(child) and p.kind == "changed" for p in self.problems[:before]):
                del self.problems[before:]  # already reported against the file's own record
        source = (record.get("model") or {}).get("source_file") if record["rule"] == "materialise_model" else None
        if source and source.get("path"):
            node.children.append(source["path"])
            src = self.nodes.setdefault(source["path"], Node(source["path"], "model-source", sha256=source["sha256"]))
            if not Path(source["path"]).exists():
                src.status = "not-here"  # the model's package is not installed here: not a fault
            else:
                self._compare(src, source["path"], {"sha256": source["sha256"], "type": "file"},
                              f"the record of {path}", "changed", remake=None)

    def _visit_root(self, path: str) -> None:
        rec_name = str(record_path(path))
        node = self.nodes[path] = Node(path, "derived" if is_derived(path) else "root")
        now = self._digest(path)
        node.sha256 = now["sha256"] if now else None
        if node.kind == "derived":
            self._flag(node, Problem(path, "no-record", f"{path} has no lineage record ({rec_name} is missing)"
                                     + ("" if now else "; the file is missing too"), None,
                                     now["sha256"] if now else None, remake=path))
            return
        if now is None:
            self._flag(node, Problem(path, "missing", f"{path} is missing"))
            return
        sums = (self.root / path).parent / "SHA256SUMS"
        if sums.exists() and sums.name != Path(path).name:
            try:
                listed = read_sha256sums(sums).get(Path(path).name)
            except Exception as exc:  # a malformed checksum file is a finding, not a crash
                self._flag(node, Problem(path, "checksum-file", f"{sums}: {exc}"))
                return
            if listed and listed != now["sha256"]:
                self._flag(node, Problem(path, "changed", f"{path} changed: {os.path.relpath(sums, self.root)} "
                                         f"lists sha256 {listed}, on disk {now['sha256']}", listed, now["sha256"]))

    # ------------------------------------------------------------------ views

    def roots(self) -> list[Node]:
        return [n for p, n in sorted(self.nodes.items()) if n.kind in ("root", "model-source")]

    def models(self) -> list[dict]:
        seen = {}
        for record in self.records.values():
            model = record.get("model") or {}
            for m in model.get("models", [model] if model else []):
                seen.setdefault(m.get("manifest"), m)
        return [seen[k] for k in sorted(seen, key=str)]
