import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
import random

from culturealign.io import read_json, write_jsonl
from culturealign.jobs import finish, start
from culturealign.papers.caredio.finetune import training_examples
from culturealign.papers.caredio.synthesis_jobs import stable_seed

log = start(snakemake)
budget = int(snakemake.wildcards.budget)
p = snakemake.params
examples, counts = training_examples(read_json(snakemake.input.selection), read_json(snakemake.input.samples), budget,
                                     snakemake.wildcards.trainer, random.Random(stable_seed(p.seed, "rejected",
                                                                                            snakemake.wildcards.culture)))
write_jsonl(snakemake.output[0], examples)
log.info("%s", counts)
if counts["short"]:
    log.warning("%s has %d candidates, fewer than the budget %d: it trains on what it has",
                counts["culture"], counts["candidates"], budget)
finish(snakemake)
