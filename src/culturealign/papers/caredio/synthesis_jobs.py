"""What the synthesis jobs share: the generator (a local model through the engine or an
OpenAI-compatible endpoint, judge.completer) and seeds that depend only on names (never on Python's
randomised hash), so a job's sampling is the same whichever order the jobs run in."""

from __future__ import annotations

import zlib
from pathlib import Path

from ...engine import Sampling
from ...judge import completer


def stable_seed(seed: int, *names: str) -> int:
    return (int(seed) * 1_000_003 + zlib.crc32("/".join(names).encode("utf-8"))) % (2**31)


def sampling_for(synthesis: dict, length: str, *names: str) -> Sampling:
    """The synthesis sampling of one step (`length`: question, response or reasoning budget)."""
    return Sampling(temperature=synthesis["temperature"], top_p=synthesis["top_p"],
                    max_new_tokens=synthesis["max_new_tokens"][length], seed=stable_seed(synthesis["seed"], *names))


def generator(smk):
    """(complete, determinism) of the job's generator (params: generator, models, endpoints, engine)."""
    p = smk.params
    manifest = (list(smk.input.manifest) or [None])[0]  # a one-file list for a local generator, empty for an endpoint
    return completer(p.generator, models=p.models, endpoints=p.endpoints,
                     model_dir=str(Path(manifest).parent / "weights") if manifest else None,
                     engine_options={**p.engine, "threads": smk.threads})
