import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
from pathlib import Path

from culturealign.engine import Sampling
from culturealign.io import read_json, write_json
from culturealign.jobs import finish, start
from culturealign.judge import complete, describe
from culturealign.papers.caredio.open_ended import OPEN_ENDED, judge_conversation, parse_rating

log = start(snakemake)
w, p, i = snakemake.wildcards, snakemake.params, snakemake.input
prediction = read_json(i.prediction)
keys, conversations = [], []
for benchmark in OPEN_ENDED:
    for culture, pred in prediction["benchmarks"].get(benchmark, {}).items():
        for k, item in enumerate(pred["items"]):
            keys.append((benchmark, culture, k))
            conversations.append(judge_conversation(benchmark, culture, item, item["response"]))
sampling = Sampling(temperature=0.0, top_p=1.0, max_new_tokens=p.judging["judge_max_new_tokens"],
                    seed=p.judging["seed"])  # greedy
texts, determinism = complete(
    conversations, judge=w.judge, models=p.models, endpoints=p.endpoints, sampling=sampling,
    model_dir=str(Path(i.judge_manifest).parent / "weights") if i.get("judge_manifest") else None,
    engine_options={**p.engine, "threads": snakemake.threads}) if conversations else ([], None)
judge = describe(w.judge, p.models, p.endpoints)
# every predicted culture has its list, empty when it had nothing to answer (no item of its group)
out: dict = {b: {c: [] for c in per} for b, per in prediction["benchmarks"].items() if b in OPEN_ENDED}
for (benchmark, culture, k), conv, text in zip(keys, conversations, texts):
    out.setdefault(benchmark, {}).setdefault(culture, []).append(
        {"item": k, "messages": conv, "response": text, "rating": parse_rating(text)})
write_json(snakemake.output[0], {"model": w.model, "method": w.method, "judge": judge, "sampling": sampling.as_dict(),
                                 "benchmarks": out})
log.info("%d answers rated by %s; %d valid ratings", len(keys), judge,
         sum(r["rating"] is not None for per in out.values() for rs in per.values() for r in rs))
finish(snakemake, determinism=determinism or "no answer to rate")
