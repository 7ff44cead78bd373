import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)

from culturealign.io import read_json, write_json
from culturealign.jobs import finish, start
from culturealign.wvs import make_split

log = start(snakemake)
questions = read_json(snakemake.input[0])["questions"]
s = snakemake.params.split
split = make_split(questions, seed=s["seed"], train_per_topic=s["train_per_topic"], strategy=s["strategy"])
write_json(snakemake.output[0], split)
log.info("train %d, test %d", sum(len(t["train"]) for t in split["topics"].values()),
         sum(len(t["test"]) for t in split["topics"].values()))
finish(snakemake)
