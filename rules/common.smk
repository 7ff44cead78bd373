# Runs first: validate the config against the schema (defaults filled in, cross-references
# checked), check the vendored survey files before anything reads them, then the input functions
# and wildcard constraints.
import sys
from pathlib import Path

sys.path.insert(0, str(Path(workflow.basedir) / "src"))

from snakemake.exceptions import WorkflowError

from culturealign.checksums import ChecksumError, verify_sha256sums
from culturealign.config import ConfigError, miner_for, validate_config
from culturealign.methods import METHODS
from culturealign.norms import NORM_METHODS

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
NORMS = config["norms"]
FIGURES = config["figures"]
M = NORMS["m"]
PLAIN_METHODS = "|".join(m for m in METHODS if m not in NORM_METHODS)
NORM_METHOD_RE = "|".join(NORM_METHODS)


wildcard_constraints:
    model="[A-Za-z0-9._-]+",
    miner="[A-Za-z0-9._-]+",
    method="[a-z0-9-]+",
    mining="t|tq-ta|tq-ra",
    country="[A-Z]{3}",
    seed="[0-9]+",
    k="[0-9]+",


def model_spec(wildcards):
    return MODELS[wildcards.model]


def miner_spec(wildcards):
    return MODELS[wildcards.miner]


def model_manifest(wildcards):
    return f"results/models/{wildcards.model}/manifest.json"


def miner_manifest(wildcards):
    return f"results/models/{wildcards.miner}/manifest.json"


def norms_file(wildcards):
    mining = NORM_METHODS[wildcards.method]
    return f"results/norms/{wildcards.miner}/{mining}/{wildcards.country}.json"


def prediction_files(wildcards):
    return expand(
        "results/predictions/{model}/{method}/{country}/seed{seed}.jsonl",
        model=wildcards.model,
        method=wildcards.method,
        country=COUNTRIES,
        seed=SEEDS,
    )


def norm_prediction_files(wildcards):
    return expand(
        "results/predictions/{model}/{method}/miner-{miner}/k{k}/{country}/seed{seed}.jsonl",
        model=wildcards.model,
        method=wildcards.method,
        miner=wildcards.miner,
        k=wildcards.k,
        country=COUNTRIES,
        seed=SEEDS,
    )


def score_path(model, method, miner=None, k=None):
    """The score file of (model, method); norm methods also name the miner and the number of
    low-level norms given (default: the table miner, all m norms)."""
    if method not in NORM_METHODS:
        return f"results/scores/{model}/{method}.csv"
    miner = miner or miner_for(NORMS["table_miner"], model)
    return f"results/scores/{model}/{method}/miner-{miner}/k{k or M}.csv"


def table3_rows():
    return [(m, k) for m in EVAL_MODELS for k in EVAL_METHODS]


def table3_scores(wildcards):
    return [score_path(m, k) for m, k in table3_rows()]


def figure4_rows():
    return [
        (model, method, k)
        for model in FIGURES["figure4_models"]
        for method in ("cnca-tq-ta", "cnca-tq-ra")
        for k in FIGURES["figure4_ks"]
    ]


def figure4_scores(wildcards):
    return [score_path(model, method, k=k) for model, method, k in figure4_rows()]


def figure5_rows():
    return [
        (evaluator, method, miner)
        for method in ("cnca-t", "cnca-tq-ta")
        for evaluator in FIGURES["figure5_evaluators"]
        for miner in FIGURES["figure5_miners"]
    ]


def figure5_scores(wildcards):
    return [score_path(ev, method, miner=miner) for ev, method, miner in figure5_rows()]


def table7_models():
    pairs = FIGURES["table7_pairs"] or [[m] for m in EVAL_MODELS]
    return [m for pair in pairs for m in pair]


def table7_rows():
    return [
        (model, method, miner_for(FIGURES["table7_miner"], model))
        for model in table7_models()
        for method in ("vanilla", "cnca-tq-ta")
    ]


def table7_scores(wildcards):
    return [
        score_path(model, method, miner=miner) for model, method, miner in table7_rows()
    ]


def table1_norms(wildcards):
    t1 = FIGURES["table1"]
    return f"results/norms/{t1['miner']}/{t1['mining']}/{t1['country']}.json"


# Cluster resources of the model rules, from the model's config (params_b, gpus); memory and
# runtime grow with each retry. Partition, account and GPU model are the user's (profiles/slurm).
def _job_model(wildcards):
    """The model a job runs: the evaluated model, or the miner of a mining job."""
    return MODELS[wildcards.get("model", wildcards.get("miner"))]


def model_gpus(wildcards):
    return _job_model(wildcards)["gpus"]


def model_mem_mb(wildcards, attempt):
    # bf16 weights take 2 GB per billion parameters; loading holds up to twice that on the host.
    return max(4000, int(_job_model(wildcards)["params_b"] * 4 * 1024)) * attempt


def model_runtime(wildcards, attempt):
    # minutes: a generation job of a 14B model over one country's 194 test questions fits in 2 h.
    return int(30 + 6 * _job_model(wildcards)["params_b"]) * attempt


localrules:
    wvs_questions,
    cnca_split,
    score,
    score_with_norms,
    table3,
    table7,
    table1,
    figure4,
    figure5,


def inference_env(wildcards):
    """The conda env of a generation job: vLLM's for vllm models, else the transformers one."""
    backend = _job_model(wildcards)["backend"]
    return "../envs/vllm.yaml" if backend == "vllm" else "../envs/inference.yaml"
