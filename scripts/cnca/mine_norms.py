import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
from pathlib import Path

from culturealign.engine import Sampling, load_engine
from culturealign.papers.cnca.norms import mine_norms
from culturealign.io import read_json, write_json
from culturealign.jobs import finish, start
from culturealign.wvs import load_questions

# One job per (miner, mining[, run]) mines for every country of params.countries, one output file each
# (in that order); each country's prompts are their own engine calls with the same seed, so its norms
# do not depend on the other countries.
log = start(snakemake)
w, p = snakemake.wildcards, snakemake.params
engine = load_engine(p.spec["backend"], str(Path(snakemake.input.manifest).parent / "weights"), p.spec,
                     **{**p.engine, "threads": snakemake.threads})
sampling = Sampling(temperature=p.sampling["temperature"], top_p=p.sampling["top_p"], n=1,
                    seed=p.norms["seed"], max_new_tokens=p.norms["max_new_tokens"])
questions, split = load_questions(snakemake.input.questions), read_json(snakemake.input.split)
records = {}
for country in p.countries:
    records[country] = mine_norms(engine, miner=w.miner, mining=w.mining, country=country, questions=questions,
                                  split=split, topics=p.topics, m=p.norms["m"], sampling=sampling,
                                  reasoning=bool(p.spec.get("reasoning")))
    records[country]["determinism"] = engine.determinism()
    log.info("%s norm counts %s", country, records[country]["counts"])
for country, out in zip(p.countries, snakemake.output):  # written after every country was mined
    write_json(out, records[country])
finish(snakemake, determinism=engine.determinism())
