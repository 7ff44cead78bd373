import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)

from culturealign.jobs import finish, start
from culturealign.papers.culturespa.figures import figure1, row_label
from culturealign.papers.culturespa.tables import published_model, read_published
from culturealign.registry import get_method

log = start(snakemake)
p, o = snakemake.params, snakemake.output
paper = read_published(snakemake.input.published)
label = published_model(paper, p.models[p.rows[0][0]].get("paper_label"))
published = {}  # bar label -> country -> the paper's Table 2 score of that row
for _, method, variant, _ in p.rows:
    prompting = get_method(method).label
    published[row_label(method, variant)] = {
        country: value for (model, pr, var, country), (_, value) in paper.items()
        if (model, pr, var) == (label, prompting, variant) and country != "Avg"}
caption = (f"{p.describe}; bars: mean over runs; marks: the paper's Table 2 numbers of {label} for the same "
           "row (P1 Baseline, CultureSPA with P1); the paper prints none for culture-unaware prompting.")
table = figure1(p.rows, list(snakemake.input.scores), published, caption, [o.png, o.pdf], o.csv, o.json)
log.info("%d bars", len(table))
finish(snakemake)
