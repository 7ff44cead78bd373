import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
from culturealign.io import read_json, write_json
from culturealign.jobs import finish, start
from culturealign.papers.caredio.grid import culture_of
from culturealign.papers.caredio.synthesis import analysis_prompt, parse_question, refine_prompt
from culturealign.papers.caredio.synthesis_jobs import generator, sampling_for

log = start(snakemake)
s = snakemake.params.synthesis
target = culture_of(snakemake.wildcards.culture)
questions = read_json(snakemake.input.questions)["questions"]
by_culture = {}
for path in snakemake.input.roleplay:
    data = read_json(path)
    by_culture[data["culture"]] = {r["id"]: r["response"] for r in data["responses"]}
complete, determinism = generator(snakemake)
# turn 1: compare the cultures' responses (the chain of thought, kept); turn 2: the adapted question
analyses = [analysis_prompt(q["question"], {c: by_culture[c][q["id"]] for c in by_culture}) for q in questions]
reasoning = complete(analyses, sampling_for(s, "reasoning", "analysis", target))
refines = [refine_prompt(a, r, target) for a, r in zip(analyses, reasoning)]
texts = complete(refines, sampling_for(s, "question", "refine", target))
kept, dropped = [], []
for q, conv, r, text in zip(questions, refines, reasoning, texts):
    adapted, reason = parse_question(text)
    record = {**q, "reasoning": r, "messages": conv, "text": text}
    if adapted is None:
        dropped.append({**record, "reason": reason})
    else:
        kept.append({**record, "adapted": adapted})
write_json(snakemake.output[0], {"culture": target, "adapted": kept, "dropped": dropped,
                                 "counts": {"questions": len(questions), "adapted": len(kept), "dropped": len(dropped)}})
log.info("%s: %d of %d questions adapted", target, len(kept), len(questions))
finish(snakemake, determinism=determinism)
