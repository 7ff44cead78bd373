import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)

from culturealign.jobs import finish, start
from culturealign.papers.culturespa.figures import figure1
from culturealign.papers.culturespa.tables import BASELINE, read_published

log = start(snakemake)
p, o = snakemake.params, snakemake.output
label = p.models[p.rows[0][0]].get("paper_label") or ""
published = {country: value for (model, prompting, variant, country), (_, value)
             in read_published(snakemake.input.published).items()
             if (model, prompting, variant) == (label, "P1", BASELINE) and country != "Avg"}
caption = f"{p.describe}; bars: mean over runs; published: Table 2's P1 Baseline ({label or 'no paper model'})."
table = figure1([tuple(r) for r in p.rows], list(snakemake.input.scores), published, caption, [o.png, o.pdf],
                o.csv, o.json)
log.info("%d bars", len(table))
finish(snakemake)
