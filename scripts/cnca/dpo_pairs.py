import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
from pathlib import Path

from culturealign.papers.cnca.distill import dpo_country, training_qids
from culturealign.engine import Sampling, load_engine
from culturealign.io import read_json, write_jsonl
from culturealign.jobs import finish, start
from culturealign.wvs import load_questions

log = start(snakemake)
w, p = snakemake.wildcards, snakemake.params
d, dpo = p.distill, p.dpo
split = read_json(snakemake.input.split)
engine = load_engine(p.spec["backend"], str(Path(snakemake.input.manifest).parent / "weights"), p.spec,
                     adapter=snakemake.input.adapter, **{**p.engine, "threads": snakemake.threads})
out = Path(snakemake.output[0])
records = dpo_country(
    engine, country=w.country, questions=load_questions(snakemake.input.questions),
    qids=training_qids(split, p.topics, p.train_per_topic), reasoning_model=p.spec["reasoning"],
    accept_untagged=d["accept_untagged"],
    rounds=dpo["rounds"], n=dpo["samples_per_round"], pairs_per_question=dpo["pairs_per_question"],
    sampling=Sampling(temperature=d["temperature"], top_p=d["top_p"], seed=dpo["seed"], max_new_tokens=d["max_new_tokens"]),
    checkpoint=out.with_name(f".{out.name}.checkpoint.json"),
)
write_jsonl(out, records)
out.with_name(f".{out.name}.checkpoint.json").unlink(missing_ok=True)
statuses = {}
for rec in records:
    statuses[rec["status"]] = statuses.get(rec["status"], 0) + 1
log.info("DPO pairs %s: %d pairs; questions %s", w.country, sum(len(r["pairs"]) for r in records), statuses)
finish(snakemake, determinism=engine.determinism())
