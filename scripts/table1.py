import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../src")  # noqa: E702  (use the checkout's own code)
from pathlib import Path

from culturealign.tables import norms_markdown
from culturealign.workflow import finish, read_json, start

log = start(snakemake)
norms = read_json(snakemake.input[0])
name = snakemake.params.models[norms["miner"]].get("name", norms["miner"])
Path(snakemake.output[0]).write_text(norms_markdown(norms, snakemake.params.topic, name))
finish(snakemake)
