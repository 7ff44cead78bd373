import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)

from culturealign.papers.cnca.figures import figure4
from culturealign.jobs import finish, start

log = start(snakemake)
p = snakemake.params
names = p.names
miner = "each model itself" if p.table_miner == "self" else (p.table_miner_name or p.table_miner)
caption = f"Countries: {' '.join(p.countries)}; seeds: {' '.join(map(str, p.seeds))}; norms mined by {miner}."
data = figure4([tuple(r) for r in p.rows], list(snakemake.input), names, caption,
               [snakemake.output.png, snakemake.output.pdf], snakemake.output.json)
log.info("%s", data)
finish(snakemake)
