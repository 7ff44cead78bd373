import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
from pathlib import Path

from culturealign.checksums import verify_sha256sums
from culturealign.io import write_json
from culturealign.jobs import finish, start
from culturealign.wvs import COUNTRIES, normalise

log = start(snakemake)
sums = verify_sha256sums(snakemake.input.sums)
data = normalise(Path(snakemake.input.sums).parent, list(COUNTRIES))
data["source_sha256"] = sums
write_json(snakemake.output[0], data)
log.info("%d questions, %d countries", len(data["questions"]), len(data["countries"]))
finish(snakemake)
