import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)

from culturealign.registry import get_method
from culturealign.papers.cnca.tables import answers_markdown
from culturealign.io import read_json, read_jsonl, write_text
from culturealign.jobs import finish, start
from culturealign.wvs import evaluation_questions, load_questions

log = start(snakemake)
p = snakemake.params
questions = load_questions(snakemake.input.questions)
qid = p.table6["qid"] or evaluation_questions(read_json(snakemake.input.split), p.test_per_topic, p.topics)[0]
if qid not in questions:
    raise ValueError(f"config key 'table6.qid': unknown question {qid!r}")
answers = []
for (model, method), path in zip(p.rows, snakemake.input.predictions):
    found = [r for r in read_jsonl(path) if r["qid"] == qid and r.get("sample", 0) == 0]
    if not found:
        raise ValueError(f"config key 'table6.qid': {qid} is not among the evaluated test questions ({path})")
    answers.append((get_method(method).label, found[0]))
write_text(snakemake.output[0], answers_markdown(questions[qid], p.table6["country"], answers))
log.info("table 6 on %s", qid)
finish(snakemake)
