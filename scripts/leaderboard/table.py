import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)

from culturealign.io import read_json
from culturealign.jobs import finish, start
from culturealign.leaderboard import Row
from culturealign.leaderboard.table import COLUMNS, build
from culturealign.tables import write_csv
from culturealign.training import adapter_or_none
from culturealign.wvs import evaluation_questions, load_questions

log = start(snakemake)
p, i = snakemake.params, snakemake.input
rows = [Row(**r) for r in p.rows]
wvs = {r.key: list(getattr(i, f"wvs_{n}")) for n, r in enumerate(rows) if f"wvs_{n}" in i.keys()}
bench = {r.key: getattr(i, f"bench_{n}") for n, r in enumerate(rows) if f"bench_{n}" in i.keys()}
skipped = {r.key: [c for c, a in r.adapters.items() if adapter_or_none(a) is None] for r in rows if not r.reason}
split = read_json(i.split)
qids = evaluation_questions(split, p.test_per_topic, p.topics)
table, per_country = build(rows, wvs, bench, load_questions(i.questions), qids, list(p.countries), list(p.seeds),
                           p.alpha, skipped=skipped)
write_csv(snakemake.output.csv, [{c: row.get(c, "") for c in COLUMNS} for row in table])
write_csv(snakemake.output.scores, per_country)
for row in table:
    log.info("%s %s %s: wvs %s goqa %s cbh %s %s", row["rank"], row["paper"], row["method"], row["wvs_score"],
             row["globalopinionqa"], row["culturalbench_hard"], row["note"])
finish(snakemake)
