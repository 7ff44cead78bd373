import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
import random
from pathlib import Path

import numpy as np

from culturealign.io import write_json
from culturealign.jobs import finish, start
from culturealign.papers.caredio.grid import culture_of
from culturealign.papers.caredio.selection import rank_samples
from culturealign.papers.caredio.synthesis_jobs import stable_seed

log = start(snakemake)
sel, w = snakemake.params.selection, snakemake.wildcards
culture = culture_of(w.culture)
pool = {}  # scope `all`: every other culture's samples, clustered with this culture's
for path in snakemake.input.pool:
    with np.load(path, allow_pickle=False) as other:
        pool[Path(path).stem] = ([str(x) for x in other["ids"]], other["sample"].copy())
with np.load(snakemake.input.embeddings, allow_pickle=False) as data:
    ids = [str(x) for x in data["ids"]]
    result = rank_samples(ids, data["sample"], data["response"], data["isolated"], theta=sel["theta"],
                          linkage=sel["linkage"], others=sel["others"],
                          rng=random.Random(stable_seed(sel["seed"], "distinctiveness", culture)), pool=pool)
write_json(snakemake.output[0], {"culture": culture, "variant": w.measure, "samples": len(ids), "scope": sel["scope"],
                                 "pooled_cultures": sorted(pool), **result})
log.info("%s %s: %d samples, %d clusters, %d candidates", culture, w.measure, len(ids), result["clusters"],
         result["candidates"])
finish(snakemake)
