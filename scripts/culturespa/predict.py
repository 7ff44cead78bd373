import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
from pathlib import Path

from culturealign.io import read_json
from culturealign.jobs import finish, start
from culturealign.papers.culturespa.grid import UNAWARE, question_ids
from culturealign.papers.culturespa.methods import RANKING, SIMILARITY
from culturealign.predict import predict_countries
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
# A fine-tuned model's adapter per country (joint: the same for all); a skipped one (empty training
# set) predicts with the base model, as the lineage and the log say.
adapters = {country: adapter_or_none(a) for country, a in dict(p.adapters).items()}
for country, a in dict(p.adapters).items():
    if adapters[country] is None:
        log.warning("adapter %s was skipped (empty training set): %s predicts with the base model", a, country)
qids = question_ids(questions, p.topics, p.per_topic)
info = predict_countries(
    model=w.model, spec=p.spec, model_dir=str(Path(i.manifest).parent / "weights"),
    method=w.get("method", UNAWARE), countries=list(p.countries), adapters=adapters, seed=int(p.seed), ctx=ctx,
    qids=qids, sampling={"temperature": p.sampling["temperature"], "top_p": p.sampling["top_p"],
                         "top_k": p.sampling["top_k"]},
    engine_options={**p.engine, "threads": snakemake.threads}, out=snakemake.output[0],
    max_new_tokens=p.sampling["max_new_tokens"], parser=p.parser,
)
log.info("%s", info)
finish(snakemake, determinism=info["determinism"])
