import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
from pathlib import Path

from culturealign.io import read_json
from culturealign.jobs import finish, start
from culturealign.predict import predict_countries
from culturealign.registry import MethodContext
from culturealign.wvs import evaluation_questions, load_questions

# One job per (model, method, seed[, miner, n_low]) answers for every country: one output file per
# country, in the order of params.countries (and of input.norms, for the norm methods).
log = start(snakemake)
w, p = snakemake.wildcards, snakemake.params
split = read_json(snakemake.input.split)
questions = load_questions(snakemake.input.questions)
countries = list(p.countries)
norms = dict(zip(countries, snakemake.input.norms)) if "norms" in snakemake.input.keys() else {}
contexts = {c: MethodContext(questions, split, {"norms": read_json(norms[c]), "n_low": int(w.n_low)} if norms else {})
            for c in countries}
info = predict_countries(
    model=w.model, spec=p.spec, model_dir=str(Path(snakemake.input.manifest).parent / "weights"),
    method=w.method, countries=countries, adapters=dict(p.adapters), seed=int(w.seed), ctx=contexts,
    qids=evaluation_questions(split, p.test_per_topic, p.topics), sampling=p.sampling,
    engine_options={**p.engine, "threads": snakemake.threads}, out=dict(zip(countries, snakemake.output)),
    max_new_tokens=p.max_new_tokens,
)
log.info("%s", info)
finish(snakemake, determinism=info["determinism"])
