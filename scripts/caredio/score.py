import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
from culturealign.io import read_json, write_json
from culturealign.jobs import finish, start
from culturealign.papers.caredio.evaluate import score

log = start(snakemake)
per_culture = {}
for path in snakemake.input.predictions:
    prediction = read_json(path)
    per_culture[prediction["culture"]] = score(prediction)
w = snakemake.wildcards
write_json(snakemake.output[0], {"model": w.model, "method": w.method, "benchmark": w.benchmark, "cultures": per_culture})
log.info("%s", {c: s["score"] for c, s in per_culture.items()})
finish(snakemake)
