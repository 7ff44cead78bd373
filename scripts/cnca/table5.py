import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)

from culturealign.papers.cnca.tables import cdeval_table
from culturealign.jobs import finish, start

log = start(snakemake)
files = dict(zip([tuple(k) for k in snakemake.params.pairs], snakemake.input.scores))
rows = cdeval_table(files, snakemake.params.models, snakemake.input.published, snakemake.output[0])
log.info("%d rows", len(rows))
finish(snakemake)
