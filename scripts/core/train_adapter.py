import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
from pathlib import Path

from culturealign.training import determinism, skip_adapter, train_adapter
from culturealign.io import read_json, read_jsonl
from culturealign.jobs import finish, start

log = start(snakemake)
manifest = read_json(snakemake.input.manifest)
w = snakemake.wildcards
provenance = {"model": w.model, "scope": getattr(w, "scope", None) or getattr(w, "culture", None),
              "base_weights_sha256": manifest.get("weights_sha256")}
if snakemake.params.get("on_empty") == "skip" and not read_jsonl(snakemake.input.data):
    # the config allows it (CultureSPA finetune.on_empty: skip): a directory that says so, no weights
    skip_adapter(snakemake.output[0], f"empty training set {snakemake.input.data}", provenance)
    log.warning("adapter skipped: empty training set %s", snakemake.input.data)
    finish(snakemake, determinism="deterministic: nothing trained (empty training set)")
    sys.exit(0)
metrics = train_adapter(
    recipe=snakemake.params.recipe, model_dir=str(Path(snakemake.input.manifest).parent / "weights"),
    data_path=snakemake.input.data, out_dir=snakemake.output[0],
    init_adapter=snakemake.input.init if snakemake.input.get("init") else None, threads=snakemake.threads,
    provenance=provenance,
)
log.info("samples/s %s, peak RSS %s MB", metrics["samples_per_second"], metrics["peak_rss_mb"])
finish(snakemake, determinism=determinism())
