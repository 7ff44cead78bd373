import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
from culturealign.fetch import fetch_pinned
from culturealign.jobs import finish, start
from culturealign.papers.caredio.evaluate import COLUMNS, read_rows

log = start(snakemake)
name, d = snakemake.wildcards.benchmark, snakemake.params.data
origin = fetch_pinned(d["url"], d["sha256"], d["local"] or None, snakemake.output[0], f"caredio.benchmarks.{name}",
                      check=lambda path: read_rows(path, COLUMNS[name], snakemake.wildcards.ext))
log.info("%s: %s", name, origin)
finish(snakemake)
