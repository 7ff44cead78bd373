import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
from culturealign.papers.cnca.distill import training_qids
from culturealign.papers.cnca.finetune import answer_examples, chain_examples, dpo_examples
from culturealign.io import read_json, write_jsonl
from culturealign.jobs import finish, start
from culturealign.wvs import load_questions

log = start(snakemake)
p = snakemake.params
questions = load_questions(snakemake.input.questions)
data = p.recipe["data"]
if data == "answer":
    qids = training_qids(read_json(snakemake.input.split), p.topics, p.train_per_topic)
    examples, counts = answer_examples(questions, {c: qids for c in p.countries}), None
elif data == "dpo":
    examples, counts = dpo_examples(list(snakemake.input.sources))
else:
    examples, counts = chain_examples(questions, list(snakemake.input.sources))
write_jsonl(snakemake.output[0], examples)
log.info("%s training set: %d examples; per country %s", snakemake.wildcards.method, len(examples), counts)
finish(snakemake)
