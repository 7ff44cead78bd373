import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
from culturealign.io import read_json
from culturealign.jobs import finish, start
from culturealign.papers.caredio.figures import figure2

log = start(snakemake)
p, o = snakemake.params, snakemake.output
caption = (f"CAReDiO - Cluster trained on the first n selected samples of each culture (n = {p.budgets}), "
           f"averaged over {', '.join(p.cultures)}; dashed: the backbone. The paper's Figure 2 compares "
           "with CultureLLM's and CulturePark's corpora, which this workflow does not build.")
rows = figure2([read_json(x) for x in snakemake.input.scores], sorted(p.budgets), p.cultures, caption, [o.png, o.pdf], o.csv)
log.info("%d points", len(rows))
finish(snakemake)
