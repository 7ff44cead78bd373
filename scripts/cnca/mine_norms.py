import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
from pathlib import Path

from culturealign.engine import Sampling, load_engine
from culturealign.papers.cnca.norms import mine_norms
from culturealign.io import read_json, write_json
from culturealign.jobs import finish, start
from culturealign.wvs import load_questions

log = start(snakemake)
w, p = snakemake.wildcards, snakemake.params
engine = load_engine(p.spec["backend"], str(Path(snakemake.input.manifest).parent / "weights"), p.spec,
                     **{**p.engine, "threads": snakemake.threads})
sampling = Sampling(temperature=p.sampling["temperature"], top_p=p.sampling["top_p"], n=1,
                    seed=p.norms["seed"], max_new_tokens=p.norms["max_new_tokens"])
record = mine_norms(engine, miner=w.miner, mining=w.mining, country=w.country,
                    questions=load_questions(snakemake.input.questions), split=read_json(snakemake.input.split),
                    topics=p.topics, m=p.norms["m"], sampling=sampling, reasoning=bool(p.spec.get("reasoning")))
record["determinism"] = engine.determinism()
write_json(snakemake.output[0], record)
log.info("norm counts %s", record["counts"])
finish(snakemake, determinism=record["determinism"])
