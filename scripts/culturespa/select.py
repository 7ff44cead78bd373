import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)

from culturealign.io import read_json, read_jsonl, write_json
from culturealign.jobs import finish, start
from culturealign.papers.culturespa.crqpc import answers, option_ids, select

log = start(snakemake)
unaware = answers(read_jsonl(snakemake.input.unaware))
# input.aware lists one file per country, in the order of params.countries
aware = {country: answers(read_jsonl(path)) for country, path in zip(snakemake.params.countries, snakemake.input.aware)}
examples, counts = select(unaware, aware, snakemake.params.seed, option_ids(read_json(snakemake.input.questions)))
write_json(snakemake.output[0], {"variant": snakemake.wildcards.variant, "counts": counts, "examples": examples})
for country, c in counts.items():
    log.info("%s: %s", country, c)
finish(snakemake)
