import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)

from culturealign.io import write_json
from culturealign.jobs import finish, start

log = start(snakemake)
p = snakemake.params
write_json(snakemake.output[0], {"config_files": p.config_id["files"], "config_sha256": p.config_id["sha256"],
                                 "config": p.config, "recipes": p.recipes})
log.info("config %s (sha256 %s); recipes %s", " + ".join(p.config_id["files"]), p.config_id["sha256"][:16],
         ", ".join(sorted(p.recipes)))
finish(snakemake)
