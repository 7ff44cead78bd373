# Cluster resources of the model rules, from the model's config (params_b, gpus); memory and
# runtime grow with each retry. Partition, account and GPU model are the user's (profiles/slurm).


# A job whose model is an OpenAI-compatible endpoint (CAReDiO's generator) needs no GPU: it only talks to it.
ENDPOINT_JOB_MODEL = {"gpus": 0, "params_b": 0, "backend": "endpoint"}


def _job_model(wildcards):
    """The model a job runs: the evaluated model, the miner of a mining job, the scorer of CAReDiO's
    in-context selection, or the judge of a judging job; an endpoint's is ENDPOINT_JOB_MODEL.
    """
    name = next(
        wildcards.get(k)
        for k in ("scorer", "judge", "model", "miner")
        if wildcards.get(k) is not None
    )
    if name not in config["models"] and name in config["endpoints"]:
        return ENDPOINT_JOB_MODEL
    return config["models"][name]


def model_gpus(wildcards):
    return _job_model(wildcards)["gpus"]


def model_mem_mb(wildcards, attempt):
    # bf16 weights take 2 GB per billion parameters; loading holds up to twice that on the host.
    return max(4000, int(_job_model(wildcards)["params_b"] * 4 * 1024)) * attempt


def model_runtime(wildcards, attempt):
    # minutes: a generation job of a 14B model over one country's 194 test questions fits in 2 h.
    return int(30 + 6 * _job_model(wildcards)["params_b"]) * attempt


def train_mem_mb(wildcards, attempt):
    # LoRA training holds weights, activations and (DPO) a reference pass: twice a generation job.
    return 2 * model_mem_mb(wildcards, attempt)


def train_runtime(wildcards, attempt):
    return 2 * model_runtime(wildcards, attempt)


def inference_env(wildcards):
    """The conda env of a generation job: vLLM's for vllm models, else the transformers one."""
    backend = _job_model(wildcards)["backend"]
    return "../../envs/vllm.yaml" if backend == "vllm" else "../../envs/inference.yaml"


def cpus_per_gpu(wildcards):
    """CPU cores per GPU of a model job (SLURM --cpus-per-gpu; tokenisation, data loading, vLLM's
    scheduler): config cluster.cpus_per_gpu, 8 by default. The SLURM plugin ignores it for a job
    without GPUs (an endpoint job): it asks --cpus-per-task=threads."""
    return config["cluster"]["cpus_per_gpu"]


# The one place the resources of every model job come from (in each of the three papers); a job
# that loads a model to generate or score with it, and a training job (more memory and time).
MODEL_JOB = {
    "gpu": model_gpus,
    "mem_mb": model_mem_mb,
    "runtime": model_runtime,
    "cpus_per_gpu": cpus_per_gpu,
}
TRAIN_JOB = {**MODEL_JOB, "mem_mb": train_mem_mb, "runtime": train_runtime}
