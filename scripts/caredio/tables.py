import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
from culturealign.io import read_json
from culturealign.jobs import finish, start
from culturealign.papers.caredio.tables import per_culture_table, read_published, short_note, table2
from culturealign.tables import write_csv

log = start(snakemake)
p, i = snakemake.params, snakemake.input
scores = {}
for path in i.scores:
    data = read_json(path)
    scores[(data["model"], data["method"], data["benchmark"])] = data
candidates = {}
for path in i.selections:
    data = read_json(path)
    candidates[data["culture"]] = min(candidates.get(data["culture"], data["candidates"]), data["candidates"])
note = short_note(candidates, p.budget)
published = read_published(i.published)
if p.table == "2":
    rows = table2(scores, p.models, published, p.cultures, note)
else:
    rows = per_culture_table(p.benchmark, scores, p.models, published, p.cultures, note)
write_csv(snakemake.output[0], rows)
log.info("%d rows", len(rows))
finish(snakemake)
