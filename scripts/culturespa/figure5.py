import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)

from culturealign.jobs import finish, start
from culturealign.papers.culturespa.figures import figure5
from culturealign.papers.culturespa.grid import question_ids
from culturealign.scoring import read_predictions
from culturealign.wvs import load_questions

log = start(snakemake)
p, o = snakemake.params, snakemake.output
questions = load_questions(snakemake.input.questions)
qids = question_ids(questions, p.topics, p.per_topic)
records = {method: [] for method in p.methods}
for record in read_predictions(snakemake.input.predictions):  # every method's files, read once
    records[record["method"]].append(record)
caption = (f"{p.model}; {p.describe}; eq. (1) between two countries over the questions both answered "
           "validly, mean over runs; r: Pearson correlation with the WVS matrix over the cells above the diagonal.")
table = figure5(p.methods, records, questions, qids, p.countries, p.parser, caption, [o.png, o.pdf], o.csv, o.json)
log.info("%d cells", len(table))
finish(snakemake)
