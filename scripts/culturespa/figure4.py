import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)

from culturealign.jobs import finish, start
from culturealign.papers.culturespa.figures import figure4

log = start(snakemake)
p, o = snakemake.params, snakemake.output
caption = (f"{p.describe}; each rule's joint LoRA model (100% of its pairs, the same number per country) "
           "with P1 minus the P1 baseline, per country, mean over runs. The paper prints no numbers for Figure 4.")
table = figure4(p.rows, list(snakemake.input.scores), caption, [o.png, o.pdf], o.csv, o.json)
log.info("%d bars", len(table))
finish(snakemake)
