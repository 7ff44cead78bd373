import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
from pathlib import Path

from culturealign.engine import Sampling
from culturealign.io import read_json, write_jsonl
from culturealign.jobs import finish, start
from culturealign.judge import complete, describe
from culturealign.papers.culturespa.quality import conversation, parse_verdict, sample
from culturealign.wvs import TOPIC_NAMES

log = start(snakemake)
w, p, i = snakemake.wildcards, snakemake.params, snakemake.input
q = p.quality
questions = sample(read_json(i.generated), q["per_topic"], q["seed"])
conversations = [conversation(x, TOPIC_NAMES[int(x["topic_id"])]) for x in questions]
sampling = Sampling(temperature=0.0, top_p=1.0, max_new_tokens=q["max_new_tokens"], seed=q["seed"])  # greedy
texts, determinism = complete(
    conversations, judge=w.judge, models=p.models, endpoints=p.endpoints, sampling=sampling,
    model_dir=str(Path(i.judge_manifest).parent / "weights") if i.get("judge_manifest") else None,
    engine_options={**p.engine, "threads": snakemake.threads})
judge = describe(w.judge, p.models, p.endpoints)
records = [{"qid": x["id"], "topic_id": x["topic_id"], "question": x["question"], "options": x["options"],
            "judge": judge, "messages": conv, "response": text, "verdict": parse_verdict(text)}
           for x, conv, text in zip(questions, conversations, texts)]
write_jsonl(snakemake.output[0], records)
log.info("%d questions judged by %s; %d valid verdicts", len(records), judge,
         sum(r["verdict"] is not None for r in records))
finish(snakemake, determinism=determinism)
