import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)

from culturealign.jobs import finish, start
from culturealign.papers.culturespa.tables import table4

log = start(snakemake)
p = snakemake.params
for row in table4(p.rows, list(snakemake.input.scores), snakemake.input.published, snakemake.output[0]):
    log.info("%s", row)
finish(snakemake)
