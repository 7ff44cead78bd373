import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
from pathlib import Path

from culturealign.engine import EngineByAdapter
from culturealign.io import write_json
from culturealign.jobs import finish, start
from culturealign.papers.caredio.evaluate import predict_all
from culturealign.training import adapter_or_none

log = start(snakemake)
w, p, i = snakemake.wildcards, snakemake.params, snakemake.input
weights = str(Path(i.manifest).parent / "weights")
# culture slug -> adapter directory (CAReDiO methods; a skipped one: None), else empty: the backbone
adapters = {c: adapter_or_none(a) for c, a in dict(p.adapters).items()}
engine_for = EngineByAdapter(p.spec["backend"], weights, p.spec, adapters=list(adapters.values()),
                             **{**p.engine, "threads": snakemake.threads})
out, determinism = predict_all(engine_for, {b: getattr(i, f"data_{b.replace('-', '_')}") for b in p.benchmarks},
                               p.cultures, w.method, p.per_culture, adapters, dict(p.open_ended) or None)
write_json(snakemake.output[0], {"model": w.model, "method": w.method, **out})
for b, per in out["benchmarks"].items():
    log.info("%s %s: %s", w.method, b, {c: x["counts"] for c, x in per.items()})
finish(snakemake, determinism=determinism)
