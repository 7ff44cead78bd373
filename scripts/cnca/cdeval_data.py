import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
from culturealign.papers.cnca.cdeval import fetch
from culturealign.jobs import finish, start

log = start(snakemake)
p = snakemake.params
log.info("%s", fetch(p.url, p.sha256, p.local or None, snakemake.output[0]))
finish(snakemake)
