import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)

from culturealign.jobs import finish, start
from culturealign.papers.culturespa.tables import table2

log = start(snakemake)
p = snakemake.params
files = {tuple(row): path for row, path in zip(p.rows, snakemake.input.scores)}
rows = table2(files, p.models, snakemake.input.published, snakemake.output[0])
for row in rows:
    log.info("%s %s: Avg %s (published %s)", row["model"], row["prompting"], row["Avg"], row["Avg_published"])
finish(snakemake)
