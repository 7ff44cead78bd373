import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../src")  # noqa: E702  (use the checkout's own code)

from culturealign.plots import figure5
from culturealign.workflow import finish, start

log = start(snakemake)
p = snakemake.params
names = {m: spec.get("name", m) for m, spec in p.models.items()}
caption = f"Countries: {' '.join(p.countries)}; seeds: {' '.join(map(str, p.seeds))}; all {snakemake.config['norms']['m']} low-level norms given."
table = figure5([tuple(r) for r in p.rows], list(snakemake.input), names, caption,
                [snakemake.output.png, snakemake.output.pdf], snakemake.output.csv,
                snakemake.output.json)
log.info("%s", table)
finish(snakemake)
