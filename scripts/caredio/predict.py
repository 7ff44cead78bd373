import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
from pathlib import Path

from culturealign.engine import load_engine
from culturealign.io import write_json
from culturealign.jobs import finish, start
from culturealign.papers.caredio.evaluate import predict_all
from culturealign.training import adapter_or_none

log = start(snakemake)
w, p, i = snakemake.wildcards, snakemake.params, snakemake.input
weights = str(Path(i.manifest).parent / "weights")
adapters = dict(p.adapters)  # culture slug -> adapter directory (CAReDiO methods), else empty


def engine_for(culture_slug):
    adapter = adapter_or_none(adapters[culture_slug]) if adapters else None
    return load_engine(p.spec["backend"], weights, p.spec, adapter=adapter,
                       **{**p.engine, "threads": snakemake.threads}), adapter


out, determinism = predict_all(engine_for, {b: getattr(i, f"data_{b.replace('-', '_')}") for b in p.benchmarks},
                               p.cultures, w.method, p.per_culture, shared=not adapters)
write_json(snakemake.output[0], {"model": w.model, "method": w.method, **out})
for b, per in out["benchmarks"].items():
    log.info("%s %s: %s", w.method, b, {c: x["counts"] for c, x in per.items()})
finish(snakemake, determinism=determinism)
