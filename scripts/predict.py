import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../src")  # noqa: E702  (use the checkout's own code)
from pathlib import Path

from culturealign.methods import MethodContext
from culturealign.predict import predict
from culturealign.workflow import read_json, start
from culturealign.wvs import load_questions

log = start(snakemake)
w = snakemake.wildcards
ctx = MethodContext(questions=load_questions(snakemake.input.questions), split=read_json(snakemake.input.split))
info = predict(
    model=w.model, spec=snakemake.params.spec, model_dir=str(Path(snakemake.input.manifest).parent / "weights"),
    method=w.method, country=w.country, seed=int(w.seed), ctx=ctx,
    test_per_topic=snakemake.params.test_per_topic, sampling=snakemake.params.sampling,
    engine_options={**snakemake.params.engine, "threads": snakemake.threads}, out=snakemake.output[0],
)
log.info("%s", info)
