import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
from culturealign.io import read_jsonl, write_jsonl
from culturealign.jobs import finish, start
from culturealign.papers.caredio.finetune import capped

log = start(snakemake)
p = snakemake.params
examples, counts = capped(read_jsonl(snakemake.input.data), p.budget, p.seed)
write_jsonl(snakemake.output[0], examples)
log.info("CultureSPA data for %s: %s", snakemake.wildcards.culture, counts)
finish(snakemake)
