import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)

from culturealign.io import read_json, write_jsonl
from culturealign.jobs import finish, start
from culturealign.papers.culturespa.finetune import training_examples

log = start(snakemake)
w, p = snakemake.wildcards, snakemake.params
examples, counts = training_examples(read_json(snakemake.input.selection), read_json(snakemake.input.generated),
                                     w.rule, w.scope, int(w.pct), p.seed, allow_empty=p.on_empty == "skip")
write_jsonl(snakemake.output[0], examples)
for country, c in counts.items():
    log.info("%s: %s", country, c)
if not examples:
    log.warning("%s: empty training set (on_empty: skip) - the adapter is recorded as skipped", snakemake.output[0])
log.info("%d examples", len(examples))
finish(snakemake)
