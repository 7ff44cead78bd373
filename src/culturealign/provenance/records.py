"""Lineage records: one JSON file per output of the workflow, written when the job that made it ends.

Every rule's script ends with `jobs.finish(snakemake)`, which writes one record per output file (or
directory) to `provenance/<output path>.json`, atomically and after the outputs are complete;
`jobs.start` removes the records of the job's outputs first, so a job that fails leaves neither an
output (Snakemake deletes it) nor a stale record. A record names the rule, wildcards, params, the
config keys the job read (params.config_read, found by rules/common/config.smk running the rule's
input functions and params on a recording view of the config) with their values, every input and
output with its SHA-256 and size (a directory: every file's SHA-256), the code (git commit, dirty
tree, package version, a digest of the workflow's source), software versions, the model (id, source,
revision, weights checksums) and adapters used, seeds and sampling parameters, start and end time,
host and SLURM job id, and what the backend promises about determinism. Nothing is read from the
environment but SLURM's job id; any value that matches a secret-looking environment variable is
redacted before writing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import json
import os
import re
import resource
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from ..checksums import file_manifest, listing_sha256, sha256_file
from ..engine.base import USAGE
from ..io import write_text

SCHEMA = "culturealign.provenance/1"
RECORD_ROOT = Path("provenance")
DERIVED_ROOTS = ("results",)  # files under these are made by the workflow and must have a record
CONFIG_READ = "config_read"  # the param that lists the config keys a job read (rules/common/config.smk)

# Software whose version can change an output (None when not installed in the job's environment).
SOFTWARE = ("snakemake", "torch", "transformers", "vllm", "peft", "trl", "accelerate", "datasets",
            "tokenizers", "safetensors", "gguf", "huggingface-hub", "numpy", "pandas", "scipy",
            "matplotlib", "PyYAML", "jsonschema", "sacrebleu", "sentence-transformers", "scikit-learn",
            "lm-eval", "openai")

# The workflow's code: a digest of these (relative to the checkout) identifies the code that ran,
# dirty tree or not. Patterns are globbed; files are hashed in sorted order.
CODE_PATTERNS = ("Snakefile", "rules/**/*.smk", "scripts/**/*.py", "src/culturealign/**/*.py",
                 "src/culturealign/**/*.yaml", "src/culturealign/**/*.txt", "recipes/*.yaml",
                 "envs/*.yaml")

# A name that holds a secret: HF_TOKEN, access_token, AWS_SECRET_ACCESS_KEY, api_key, DB_PASSWORD...
# (whole words between _ or -, so that max_new_tokens is not one).
SECRET_NAME = re.compile(r"(^|[_-])(token|secret|password|passwd|passphrase|api[_-]?key|access[_-]?key|"
                         r"credentials?|auth)([_-]|$)", re.IGNORECASE)
REDACTED = "<redacted>"

SAMPLING_KEYS = {"temperature", "top_p", "top_k", "n", "do_sample", "max_new_tokens", "samples_per_round",
                 "rounds", "pairs_per_question"}


class RecordError(ValueError):
    """A lineage record that cannot be read or lacks what a record must have."""


# ----------------------------------------------------------------------------- digests


def record_path(path: str | Path, root: str | Path = ".") -> Path:
    return Path(root) / RECORD_ROOT / (os.path.normpath(str(path)) + ".json")


def digest(path: str | Path) -> dict:
    """SHA-256 and size of a file; of a directory, every file's SHA-256 and a digest over them
    (sha256 of the sorted `<sha256>  <relative path>` lines, as `sha256sum` prints them)."""
    path = Path(path)
    if path.is_dir():
        # Snakemake drops an empty .snakemake_timestamp into a directory output after the job ends.
        manifest = file_manifest(path, skip=(".snakemake_timestamp",))
        files = {name: entry["sha256"] for name, entry in manifest.items()}
        return {"type": "directory", "sha256": listing_sha256(files),
                "bytes": sum(entry["bytes"] for entry in manifest.values()), "files": files}
    return {"type": "file", "sha256": sha256_file(path), "bytes": path.stat().st_size}


def code_digest(root: str | Path) -> dict:
    root = Path(root)
    files = {str(p.relative_to(root)): sha256_file(p)
             for p in {p for pattern in CODE_PATTERNS for p in root.glob(pattern) if p.is_file()}}
    return {"sha256": listing_sha256(files), "files": len(files)}


def _git(root: Path, *args: str) -> str | None:
    try:
        run = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return run.stdout if run.returncode == 0 else None


def code_version(root: str | Path) -> dict:
    root = Path(root)
    commit = _git(root, "rev-parse", "HEAD")
    status = _git(root, "status", "--porcelain") if commit else None
    try:
        package = importlib.metadata.version("culturealign")
    except importlib.metadata.PackageNotFoundError:
        package = None
    return {
        "git_commit": commit.strip() if commit else None,
        "git_dirty": bool(status.strip()) if status is not None else None,
        "package_version": package,
        "source": code_digest(root),
    }


def software_versions() -> dict:
    versions = {"python": sys.version.split()[0]}
    for name in SOFTWARE:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    return versions


# ----------------------------------------------------------------------------- writing


def jsonable(value):
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if callable(value):
        return f"<function {getattr(value, '__name__', '?')}>"
    return str(value)


def _redact(value, secrets: list[str]):
    if isinstance(value, dict):
        return {k: (REDACTED if SECRET_NAME.search(k) and v else _redact(v, secrets)) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact(v, secrets) for v in value]
    if isinstance(value, str):
        for secret in secrets:
            value = value.replace(secret, REDACTED)
    return value


def _environment_secrets() -> list[str]:
    """Values of secret-looking environment variables (long enough not to match by chance)."""
    return sorted({v for k, v in os.environ.items() if SECRET_NAME.search(k) and len(v) >= 8}, key=len,
                  reverse=True)


def _find(value, names: set[str], prefix: str = "") -> dict:
    """Every entry of `value` (nested dicts) whose key is in `names`, by dotted path."""
    found = {}
    if isinstance(value, dict):
        for k, v in value.items():
            path = f"{prefix}.{k}" if prefix else str(k)
            if k in names and not isinstance(v, dict):
                found[path] = v
            found.update(_find(v, names, path))
    return found


def _model(inputs: list[dict], outputs: list[dict]) -> dict | None:
    """The model a job used, read from its checkpoint manifest (an input, or the output of
    materialise_model)."""
    manifests = [e for e in inputs + outputs
                 if e["path"].startswith("results/models/") and e["path"].endswith("/manifest.json")]
    if not manifests:
        return None
    models = []
    for entry in manifests:
        manifest = json.loads(Path(entry["path"]).read_text(encoding="utf-8"))
        source, origin = manifest.get("source", {}), manifest.get("origin", {})
        model = {
            "id": manifest.get("model"),
            "source": source.get("type"),
            "name": source.get("repo") or source.get("package") or source.get("path"),
            "revision": origin.get("resolved_commit") or source.get("revision") or origin.get("package_version"),
            "dtype": manifest.get("dtype"),
            "manifest": entry["path"],
            "manifest_sha256": entry["sha256"],
            "weights_sha256": manifest.get("weights_sha256"),
        }
        if origin.get("gguf_file") and origin.get("gguf_sha256"):
            from ..models import package_dir

            try:
                gguf = str(package_dir(origin["package"]) / origin["gguf_file"])
            except Exception:  # the source package is gone: record the checksum without a path
                gguf = None
            model["source_file"] = {"path": gguf, "sha256": origin["gguf_sha256"]}
        models.append(model)
    return models[0] if len(models) == 1 else {"models": models}


def _determinism(model: dict | None) -> str:
    """For jobs that state nothing themselves. Jobs that generate, train or build a checkpoint pass
    their own statement to finish() (Engine.determinism(), training.determinism(),
    models.DETERMINISM); what is left either reads no model or reads one without sampling."""
    if model is None:
        return "deterministic: a pure function of its inputs (no model, no sampling)"
    if "torch" in sys.modules and sys.modules["torch"].cuda.is_available():
        return ("NOT guaranteed: a model on CUDA; cuBLAS and attention kernels can change low bits between "
                "runs, GPU models and driver versions")
    return "deterministic: a model on CPU in float32 without sampling; the same inputs give the same bytes"


@dataclass
class Job:
    """What `jobs.start` remembers of a running job until `finish` writes its records."""
    started: str
    clock: float = 0.0  # time.monotonic() at start


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def begin(snakemake) -> Job:
    """Remove the records of the job's outputs: the old ones no longer describe what will be there."""
    job = Job(started=_now(), clock=time.monotonic())
    for out in snakemake.output:
        record_path(out).unlink(missing_ok=True)
    return job


