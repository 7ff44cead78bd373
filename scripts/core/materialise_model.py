import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)

from culturealign.models import DETERMINISM, materialise
from culturealign.jobs import finish, start

log = start(snakemake)
manifest = materialise(snakemake.wildcards.model, snakemake.params.spec, snakemake.output.weights,
                       snakemake.output.manifest)
log.info("weights %s", manifest["weights_sha256"])
finish(snakemake, determinism=DETERMINISM)
