import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
from pathlib import Path

from culturealign.fetch import fetch_pinned
from culturealign.io import read_json, write_json
from culturealign.jobs import finish, start
from culturealign.papers.culturespa.released import read_released, topic_file
from culturealign.wvs import TOPIC_NAMES

log = start(snakemake)
r, topic_id = snakemake.params.released, int(snakemake.wildcards.topic)
name = topic_file(topic_id)
index = str(topic_id - 1)
if index not in r["sha256"]:
    raise KeyError(f"culturespa.generation.released.sha256 has no checksum for topic file {index} ({name})")
origin = fetch_pinned(r["url"].format(file=name), r["sha256"][index], str(Path(r["local"]) / name) if r["local"] else None,
                      snakemake.output.released, f"culturespa.generation.released (topic file {index})")
topic = read_released(read_json(snakemake.output.released), topic_id, TOPIC_NAMES[topic_id])
write_json(snakemake.output.topic, {**topic, "source": origin})
log.info("topic %d: %d released questions from %s", topic_id, len(topic["questions"]), origin)
finish(snakemake)
