import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
from pathlib import Path

from culturealign.engine import EngineByAdapter
from culturealign.io import read_json, write_json
from culturealign.jobs import finish, start
from culturealign.leaderboard import Row, culture
from culturealign.papers.caredio.evaluate import CULTURALBENCH_COLUMNS, predict_all, read_rows
from culturealign.papers.caredio.grid import iso3, slug
from culturealign.papers.caredio.incontext import validation_questions
from culturealign.papers.culturespa.methods import SIMILARITY
from culturealign.registry import MethodContext, get_method
from culturealign.training import adapter_or_none
from culturealign.wvs import load_questions

# One job per (model, row): the row's method (its system prompt, its adapter per country) asked CAReDiO's
# GlobalOpinionQA and CulturalBench-Hard items of every leaderboard country, as CAReDiO asks its own
# methods (evaluate.predict_all: the same items, the same per-culture limit, the same held-out questions).
log = start(snakemake)
w, p, i = snakemake.wildcards, snakemake.params, snakemake.input
row = Row(**p.row)
method = get_method(row.method)
ctx = MethodContext(load_questions(i.questions), read_json(i.split),
                    {SIMILARITY: read_json(i.similarity)} if i.get("similarity") else {})
cultures = [culture(c) for c in p.countries]
adapters = {slug(name): adapter_or_none(row.adapters.get(c)) for c, name in zip(p.countries, cultures)}
engine_for = EngineByAdapter(p.spec["backend"], str(Path(i.manifest).parent / "weights"), p.spec,
                             adapters=list(adapters.values()), **{**p.engine, "threads": snakemake.threads})
data = {"globalopinionqa": i.data_globalopinionqa, "culturalbench-hard": i.data_culturalbench_hard}
held_out = None
if p.held_out:  # CAReDiO's in-context validation questions, left out of every method's test set
    rows = read_rows(data["culturalbench-hard"], CULTURALBENCH_COLUMNS)
    held_out = {name: validation_questions(rows, name, p.held_out) for name in cultures}
out, determinism = predict_all(engine_for, data, cultures, row.method, p.per_culture, adapters, None, held_out,
                               system_for=lambda name: method.system(None if method.options.get("country_free")
                                                                     else iso3(name), ctx))
write_json(snakemake.output[0], {"model": w.model, "row": row.key, "method": row.method, **out})
log.info("%s: %s", row.key, {b: {c: x["counts"] for c, x in per.items()} for b, per in out["benchmarks"].items()})
finish(snakemake, determinism=determinism)
