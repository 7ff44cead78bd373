import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
import random
from pathlib import Path

from culturealign.engine import load_engine
from culturealign.io import read_json, write_json
from culturealign.jobs import finish, start
from culturealign.papers.caredio.evaluate import CULTURALBENCH_COLUMNS, read_rows
from culturealign.papers.caredio.grid import countries, culture_of
from culturealign.papers.caredio.incontext import in_context_scores, rerank, validation_split
from culturealign.papers.caredio.synthesis_jobs import stable_seed

log = start(snakemake)
w, p, i = snakemake.wildcards, snakemake.params, snakemake.input
culture = culture_of(w.culture)
ic = p.in_context
cluster_selection = read_json(i.selection)
samples = {s["id"]: s for s in read_json(i.samples)["samples"]}
validation = validation_split(read_rows(i.culturalbench, CULTURALBENCH_COLUMNS), countries()[culture]["culturalbench"],
                              ic["validation"], random.Random(stable_seed(ic["seed"], "validation", culture)))
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
