import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../src")  # noqa: E702  (use the checkout's own code)

from culturealign.workflow import finish, read_json, start, write_json
from culturealign.wvs import make_split

log = start(snakemake)
questions = read_json(snakemake.input[0])["questions"]
split = make_split(questions, seed=snakemake.params.seed, train_per_topic=snakemake.params.train_per_topic,
                   strategy=snakemake.params.strategy)
write_json(snakemake.output[0], split)
log.info("train %d, test %d", sum(len(t["train"]) for t in split["topics"].values()),
         sum(len(t["test"]) for t in split["topics"].values()))
finish(snakemake)
