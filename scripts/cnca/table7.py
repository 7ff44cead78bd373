import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)

from culturealign.papers.cnca.tables import reasoning_table
from culturealign.jobs import finish, start

log = start(snakemake)
rows = [tuple(r) for r in snakemake.params.rows]
files = {(model, method): path for (model, method, _), path in zip(rows, snakemake.input.scores)}
miners = {model: miner for model, _, miner in rows}
out = reasoning_table(files, snakemake.params.models, snakemake.input.published, snakemake.output[0], miners,
                      test=snakemake.params.test)
log.info("%d rows", len(out))
finish(snakemake)
