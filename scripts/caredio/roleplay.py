import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
from culturealign.io import read_json, write_json
from culturealign.jobs import finish, start
from culturealign.papers.caredio.grid import culture_of
from culturealign.papers.caredio.synthesis import roleplay
from culturealign.papers.caredio.synthesis_jobs import generator, sampling_for

log = start(snakemake)
culture = culture_of(snakemake.wildcards.culture)
questions = read_json(snakemake.input.questions)["questions"]
complete, determinism = generator(snakemake)
conversations = [roleplay(culture, q["question"]) for q in questions]
texts = complete(conversations, sampling_for(snakemake.params.synthesis, "response", "roleplay", culture))
write_json(snakemake.output[0], {"culture": culture, "responses": [
    {"id": q["id"], "question": q["question"], "messages": c, "response": t}
    for q, c, t in zip(questions, conversations, texts)]})
log.info("%s: %d role-play responses", culture, len(texts))
finish(snakemake, determinism=determinism)
