"""File input and output, written atomically: a reader never sees half a file, and a job that fails
leaves no output that looks complete. The one place the project writes to a temporary name and
renames it into place (files and directories alike)."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from pathlib import Path


@contextlib.contextmanager
def atomic_path(path: str | Path, directory: bool = False):
    """Yield a temporary sibling of `path` to write to (a directory when `directory`); rename it onto
    `path` when the block succeeds, remove it when the block fails. A directory replaces the old one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.partial" if directory else f"{path.name}.tmp")
    _remove(tmp)
    if directory:
        tmp.mkdir()
    try:
        yield tmp
    except BaseException:
        _remove(tmp)
        raise
    if directory:
        _remove(path)
    os.replace(tmp, path)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def write_text(path: str | Path, text: str) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_json(path: str | Path, data, indent: int = 1) -> None:
    """JSON with sorted keys and a final newline: the same data gives the same bytes."""
    write_text(path, json.dumps(data, indent=indent, ensure_ascii=False, sort_keys=True) + "\n")


def write_jsonl(path: str | Path, records) -> None:
    """One JSON object per line, sorted keys."""
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8") as handle:
        for rec in records:
            handle.write(json.dumps(rec, ensure_ascii=False, sort_keys=True) + "\n")


def read_json(path: str | Path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def read_jsonl(path: str | Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]
