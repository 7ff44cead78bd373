"""SHA-256 helpers: every vendored input and every model weight is identified by its checksum."""

from __future__ import annotations

import hashlib
from pathlib import Path


class ChecksumError(RuntimeError):
    """A file on disk does not match the checksum recorded for it."""


def sha256_file(path: str | Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def file_manifest(directory: str | Path, skip: tuple[str, ...] = ()) -> dict[str, dict]:
    """SHA-256 and size of every file under `directory` (relative paths, sorted); names in `skip` left out."""
    directory = Path(directory)
    return {str(p.relative_to(directory)): {"sha256": sha256_file(p), "bytes": p.stat().st_size}
            for p in sorted(directory.rglob("*")) if p.is_file() and p.name not in skip}


def listing_sha256(files: dict[str, str]) -> str:
    """One SHA-256 for a set of files: over the sorted `<sha256>  <name>` lines, as `sha256sum` prints them."""
    return hashlib.sha256("".join(f"{sha}  {name}\n" for name, sha in sorted(files.items())).encode()).hexdigest()


def read_sha256sums(sums_file: str | Path) -> dict[str, str]:
    """Parse a `sha256sum`-style file: `<hex>  <name>` per line."""
    sums_file = Path(sums_file)
    entries: dict[str, str] = {}
    for lineno, line in enumerate(sums_file.read_text().splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.split()
        if len(parts) != 2 or len(parts[0]) != 64:
            raise ChecksumError(f"{sums_file}:{lineno}: expected '<sha256>  <file>', got {line!r}")
        entries[parts[1].lstrip("*")] = parts[0].lower()
    return entries


def verify_sha256sums(sums_file: str | Path) -> dict[str, str]:
    """Check every file listed in `sums_file` (paths relative to its folder); return name -> sha256.

    Raises ChecksumError naming the file and both checksums on the first mismatch.
    """
    sums_file = Path(sums_file)
    expected = read_sha256sums(sums_file)
    for name, want in expected.items():
        path = sums_file.parent / name
        if not path.exists():
            raise ChecksumError(f"vendored file {path} is missing (listed in {sums_file})")
        got = sha256_file(path)
        if got != want:
            raise ChecksumError(
                f"vendored file {path} does not match {sums_file}: expected sha256 {want}, found {got}. "
                "Restore the original file (git checkout) rather than editing the checksum."
            )
    return expected

