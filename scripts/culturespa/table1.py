import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)

from culturealign.io import read_jsonl
from culturealign.jobs import finish, start
from culturealign.papers.culturespa.quality import table1
from culturealign.papers.culturespa.tables import read_published_grid
from culturealign.tables import fmt, write_csv

log = start(snakemake)
verdicts = read_jsonl(snakemake.input.verdicts)
rows, counts = table1(verdicts)
published = read_published_grid(snakemake.input.published, "1")
judge = verdicts[0]["judge"] if verdicts else {}
for row in rows:
    pub = published.get((row["criterion"], "Pass Rate (%)"))
    row.update({"published": fmt(pub, 1),
                "diff": fmt(row["pass_rate"] - pub, 1) if row["pass_rate"] is not None and pub is not None else "",
                "pass_rate": fmt(row["pass_rate"], 1), **counts,
                "judge": judge.get("model") or judge.get("name") or judge.get("judge", ""),
                "notes": "pass rate over valid verdicts (all four criteria answered Yes/No); the paper: GPT-4o "
                         "on 260 questions of LLaMA-3-8B-Instruct"})
write_csv(snakemake.output[0], rows)
log.info("Table 1: %s", counts)
finish(snakemake)
