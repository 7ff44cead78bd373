import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
from pathlib import Path

from culturealign.io import write_json
from culturealign.jobs import finish, start
from culturealign.papers.culturespa.general import evaluate
from culturealign.training import adapter_or_none

log = start(snakemake)
w, p, i = snakemake.wildcards, snakemake.params, snakemake.input
g = p.general
if w.bench not in g["benchmarks"]:
    raise KeyError(f"benchmark {w.bench!r} is not in culturespa.general.benchmarks ({sorted(g['benchmarks'])})")
bench = g["benchmarks"][w.bench]
import torch  # noqa: E402

cuda = torch.cuda.is_available()
torch.set_num_threads(snakemake.threads)
result = evaluate(
    weights=str(Path(i.manifest).parent / "weights"), adapter=adapter_or_none(i.get("adapter")),
    task=bench["task"], metric=bench["metric"],
    dtype=p.spec.get("dtype", "bfloat16") if cuda else "float32", device="cuda" if cuda else "cpu",
    batch_size=g["batch_size"], limit=g["limit"], include_path=g["include_path"], num_fewshot=g["num_fewshot"],
    seed=g["seed"])
write_json(snakemake.output[0], {"benchmark": w.bench, **result})
log.info("%s (%s): %s = %s in %s s", w.bench, bench["task"], bench["metric"], result["value"], result["seconds"])
finish(snakemake)
