import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)

from culturealign.io import read_json
from culturealign.jobs import finish, start
from culturealign.leaderboard import Row, input_name
from culturealign.leaderboard.table import COLUMNS, build
from culturealign.tables import write_csv
from culturealign.wvs import evaluation_questions, load_questions

log = start(snakemake)
p, i = snakemake.params, snakemake.input
rows = [Row(**r) for r in p.rows]
names = set(i.keys())
wvs = {r.key: list(getattr(i, input_name("wvs", r.key))) for r in rows if input_name("wvs", r.key) in names}
bench = {r.key: getattr(i, input_name("bench", r.key)) for r in rows if input_name("bench", r.key) in names}
split = read_json(i.split)
qids = evaluation_questions(split, p.test_per_topic, p.topics)
table, per_country = build(rows, wvs, bench, load_questions(i.questions), qids, list(p.countries), list(p.seeds),
                           p.alpha, unit=p.unit)
write_csv(snakemake.output.csv, [{c: row.get(c, "") for c in COLUMNS} for row in table])
write_csv(snakemake.output.scores, per_country)
for row in table:
    log.info("%s %s %s: wvs %s goqa %s cbh %s %s", row["rank"], row["paper"], row["method"], row["wvs_score"],
             row["globalopinionqa"], row["culturalbench_hard"], row["note"])
finish(snakemake)
