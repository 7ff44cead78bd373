import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
from pathlib import Path

from culturealign.io import read_json
from culturealign.jobs import finish, start
from culturealign.predict import predict
from culturealign.registry import MethodContext
from culturealign.wvs import evaluation_questions, load_questions

log = start(snakemake)
w, p = snakemake.wildcards, snakemake.params
extras = {}
if "norms" in snakemake.input.keys():
    extras = {"norms": read_json(snakemake.input.norms), "n_low": int(w.n_low)}
split = read_json(snakemake.input.split)
ctx = MethodContext(load_questions(snakemake.input.questions), split, extras)
info = predict(
    model=w.model, spec=p.spec, model_dir=str(Path(snakemake.input.manifest).parent / "weights"),
    method=w.method, country=w.country, seed=int(w.seed), ctx=ctx,
    qids=evaluation_questions(split, p.test_per_topic, p.topics), sampling=p.sampling,
    engine_options={**p.engine, "threads": snakemake.threads}, out=snakemake.output[0],
    max_new_tokens=p.max_new_tokens, adapter=snakemake.input.adapter if snakemake.input.get("adapter") else None,
)
log.info("%s", info)
finish(snakemake, determinism=info["determinism"])
