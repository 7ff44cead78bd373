import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
import random

import numpy as np

from culturealign.io import write_json
from culturealign.jobs import finish, start
from culturealign.papers.caredio.grid import culture_of
from culturealign.papers.caredio.selection import rank_samples
from culturealign.papers.caredio.synthesis_jobs import stable_seed

log = start(snakemake)
sel, w = snakemake.params.selection, snakemake.wildcards
culture = culture_of(w.culture)
with np.load(snakemake.input.embeddings, allow_pickle=False) as data:
    ids = [str(x) for x in data["ids"]]
    result = rank_samples(ids, data["sample"], data["response"], data["isolated"], theta=sel["theta"],
                          linkage=sel["linkage"], others=sel["others"],
                          rng=random.Random(stable_seed(sel["seed"], "distinctiveness", culture)))
write_json(snakemake.output[0], {"culture": culture, "variant": w.measure, "samples": len(ids), **result})
log.info("%s %s: %d samples, %d clusters, %d candidates", culture, w.measure, len(ids), result["clusters"],
         result["candidates"])
finish(snakemake)
