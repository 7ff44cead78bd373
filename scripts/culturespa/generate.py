import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
from pathlib import Path

from culturealign.engine import Sampling, load_engine
from culturealign.io import write_json
from culturealign.jobs import finish, start
from culturealign.papers.culturespa.generate import DATA_VARIANTS, generate_topic
from culturealign.wvs import TOPIC_NAMES, load_questions

log = start(snakemake)
w, p, g = snakemake.wildcards, snakemake.params, snakemake.params.generation
topic_id = int(w.topic)
if topic_id not in TOPIC_NAMES:
    raise ValueError(f"{snakemake.output[0]}: topic {topic_id} is not a WVS topic (1-13)")
engine = load_engine(p.spec["backend"], str(Path(snakemake.input.manifest).parent / "weights"), p.spec,
                     **{**p.engine, "threads": snakemake.threads})


def generate(conversations, round_index):
    # each round's sampling seeded by (seed, topic, round): a resumed job draws what an uninterrupted one would
    sampling = Sampling(temperature=g["temperature"], top_p=g["top_p"], top_k=g["top_k"], max_new_tokens=g["max_new_tokens"],
                        seed=g["seed"] * 100_000 + topic_id * 1_000 + round_index)
    return [samples[0] for samples in engine.generate(conversations, sampling)]


checkpoint = Path(snakemake.output[0] + ".checkpoint.jsonl")  # kept when the job dies; resumed next time
result = generate_topic(generate, load_questions(snakemake.input.questions), topic_id, TOPIC_NAMES[topic_id],
                        setting=DATA_VARIANTS[w.seeds][0], target=g["per_topic"] * DATA_VARIANTS[w.seeds][1], batch=g["batch"], max_rounds=g["max_rounds"],
                        seed=g["seed"], checkpoint=checkpoint, json_mode=g["json"], prefill=g["prefill"],
                        log=log)
write_json(snakemake.output[0], result)
checkpoint.unlink()
log.info("topic %d: %s", topic_id, result["counts"])
finish(snakemake, determinism=engine.determinism())
