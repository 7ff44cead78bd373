import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
from pathlib import Path

from culturealign.papers.cnca.cdeval import load, predict
from culturealign.jobs import finish, start

log = start(snakemake)
w, p = snakemake.wildcards, snakemake.params
info = predict(
    items_all=load(snakemake.input.data), cdeval=p.cdeval, model=w.model, method=w.method, spec=p.spec,
    model_dir=str(Path(snakemake.input.manifest).parent / "weights"), adapters=list(snakemake.input.adapters),
    per_country=p.per_country, sampling=p.sampling, seed=int(w.seed), max_new_tokens=p.max_new_tokens,
    engine_options={**p.engine, "threads": snakemake.threads}, out=snakemake.output[0],
)
log.info("%s", info)
finish(snakemake, determinism=info["determinism"])
