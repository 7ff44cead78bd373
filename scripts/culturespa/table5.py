import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)

from culturealign.io import read_json
from culturealign.jobs import finish, start
from culturealign.papers.culturespa.tables import table5

log = start(snakemake)
p, i = snakemake.params, snakemake.input
general = [read_json(path) for path in i.general]  # row by row, benchmark by benchmark
per_row = [general[k * len(p.benchmarks):(k + 1) * len(p.benchmarks)] for k in range(len(p.rows))]
for row in table5(p.rows, list(i.scores), per_row, i.published, snakemake.output[0]):
    log.info("%s", row)
finish(snakemake)
