import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
from pathlib import Path

from culturealign.papers.cnca.distill import distill_counts, distill_country, training_qids
from culturealign.engine import Sampling, load_engine
from culturealign.io import read_json, write_jsonl
from culturealign.jobs import finish, start
from culturealign.wvs import load_questions

log = start(snakemake)
w, p = snakemake.wildcards, snakemake.params
d = p.distill
split = read_json(snakemake.input.split)
engine = load_engine(p.spec["backend"], str(Path(snakemake.input.manifest).parent / "weights"), p.spec,
                     **{**p.engine, "threads": snakemake.threads})
out = Path(snakemake.output[0])
records = distill_country(
    engine, variant=w.variant, country=w.country, questions=load_questions(snakemake.input.questions),
    qids=training_qids(split, p.topics, p.train_per_topic),
    norms=read_json(snakemake.input.norms) if snakemake.input.get("norms") else None,
    reasoning_model=p.spec["reasoning"], accept_untagged=d["accept_untagged"], rounds=d["rounds"],
    n=d["samples_per_round"],
    sampling=Sampling(temperature=d["temperature"], top_p=d["top_p"], seed=d["seed"], max_new_tokens=d["max_new_tokens"]),
    # Completed rounds survive a killed job: the rerun skips the questions already solved.
    checkpoint=out.with_name(f".{out.name}.checkpoint.json"),
)
write_jsonl(out, records)
out.with_name(f".{out.name}.checkpoint.json").unlink(missing_ok=True)
log.info("distilled %s/%s: %s (%s)", w.variant, w.country, distill_counts(records), engine.determinism())
finish(snakemake, determinism=engine.determinism())
