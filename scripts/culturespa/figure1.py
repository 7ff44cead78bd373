import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)

from culturealign.jobs import finish, start
from culturealign.papers.culturespa.figures import figure1
from culturealign.papers.culturespa.tables import BASELINE, published_model, read_published

log = start(snakemake)
p, o = snakemake.params, snakemake.output
paper = read_published(snakemake.input.published)
label = published_model(paper, p.models[p.rows[0][0]].get("paper_label"))
published = {country: value for (model, prompting, variant, country), (_, value) in paper.items()
             if (model, prompting, variant) == (label, "P1", BASELINE) and country != "Avg"}
caption = f"{p.describe}; bars: mean over runs; marks: the paper's P1 Baseline of {label} (Table 2)."
table = figure1([tuple(r) for r in p.rows], list(snakemake.input.scores), published, caption, [o.png, o.pdf],
                o.csv, o.json)
log.info("%d bars", len(table))
finish(snakemake)
