import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../src")  # noqa: E702  (use the checkout's own code)
from pathlib import Path

from culturealign.provenance import Trace
from culturealign.report_page import page, published_rows, summary_rows, write_csv
from culturealign.workflow import finish, start

log = start(snakemake)
w, p, c = snakemake.wildcards, snakemake.params, snakemake.config
trace = Trace(snakemake.input.artifact)
rows = summary_rows(trace, p.config_id)
write_csv(snakemake.output.csv, rows)
published = published_rows(snakemake.input.published, p.table) if snakemake.input.get("published") else None
description = (f"Models {' '.join(c['evaluation']['models'])} (fine-tuned: {' '.join(c['finetune']['models'])}); "
               f"countries {' '.join(c['countries'])}; seeds {' '.join(map(str, c['seeds']))}; config "
               f"{' + '.join(p.config_id['files'])} (sha256 {p.config_id['sha256'][:16]}).")
Path(snakemake.output.html).write_text(page(w.artifact, snakemake.input.artifact, trace, rows, description, published),
                                       encoding="utf-8")
if not trace.ok:
    log.warning("lineage of %s has %d problem(s):\n%s", trace.target, len(trace.problems),
                "\n".join(x.message for x in trace.problems))
log.info("%s: %d records, %d roots", trace.target, len(trace.records), len(trace.roots()))
finish(snakemake)
