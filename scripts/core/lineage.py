import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)

from culturealign.provenance import Trace
from culturealign.provenance.pages import page, published_rows, summary_rows
from culturealign.tables import write_csv
from culturealign.io import write_text
from culturealign.jobs import finish, start

log = start(snakemake)
w, p = snakemake.wildcards, snakemake.params
trace = Trace(snakemake.input.artifact)
rows = summary_rows(trace, p.config_id)
write_csv(snakemake.output.csv, rows)
published = published_rows(snakemake.input.published, p.table) if snakemake.input.get("published") else None
description = (f"{p.description[:1].upper()}{p.description[1:]}; config {' + '.join(p.config_id['files'])} "
               f"(sha256 {p.config_id['sha256'][:16]}).")
write_text(snakemake.output.html, page(w.artifact, snakemake.input.artifact, trace, rows, description, published))
if not trace.ok:
    log.warning("lineage of %s has %d problem(s):\n%s", trace.target, len(trace.problems),
                "\n".join(x.message for x in trace.problems))
log.info("%s: %d records, %d roots", trace.target, len(trace.records), len(trace.roots()))
finish(snakemake)
