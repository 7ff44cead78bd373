import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
from pathlib import Path

from culturealign.engine import load_engine
from culturealign.io import write_json
from culturealign.jobs import finish, start
from culturealign.papers.caredio.evaluate import (CULTURALBENCH_COLUMNS, GOQA_COLUMNS, predict_culturalbench,
                                                  predict_goqa, read_rows)
from culturealign.papers.caredio.grid import countries, culture_of
from culturealign.training import adapter_or_none

log = start(snakemake)
w, p, i = snakemake.wildcards, snakemake.params, snakemake.input
culture = culture_of(w.culture)
adapter = adapter_or_none(i.adapter[0]) if i.get("adapter") else None  # a one-file list or none
engine = load_engine(p.spec["backend"], str(Path(i.manifest).parent / "weights"), p.spec, adapter=adapter,
                     **{**p.engine, "threads": snakemake.threads})
limit = p.per_culture
if w.benchmark == "globalopinionqa":
    out = predict_goqa(engine, read_rows(i.data, GOQA_COLUMNS), countries()[culture]["globalopinionqa"], w.method,
                       culture, limit)
else:
    out = predict_culturalbench(engine, read_rows(i.data, CULTURALBENCH_COLUMNS),
                                countries()[culture]["culturalbench"], w.method, culture, limit)
write_json(snakemake.output[0], {"model": w.model, "method": w.method, "adapter": adapter, **out})
log.info("%s %s %s: %s", w.method, w.benchmark, culture, out["counts"])
finish(snakemake, determinism=engine.determinism())
