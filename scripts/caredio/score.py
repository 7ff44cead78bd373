import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
from culturealign.io import read_json, write_json
from culturealign.jobs import finish, start
from culturealign.papers.caredio.evaluate import score

log = start(snakemake)
prediction = read_json(snakemake.input.prediction)
scores = {b: {c: score(x) for c, x in per.items()} for b, per in prediction["benchmarks"].items()}
write_json(snakemake.output[0], {"model": prediction["model"], "method": prediction["method"], "benchmarks": scores})
log.info("%s", {b: {c: s["score"] for c, s in per.items()} for b, per in scores.items()})
finish(snakemake)
