# Runs first: validate the config against the schema (defaults filled in, cross-references
# checked), check the vendored survey files before anything reads them, then the input functions
# and wildcard constraints.
import hashlib
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(workflow.basedir) / "src"))

from snakemake.exceptions import WorkflowError

from culturealign.checksums import ChecksumError, verify_sha256sums
from culturealign.config import ConfigError, miner_for, validate_config
from culturealign.finetune import RecipeError, load_recipe
from culturealign.methods import ADAPTER_METHODS, METHODS
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

FINETUNE = config["finetune"]
CDEVAL = config["cdeval"]

# The config every report caption names: the files it was read from and a digest of the merged
# config (schema defaults filled in), the one each lineage record carries as config.sha256.
CONFIG_ID = {
    "files": [os.path.relpath(f) for f in workflow.configfiles],
    "sha256": hashlib.sha256(
        json.dumps(config, sort_keys=True, default=str).encode()
    ).hexdigest(),
}


def recipe_path(method):
    return FINETUNE["recipes"].get(method, f"recipes/{method}.yaml")


try:
    # Every recipe a target may need is validated before any job starts (the error names file and key).
    RECIPES = {
        m: load_recipe(
            Path(workflow.basedir) / recipe_path(m), FINETUNE["recipe_overrides"]
        )
        for m in ADAPTER_METHODS
    }
except RecipeError as exc:
    raise WorkflowError(f"invalid fine-tuning recipe: {exc}") from None

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
    variant="cot|cnca",
    scope="all|[A-Z]{3}",


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


def adapter_scope(country):
    return country if FINETUNE["per_country"] else "all"


def adapter_dir(model, method, country):
    return f"results/adapters/{model}/{method}/{adapter_scope(country)}"


def adapter_input(wildcards):
    """The LoRA adapter a WVS prediction job applies (none for prompt-only methods)."""
    if wildcards.method not in ADAPTER_METHODS:
        return []
    return adapter_dir(wildcards.model, wildcards.method, wildcards.country)


def cdeval_adapters(wildcards):
    if wildcards.method not in ADAPTER_METHODS:
        return []
    return sorted(
        {adapter_dir(wildcards.model, wildcards.method, c) for c in CDEVAL["countries"]}
    )


def eval_max_new_tokens(wildcards):
    """Adapters trained on reasoning chains need room for the chain before the answer."""
    spec = MODELS[wildcards.model]
    if (
        wildcards.method in ADAPTER_METHODS
        and RECIPES[wildcards.method]["data"] != "answer"
        and FINETUNE["eval_max_new_tokens"]
    ):
        return FINETUNE["eval_max_new_tokens"]
    return spec["max_new_tokens"]


def mining_topics(wildcards):
    """Topics mined: the evaluated ones; CNCA-TQ (TA) also covers the topics trained on, whose
    low-level norms go into the CNCA-SFT distillation prompt."""
    topics = set(config["evaluation"]["topics"])
    if wildcards.mining == "tq-ta":
        topics |= set(FINETUNE["topics"])
    return sorted(topics)


def distill_norms(wildcards):
    if wildcards.variant != "cnca":
        return []
    miner = miner_for(FINETUNE["norms_miner"], wildcards.model)
    return f"results/norms/{miner}/tq-ta/{wildcards.country}.json"


def scope_countries(scope):
    return FINETUNE["countries"] if scope == "all" else [scope]


def training_sources(wildcards):
    """What a training set is built from: distilled chains, DPO pairs, or nothing (ground truth)."""
    data = RECIPES[wildcards.method]["data"]
    countries = scope_countries(wildcards.scope)
    if data == "answer":
        return []
    if data == "dpo":
        return expand(
            "results/dpo/{model}/{country}.jsonl",
            model=wildcards.model,
            country=countries,
        )
    return expand(
        "results/distill/{model}/{variant}/{country}.jsonl",
        model=wildcards.model,
        variant=data,
        country=countries,
    )


def init_adapter(wildcards):
    init = RECIPES[wildcards.method]["init"]
    if init == "base":
        return []
    return f"results/adapters/{wildcards.model}/{init}/{wildcards.scope}"


def dpo_adapter(wildcards):
    """CNCA-DPO samples the CNCA-SFT model (its adapter for the country's scope)."""
    return adapter_dir(wildcards.model, "cnca-sft", wildcards.country)


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


def train_mem_mb(wildcards, attempt):
    # LoRA training holds weights, activations and (DPO) a reference pass: twice a generation job.
    return 2 * model_mem_mb(wildcards, attempt)


def train_runtime(wildcards, attempt):
    return 2 * model_runtime(wildcards, attempt)


def model_gpus(wildcards):
    return _job_model(wildcards)["gpus"]


def model_mem_mb(wildcards, attempt):
    # bf16 weights take 2 GB per billion parameters; loading holds up to twice that on the host.
    return max(4000, int(_job_model(wildcards)["params_b"] * 4 * 1024)) * attempt


def model_runtime(wildcards, attempt):
    # minutes: a generation job of a 14B model over one country's 194 test questions fits in 2 h.
    return int(30 + 6 * _job_model(wildcards)["params_b"]) * attempt


localrules:
    resolved_config,
    wvs_questions,
    cnca_split,
    score,
    score_with_norms,
    table3,
    table7,
    table1,
    figure4,
    figure5,
    cdeval_data,
    cdeval_score,
    training_data,
    table4,
    table5,
    table6,
    lineage,


def inference_env(wildcards):
    """The conda env of a generation job: vLLM's for vllm models, else the transformers one."""
    backend = _job_model(wildcards)["backend"]
    return "../envs/vllm.yaml" if backend == "vllm" else "../envs/inference.yaml"


def table4_rows():
    return [
        (m, k) for m in FINETUNE["models"] for k in ["vanilla", *FINETUNE["methods"]]
    ]


def table4_scores(wildcards):
    return [score_path(m, k) for m, k in table4_rows()]


def table5_rows():
    return [(m, k) for m in FINETUNE["models"] for k in CDEVAL["methods"]]


def table5_scores(wildcards):
    return [f"results/cdeval/scores/{m}/{k}.json" for m, k in table5_rows()]


def table6_predictions(wildcards):
    t6 = config["table6"]
    return [
        f"results/predictions/{m}/{k}/{t6['country']}/seed{t6['seed']}.jsonl"
        for m in FINETUNE["models"]
        for k in t6["methods"]
    ]
