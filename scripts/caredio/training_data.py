import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
from culturealign.io import read_json, write_jsonl
from culturealign.jobs import finish, start
from culturealign.papers.caredio.finetune import training_examples

log = start(snakemake)
budget = int(snakemake.wildcards.budget)
examples, counts = training_examples(read_json(snakemake.input.selection), read_json(snakemake.input.samples), budget)
write_jsonl(snakemake.output[0], examples)
log.info("%s", counts)
if counts["short"]:
    log.warning("%s has %d candidates, fewer than the budget %d: it trains on what it has",
                counts["culture"], counts["candidates"], budget)
finish(snakemake)
