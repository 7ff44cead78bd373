import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
from culturealign.engine import Sampling
from culturealign.io import write_json
from culturealign.jobs import finish, start
from culturealign.papers.caredio.framework import load_framework
from culturealign.papers.caredio.synthesis import generate_questions
from culturealign.papers.caredio.synthesis_jobs import generator

log = start(snakemake)
s = snakemake.params.synthesis
topics = load_framework(snakemake.input.framework)
if s["topics"]:
    known = {t["name"] for t in topics}
    unknown = [t for t in s["topics"] if t not in known]
    if unknown:
        raise ValueError(f"config key 'caredio.synthesis.topics': {unknown} are not topics of "
                         f"{snakemake.input.framework}; valid: {sorted(known)}")
    topics = [t for t in topics if t["name"] in s["topics"]]
complete, determinism = generator(snakemake)


def generate(conversations, round_index):
    sampling = Sampling(temperature=s["temperature"], top_p=s["top_p"], max_new_tokens=s["max_new_tokens"]["question"],
                        seed=s["seed"] * 1_000 + round_index)
    return complete(conversations, sampling)


result = generate_questions(generate, topics, s["per_topic"], s["examples"], s["max_rounds"], s["seed"],
                            batch=s["batch"], novelty=s["novelty"])
write_json(snakemake.output[0], result)
log.info("questions: %s", result["counts"])
finish(snakemake, determinism=determinism)
