import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
from pathlib import Path

from culturealign.io import read_json
from culturealign.jobs import finish, start
from culturealign.leaderboard import Row, p3_candidates
from culturealign.papers.culturespa.methods import RANKING, SIMILARITY
from culturealign.predict import predict_countries
from culturealign.registry import MethodContext, get_method
from culturealign.training import adapter_or_none
from culturealign.wvs import evaluation_questions, load_questions

# One job per (model, row, seed): the row's method on the shared questions of every leaderboard country,
# one file. A country-free prompt without adapters (no culture named anywhere) answers once; the table
# scores it against each country. With adapters (CAReDiO's per culture) each country answers with its own.
log = start(snakemake)
w, p, i = snakemake.wildcards, snakemake.params, snakemake.input
row = Row(**p.row)
questions = load_questions(i.questions)
split = read_json(i.split)
extras = {}
if i.get("similarity"):
    extras[SIMILARITY] = read_json(i.similarity)
if i.get("ranking"):
    extras[RANKING] = p3_candidates(read_json(i.ranking), split)  # CNCA's training questions only
ctx = MethodContext(questions, split, extras)
countries = [None] if get_method(row.method).options.get("country_free") and not row.adapters else list(p.countries)
adapters = {c: adapter_or_none(row.adapters[c]) for c in countries if c in row.adapters}
for c, a in row.adapters.items():
    if c in adapters and adapters[c] is None:
        log.warning("adapter %s was skipped (empty training set): %s predicts with the base model", a, c)
info = predict_countries(
    model=w.model, spec=p.spec, model_dir=str(Path(i.manifest).parent / "weights"), method=row.method,
    countries=countries, adapters=adapters, seed=int(w.seed), ctx=ctx,
    qids=evaluation_questions(split, p.test_per_topic, p.topics), sampling=p.sampling,
    engine_options={**p.engine, "threads": snakemake.threads}, out=snakemake.output[0], parser=row.parser,
)
log.info("%s", info)
finish(snakemake, determinism=info["determinism"])
