# Runs first: validate the config against the schema (defaults filled in), check the vendored
# survey files before anything reads them, then the input functions and wildcard constraints.
import sys
from pathlib import Path

sys.path.insert(0, str(Path(workflow.basedir) / "src"))

from snakemake.exceptions import WorkflowError

from culturealign.checksums import ChecksumError, verify_sha256sums
from culturealign.config import ConfigError, validate_config

try:
    validate_config(config)
except ConfigError as exc:
    raise WorkflowError(f"invalid configuration: {exc}") from None

WVS_SUMS = "resources/wvs/SHA256SUMS"
try:
    # A swapped survey file stops the run here, before any job (and any model) starts.
    verify_sha256sums(Path(workflow.basedir) / WVS_SUMS)
except ChecksumError as exc:
    raise WorkflowError(str(exc)) from None

MODELS = config["models"]
COUNTRIES = config["countries"]
SEEDS = config["seeds"]
EVAL_MODELS = config["evaluation"]["models"]
EVAL_METHODS = config["evaluation"]["methods"]


wildcard_constraints:
    model="[A-Za-z0-9._-]+",
    method="[a-z0-9-]+",
    country="[A-Z]{3}",
    seed="[0-9]+",


def model_spec(wildcards):
    return MODELS[wildcards.model]


def model_manifest(wildcards):
    return f"results/models/{wildcards.model}/manifest.json"


def prediction_files(wildcards):
    return expand(
        "results/predictions/{model}/{method}/{country}/seed{seed}.jsonl",
        model=wildcards.model,
        method=wildcards.method,
        country=COUNTRIES,
        seed=SEEDS,
    )


def table3_scores(wildcards):
    return expand(
        "results/scores/{model}/{method}.csv", model=EVAL_MODELS, method=EVAL_METHODS
    )
