import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)

from culturealign.papers.cnca.figures import figure5
from culturealign.tables import read_published
from culturealign.jobs import finish, start

log = start(snakemake)
p = snakemake.params
caption = f"Countries: {' '.join(p.countries)}; seeds: {' '.join(map(str, p.seeds))}; all {p.m} low-level norms given."
published = {}
for miner in {spec.get("paper_label", "") for spec in p.models.values()} - {""}:
    published.update({(model, method, miner): value for (table, model, method), value
                      in read_published(snakemake.input.published, miner=miner).items() if table == "figure5"})
table = figure5([tuple(r) for r in p.rows], list(snakemake.input.scores), p.models, caption,
                [snakemake.output.png, snakemake.output.pdf], snakemake.output.csv,
                snakemake.output.json, published)
log.info("%s", table)
finish(snakemake)
