import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
from pathlib import Path

from culturealign.engine import EngineByAdapter
from culturealign.io import write_json
from culturealign.jobs import finish, start
from culturealign.papers.caredio.evaluate import CULTURALBENCH_COLUMNS, predict_all, read_rows
from culturealign.papers.caredio.incontext import validation_questions
from culturealign.training import adapter_or_none

log = start(snakemake)
w, p, i = snakemake.wildcards, snakemake.params, snakemake.input
weights = str(Path(i.manifest).parent / "weights")
# culture slug -> adapter directory (CAReDiO methods; a skipped one: None), else empty: the backbone
adapters = {c: adapter_or_none(a) for c, a in dict(p.adapters).items()}
engine_for = EngineByAdapter(p.spec["backend"], weights, p.spec, adapters=list(adapters.values()),
                             **{**p.engine, "threads": snakemake.threads})
data = {b: getattr(i, f"data_{b.replace('-', '_')}") for b in p.benchmarks}
held_out = None
if p.held_out and "culturalbench-hard" in data:  # the in-context variant's validation questions, left out
    rows = read_rows(data["culturalbench-hard"], CULTURALBENCH_COLUMNS)
    held_out = {c: validation_questions(rows, c, p.held_out) for c in p.cultures}
out, determinism = predict_all(engine_for, data, p.cultures, w.method, p.per_culture, adapters,
                               dict(p.open_ended) or None, held_out)
write_json(snakemake.output[0], {"model": w.model, "method": w.method, **out})
for b, per in out["benchmarks"].items():
    log.info("%s %s: %s", w.method, b, {c: x["counts"] for c, x in per.items()})
finish(snakemake, determinism=determinism)
