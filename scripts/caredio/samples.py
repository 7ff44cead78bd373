import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
import random

from culturealign.io import read_json, write_json
from culturealign.jobs import finish, start
from culturealign.papers.caredio.grid import culture_of
from culturealign.papers.caredio.synthesis import cct_others, cct_prompt, roleplay
from culturealign.papers.caredio.synthesis_jobs import generator, sampling_for, stable_seed

log = start(snakemake)
s, cultures = snakemake.params.synthesis, snakemake.params.cultures
target = culture_of(snakemake.wildcards.culture)
adapted = read_json(snakemake.input.adapted)["adapted"]
complete, determinism = generator(snakemake)
# every culture answers the target's adapted questions in isolation ...
isolated = {c: complete([roleplay(c, a["adapted"]) for a in adapted], sampling_for(s, "response", "isolated", c, target))
            for c in cultures}
# ... then the target answers again with `cct_others` of those answers shown (CCT), others drawn seeded
rng = random.Random(stable_seed(s["seed"], "cct", target))
shown = [cct_others(cultures, target, s["cct_others"], rng) for _ in adapted]
conversations = [cct_prompt(target, a["adapted"], {c: isolated[c][i] for c in others})
                 for i, (a, others) in enumerate(zip(adapted, shown))]
final = complete(conversations, sampling_for(s, "response", "cct", target))
samples = [{"id": a["id"], "topic": a["topic"], "type": a["type"], "question": a["question"], "adapted": a["adapted"],
            "isolated": {c: isolated[c][i] for c in cultures}, "shown": others, "messages": conv, "response": text}
           for i, (a, others, conv, text) in enumerate(zip(adapted, shown, conversations, final))]
write_json(snakemake.output[0], {"culture": target, "samples": samples})
log.info("%s: %d samples (%d isolated answers, %d CCT answers)", target, len(samples),
         len(samples) * len(cultures), len(samples))
finish(snakemake, determinism=determinism)