def _files(namedlist) -> list[tuple[str, str | None]]:
    names = {}
    for name in namedlist.keys():
        value = getattr(namedlist, name)
        for f in [value] if isinstance(value, str) else list(value):
            names.setdefault(str(f), name)
    return [(str(f), names.get(str(f))) for f in namedlist]


def usage(job: Job) -> dict:
    """What the job spent: wall seconds since it started, CPU seconds of its process, of the processes
    it waited for and of its vLLM workers (their own report), and what its engines did (engine.USAGE)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    workers = sum(USAGE["worker_cpu_seconds"].values())
    wall = time.monotonic() - job.clock
    return {"wall_seconds": round(wall, 3),
            "cpu_seconds": round(own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime + workers, 3),
            "gpu_seconds": round(wall * USAGE["gpus"], 3),  # the job's wall time on each GPU it held
            "prompts": USAGE["prompts"], "generated_tokens": USAGE["generated_tokens"]}


def build_record(snakemake, job: Job, determinism: str | None = None) -> dict:
    root = Path(snakemake.scriptdir)
    while not (root / "Snakefile").exists() and root != root.parent:  # scripts/<paper>/x.py -> the checkout
        root = root.parent
    wildcards = {k: str(v) for k, v in dict(snakemake.wildcards.items()).items()}
    all_params = dict(snakemake.params.items())
    config_read = jsonable(all_params.pop(CONFIG_READ, {}))
    params = jsonable(all_params)
    inputs = [{"path": f, "name": name, **digest(f)} for f, name in _files(snakemake.input)]
    outputs = [{"path": f, "name": name, **digest(f)} for f, name in _files(snakemake.output)]
    model = _model(inputs, outputs)
    adapters = [{"path": e["path"], "sha256": e["sha256"]} for e in inputs  # every paper's LoRA adapters
                if e["type"] == "directory" and (Path(e["path"]) / "adapter_config.json").exists()]
    config = jsonable(snakemake.config)
    seeds = {f"wildcards.{k}": v for k, v in wildcards.items() if k == "seed"}
    seeds.update({f"params.{k}": v for k, v in _find(params, {"seed"}).items()})
    record = {
        "schema": SCHEMA,
        "rule": snakemake.rule,
        "wildcards": wildcards,
        "params": params,
        "config": {
            "keys": config_read,
            "sha256": hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest(),
        },
        "inputs": inputs,
        "outputs": outputs,
        "code": code_version(root),
        "software": software_versions(),
        "model": model,
        "adapters": adapters,
        "seeds": seeds,
        "sampling": {f"params.{k}": v for k, v in _find(params, SAMPLING_KEYS).items()},
        "determinism": determinism or _determinism(model),
        "threads": snakemake.threads,
        "started": job.started,
        "finished": _now(),
        "usage": usage(job),
        "host": socket.gethostname(),
        "slurm_job_id": os.environ.get("SLURM_JOB_ID"),
    }
    return _redact(record, _environment_secrets())


def write_records(snakemake, job: Job, determinism: str | None = None) -> list[Path]:
    """One record per output, each written atomically (io.write_text)."""
    record = build_record(snakemake, job, determinism)
    text = json.dumps(record, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    written = []
    for out in snakemake.output:
        rec = record_path(out)
        write_text(rec, text)
        written.append(rec)
    return written


# ----------------------------------------------------------------------------- reading

REQUIRED = {"schema": str, "rule": str, "inputs": list, "outputs": list, "code": dict, "software": dict}
ENTRY = {"path": str, "sha256": str, "type": str}


def same_path(a: str, b: str) -> bool:
    return os.path.normpath(a) == os.path.normpath(b)


def load_record(path: str | Path, for_output: str | None = None) -> dict:
    """Read and check one record; RecordError (with the record's path) on anything malformed."""
    path = Path(path)
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RecordError(f"lineage record {path} is not readable JSON: {exc}") from None
    if not isinstance(record, dict):
        raise RecordError(f"lineage record {path} is not a JSON object")
    for key, kind in REQUIRED.items():
        if not isinstance(record.get(key), kind):
            raise RecordError(f"lineage record {path}: key {key!r} is missing or not a {kind.__name__}")
    if record["schema"] != SCHEMA:
        raise RecordError(f"lineage record {path}: schema {record['schema']!r}, expected {SCHEMA!r}")
    for section in ("inputs", "outputs"):
        for i, entry in enumerate(record[section]):
            for key, kind in ENTRY.items():
                if not isinstance(entry, dict) or not isinstance(entry.get(key), kind):
                    raise RecordError(f"lineage record {path}: {section}[{i}] has no valid {key!r}")
    if for_output is not None and not any(same_path(e["path"], for_output) for e in record["outputs"]):
        raise RecordError(f"lineage record {path} does not list {for_output} among its outputs")
    return record


def is_derived(path: str) -> bool:
    return os.path.normpath(path).split(os.sep)[0] in DERIVED_ROOTS
