import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)

from culturealign.papers.cnca.tables import alignment_table
from culturealign.jobs import finish, start

log = start(snakemake)
files = dict(zip([tuple(k) for k in snakemake.params.pairs], snakemake.input.scores))
rows = alignment_table(files, snakemake.params.models, snakemake.input.published, snakemake.params.table, snakemake.output[0],
                       test=snakemake.params.test, norms_per_seed=snakemake.params.norms_per_seed)
log.info("%d rows", len(rows))
finish(snakemake)
