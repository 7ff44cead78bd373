import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
from culturealign.io import read_json, write_json
from culturealign.jobs import finish, start
from culturealign.papers.caredio.evaluate import score

log = start(snakemake)
prediction = read_json(snakemake.input.prediction)
# the judge's ratings of the open-ended answers (CultureBank, Prism), in the prediction's item order
judged = read_json(snakemake.input.judgements)["benchmarks"] if snakemake.input.get("judgements") else {}
ratings = {b: {c: [r["rating"] for r in sorted(rs, key=lambda r: r["item"])] for c, rs in per.items()}
           for b, per in judged.items()}
scores = {b: {c: score(x, ratings.get(b, {}).get(c)) for c, x in per.items()}
          for b, per in prediction["benchmarks"].items()}
write_json(snakemake.output[0], {"model": prediction["model"], "method": prediction["method"],
                                 "adapters": prediction["adapters"], "benchmarks": scores})
log.info("%s", {b: {c: s["score"] for c, s in per.items()} for b, per in scores.items()})
finish(snakemake)
