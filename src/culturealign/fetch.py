"""Data sets fetched at run time (CDEval, CAReDiO's benchmarks): a download or a local copy, checked
against its pinned SHA-256 before it becomes a workflow file."""

from __future__ import annotations

import shutil
import urllib.request
from pathlib import Path

from .checksums import ChecksumError, sha256_file
from .io import atomic_path


def fetch_pinned(url: str, sha256: str, local: str | None, out: str | Path, key: str, check=None) -> dict:
    """Copy `local` (when given) or download `url` to `out` after checking its SHA-256 against the
    pin (`key` names the config entry in every error); `check(path)` may validate the content before
    the file becomes the output. An empty pin stops with the checksum the file has, for the user to
    pin. Nothing is written to `out` unless every check passes."""
    with atomic_path(out) as tmp_path:
        if local:
            if not Path(local).is_file():
                raise ChecksumError(f"{key}.local: {local} is not a file")
            shutil.copyfile(local, tmp_path)
            origin = {"local": str(local)}
        else:
            with urllib.request.urlopen(url, timeout=120) as response, open(tmp_path, "wb") as handle:
                shutil.copyfileobj(response, handle)
            origin = {"url": url}
        got = sha256_file(tmp_path)
        if not sha256:
            raise ChecksumError(f"{key}.sha256 is not pinned: the file from {origin} has sha256 {got}; check it "
                                f"and set {key}.sha256 to it")
        if got != sha256:
            raise ChecksumError(f"file from {origin} has sha256 {got}, expected {sha256} ({key}.sha256)")
        if check is not None:
            check(tmp_path)
    return {**origin, "sha256": sha256}
