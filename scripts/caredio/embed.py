import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
import numpy as np

from culturealign.io import atomic_path, read_json
from culturealign.jobs import finish, start
from culturealign.papers.caredio.embeddings import determinism, embedder, sample_text

log = start(snakemake)
data = read_json(snakemake.input.samples)
samples, cultures = data["samples"], snakemake.params.cultures
others = [c for c in cultures if c != data["culture"]]
embed, described = embedder(snakemake.params.embedding, snakemake.params.endpoints)
n = len(samples)
# the sample (question + answer: clustering), the answer alone and every other culture's isolated
# answer to the same question (eq. 1's e and e_i)
texts = [sample_text(x) for x in samples] + [x["response"] for x in samples] + [
    x["isolated"][c] for x in samples for c in others]
vectors = embed(texts) if texts else np.zeros((0, 1), dtype=np.float32)
dim = vectors.shape[1]
with atomic_path(snakemake.output[0]) as tmp:
    with open(tmp, "wb") as handle:  # np.savez on a handle: it would add .npz to a bare path
        np.savez(handle, ids=np.array([x["id"] for x in samples], dtype=str), others=np.array(others, dtype=str),
                 sample=vectors[:n], response=vectors[n : 2 * n], isolated=vectors[2 * n :].reshape(n, len(others), dim))
log.info("%s: %d samples embedded (%s, dim %d)", data["culture"], n, described, dim)
finish(snakemake, determinism=determinism(described))
