import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)

from culturealign.io import read_json, write_json
from culturealign.jobs import finish, start
from culturealign.papers.culturespa.filtering import filter_questions, read_exceptions
from culturealign.wvs import load_questions

log = start(snakemake)
p = snakemake.params
generated, per_topic = [], {}
for path in snakemake.input.topics:
    topic = read_json(path)
    per_topic[topic["topic_id"]] = topic["counts"]
    generated += [{**q, "topic_id": topic["topic_id"], "topic": topic["topic"]} for q in topic["questions"]]
seeds = [q["question"] for q in load_questions(snakemake.input.questions).values()]
kept, dropped, counts = filter_questions(generated, seeds, p.max_chars, tuple(p.option_range) if p.option_range else None,
                                        read_exceptions(snakemake.input.exceptions))
write_json(snakemake.output.kept, kept)
write_json(snakemake.output.dropped, dropped)
write_json(snakemake.output.counts, {"filter": counts, "generation": per_topic})
log.info("%s", counts)
finish(snakemake)
