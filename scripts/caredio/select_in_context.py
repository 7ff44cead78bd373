import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
from pathlib import Path

from culturealign.engine import load_engine
from culturealign.io import read_json, write_json
from culturealign.jobs import finish, start
from culturealign.papers.caredio.evaluate import CULTURALBENCH_COLUMNS, culturalbench_rows, read_rows
from culturealign.papers.caredio.grid import countries, culture_of
from culturealign.papers.caredio.incontext import in_context_scores, rerank, validation_questions

log = start(snakemake)
w, p, i = snakemake.wildcards, snakemake.params, snakemake.input
culture = culture_of(w.culture)
ic = p.in_context
cluster_selection = read_json(i.selection)
samples = {s["id"]: s for s in read_json(i.samples)["samples"]}
rows = read_rows(i.culturalbench, CULTURALBENCH_COLUMNS)
chosen = validation_questions(rows, culture, ic)
validation = [r for r in culturalbench_rows(rows, countries()[culture]["culturalbench"], None) if r["question_idx"] in chosen]
engine = load_engine(p.spec["backend"], str(Path(i.manifest).parent / "weights"), p.spec,
                     **{**p.engine, "threads": snakemake.threads})
scores = in_context_scores(engine, culture, cluster_selection["members"], samples, validation, ic["shots"])
result = rerank(cluster_selection, scores)
questions = list(dict.fromkeys(r["question_idx"] for r in validation))
write_json(snakemake.output[0], {**result, "scorer": w.scorer, "in_context": dict(ic), "validation": questions,
                                 "validation_rows": len(validation), "scores": scores})
log.info("%s: %d centres scored by %s on %d validation rows (%d questions)", culture, len(scores), w.scorer,
         len(validation), len(questions))
finish(snakemake, determinism=engine.determinism())
