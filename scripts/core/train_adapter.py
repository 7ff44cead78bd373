import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
from pathlib import Path

from culturealign.training import train_adapter
from culturealign.io import read_json
from culturealign.jobs import finish, start

log = start(snakemake)
manifest = read_json(snakemake.input.manifest)
metrics = train_adapter(
    recipe=snakemake.params.recipe, model_dir=str(Path(snakemake.input.manifest).parent / "weights"),
    data_path=snakemake.input.data, out_dir=snakemake.output[0],
    init_adapter=snakemake.input.init if snakemake.input.get("init") else None, threads=snakemake.threads,
    provenance={"model": snakemake.wildcards.model, "scope": snakemake.wildcards.scope,
                "base_weights_sha256": manifest.get("weights_sha256")},
)
log.info("samples/s %s, peak RSS %s MB", metrics["samples_per_second"], metrics["peak_rss_mb"])
finish(snakemake)
