import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)

from culturealign.jobs import finish, start
from culturealign.papers.culturespa.tables import table2

log = start(snakemake)
p = snakemake.params
# Table 2's rows stand beside LLaMA-3-8B-Instruct's numbers, Table 3's beside Mistral's (for a model
# outside the paper; a paper model stands beside its own)
rows = table2(p.rows, list(snakemake.input.scores), p.models, snakemake.input.published, snakemake.output[0],
              **({"fallback": p.fallback} if p.get("fallback") else {}))
for row in rows:
    log.info("%s %s %s: Avg %s (published %s)", row["model"], row["prompting"], row["variant"], row["Avg"],
             row["Avg_published"])
finish(snakemake)
