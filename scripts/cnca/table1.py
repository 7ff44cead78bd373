import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)

from culturealign.papers.cnca.tables import norms_markdown
from culturealign.io import read_json, write_text
from culturealign.jobs import finish, start

log = start(snakemake)
norms = read_json(snakemake.input[0])
name = snakemake.params.miner_name
write_text(snakemake.output[0], norms_markdown(norms, snakemake.params.topic, name))
finish(snakemake)
