import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../src")  # noqa: E702  (use the checkout's own code)

from culturealign.plots import figure4
from culturealign.workflow import start

log = start(snakemake)
p = snakemake.params
names = {m: spec.get("name", m) for m, spec in p.models.items()}
caption = f"Countries: {' '.join(p.countries)}; seeds: {' '.join(map(str, p.seeds))}; norms mined by each model itself."
data = figure4([tuple(r) for r in p.rows], list(snakemake.input), names, caption,
               [snakemake.output.png, snakemake.output.pdf], snakemake.output.json)
log.info("%s", data)
