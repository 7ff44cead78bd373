import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
from pathlib import Path

from culturealign.io import read_json
from culturealign.jobs import finish, start
from culturealign.papers.culturespa.grid import UNAWARE, question_ids
from culturealign.papers.culturespa.methods import RANKING, SIMILARITY
from culturealign.predict import predict
from culturealign.registry import MethodContext
from culturealign.training import adapter_or_none
from culturealign.wvs import load_questions

log = start(snakemake)
w, p, i = snakemake.wildcards, snakemake.params, snakemake.input
questions = load_questions(i.questions)
extras = {}
if i.get("similarity"):
    extras[SIMILARITY] = read_json(i.similarity)
if i.get("ranking"):
    extras[RANKING] = read_json(i.ranking)
ctx = MethodContext(questions, None, extras)
adapter = adapter_or_none(i.get("adapter"))  # a fine-tuned model's adapter for this country (None: the base model)
if i.get("adapter") and adapter is None:
    log.warning("adapter %s was skipped (empty training set): predicting with the base model", i.adapter)
qids = question_ids(questions, p.topics, p.per_topic)
info = predict(
    model=w.model, spec=p.spec, model_dir=str(Path(i.manifest).parent / "weights"),
    method=w.get("method", UNAWARE), country=w.get("country"), seed=int(p.seed), ctx=ctx, qids=qids,
    sampling={"temperature": p.sampling["temperature"], "top_p": p.sampling["top_p"]},
    engine_options={**p.engine, "threads": snakemake.threads}, out=snakemake.output[0],
    max_new_tokens=p.sampling["max_new_tokens"], parser=p.parser, adapter=adapter,
)
log.info("%s", info)
finish(snakemake, determinism=info["determinism"])
