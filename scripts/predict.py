import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../src")  # noqa: E702  (use the checkout's own code)
from pathlib import Path

from culturealign.methods import MethodContext
from culturealign.predict import predict
from culturealign.workflow import finish, read_json, start
from culturealign.wvs import load_questions

log = start(snakemake)
w, p = snakemake.wildcards, snakemake.params
extras = {}
if "norms" in snakemake.input.keys():
    extras = {"norms": read_json(snakemake.input.norms), "k": int(w.k)}
ctx = MethodContext(load_questions(snakemake.input.questions), read_json(snakemake.input.split), extras)
info = predict(
    model=w.model, spec=p.spec, model_dir=str(Path(snakemake.input.manifest).parent / "weights"),
    method=w.method, country=w.country, seed=int(w.seed), ctx=ctx, test_per_topic=p.test_per_topic,
    topics=p.topics, sampling=p.sampling, engine_options={**p.engine, "threads": snakemake.threads},
    out=snakemake.output[0], max_new_tokens=p.max_new_tokens,
    adapter=snakemake.input.adapter if snakemake.input.get("adapter") else None,
)
log.info("%s", info)
finish(snakemake, determinism=info["determinism"])
