import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
from pathlib import Path

from culturealign.io import read_json
from culturealign.jobs import finish, start
from culturealign.papers.caredio.grid import BENCHMARK_TABLES, CULTURESPA_DATA
from culturealign.papers.caredio.tables import per_culture_table, read_published, short_note, table2
from culturealign.tables import write_csv

log = start(snakemake)
p, i = snakemake.params, snakemake.input
scores, untuned = {}, {}
for path in i.scores:
    data = read_json(path)
    if data["method"] == CULTURESPA_DATA:  # cultures the backbone answered for: no data, or an empty training set
        untuned.update({c: None for c, a in data["adapters"].items() if a is None})
    for benchmark, per_culture in data["benchmarks"].items():
        scores[(data["model"], data["method"], benchmark)] = {"cultures": per_culture}
candidates = {}
for path in i.selections:
    data = read_json(path)
    candidates[data["culture"]] = min(candidates.get(data["culture"], data["candidates"]), data["candidates"])
note = "; ".join(x for x in ["trained with DPO (finetune.trainer: dpo; the paper: SFT)" if p.trainer == "dpo" else "",
                               short_note(candidates, p.budget)] if x)
published = read_published(i.published)
table = Path(snakemake.output[0]).stem.removeprefix("table")  # table2.csv .. table6.csv
method_notes = {CULTURESPA_DATA: "; ".join(x for x in [p.culturespa_note, (
    f"no adapter for {', '.join(untuned)} (no CultureSPA country in culturespa.countries, or an empty training "
    "set): the backbone answers") if untuned else ""] if x)}
if table == "2":
    rows = table2(scores, p.models, published, p.cultures, note, method_notes=method_notes)
else:
    benchmark = {t: b for b, t in BENCHMARK_TABLES.items()}[table]
    rows = per_culture_table(benchmark, scores, p.models, published, p.cultures, note, method_notes=method_notes)
write_csv(snakemake.output[0], rows)
log.info("%d rows", len(rows))
finish(snakemake)
