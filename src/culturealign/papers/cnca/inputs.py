"""The inputs of CNCA's jobs, as functions of (config, wildcards): the rules call them through
`config_input` (rules/common/config.smk), and the same functions, given a recording view of the
config, tell the lineage record which config keys decided a job's inputs."""

from __future__ import annotations

from . import artifacts as paths
from . import grid
from .norms import NORM_METHODS


def _c(cfg):
    return cfg[grid.SECTION]


def manifest(model: str) -> str:
    return f"results/models/{model}/manifest.json"


def model_manifest(cfg, w) -> str:
    return manifest(w.model)


def miner_manifest(cfg, w) -> str:
    return manifest(w.miner)


def norms_path(c, miner: str, mining: str, country: str, seed) -> str:
    """The norms a run with `seed` uses: its own (norms.per_seed) or the ones mined once."""
    if c["norms"]["per_seed"]:
        return paths.NORMS_PER_SEED.format(miner=miner, mining=mining, country=country, seed=seed)
    return paths.NORMS.format(miner=miner, mining=mining, country=country)


def norms_files(cfg, w) -> list[str]:
    """The norms a prediction job over every country reads, in the order of `countries`."""
    c = _c(cfg)
    return [norms_path(c, w.miner, NORM_METHODS[w.method], country, w.seed) for country in c["countries"]]


def prediction_files(cfg, w) -> list[str]:
    c = _c(cfg)
    return [paths.PREDICTION.format(model=w.model, method=w.method, country=country, seed=seed)
            for country in c["countries"] for seed in c["seeds"]]


def norm_prediction_files(cfg, w) -> list[str]:
    c = _c(cfg)
    return [paths.NORM_PREDICTION.format(model=w.model, method=w.method, miner=w.miner, n_low=w.n_low,
                                         country=country, seed=seed)
            for country in c["countries"] for seed in c["seeds"]]


def country_adapters(cfg, w, adapter_methods) -> dict[str, str | None]:
    """country -> the LoRA adapter a WVS prediction job applies for it (None: prompt-only methods)."""
    c = _c(cfg)
    if w.method not in adapter_methods:
        return {country: None for country in c["countries"]}
    return {country: grid.adapter_dir(c, w.model, w.method, country) for country in c["countries"]}


def adapter_inputs(cfg, w, adapter_methods) -> list[str]:
    """The adapters a prediction job over every country reads (one for all, or one per country)."""
    return sorted({a for a in country_adapters(cfg, w, adapter_methods).values() if a})


def cdeval_adapters(cfg, w, adapter_methods) -> list[str]:
    if w.method not in adapter_methods:
        return []
    c = _c(cfg)
    return sorted({grid.adapter_dir(c, w.model, w.method, country) for country in c["cdeval"]["countries"]})


def mining_topics(cfg, w) -> list[int]:
    """Topics mined: the evaluated ones; CNCA-TQ (TA) also covers the topics trained on, whose
    low-level norms go into the CNCA-SFT distillation prompt."""
    c = _c(cfg)
    topics = set(c["evaluation"]["topics"])
    if w.mining == "tq-ta":
        topics |= set(c["finetune"]["topics"])
    return sorted(topics)


def distill_norms(cfg, w) -> list[str] | str:
    if w.variant != "cnca":
        return []
    c = _c(cfg)
    miner = grid.miner_for(c["finetune"]["norms_miner"], w.model)
    seed = c["finetune"]["distill"]["seed"] if c["norms"]["per_seed"] else None  # per seed: the distillation's
    return norms_path(c, miner, "tq-ta", w.country, seed)


def training_sources(cfg, w, recipes) -> list[str]:
    """What a training set is built from: distilled chains, DPO pairs, or nothing (ground truth)."""
    data = recipes[w.method]["data"]
    countries = grid.scope_countries(_c(cfg), w.scope)
    if data == "answer":
        return []
    if data == "dpo":
        return [paths.DPO.format(model=w.model, country=country) for country in countries]
    return [paths.DISTILL.format(model=w.model, variant=data, country=country) for country in countries]


def init_adapter(cfg, w, recipes) -> list[str] | str:
    init = recipes[w.method]["init"]
    if init == "base":
        return []
    return paths.ADAPTER.format(model=w.model, method=init, scope=w.scope)


def dpo_adapter(cfg, w) -> str:
    """CNCA-DPO samples the CNCA-SFT model (its adapter for the country's scope)."""
    return grid.adapter_dir(_c(cfg), w.model, "cnca-sft", w.country)


def cdeval_predictions(cfg, w) -> list[str]:
    return [paths.CDEVAL_PREDICTION.format(model=w.model, method=w.method, seed=seed) for seed in _c(cfg)["seeds"]]


def table3_scores(cfg, w) -> list[str]:
    c = _c(cfg)
    return [grid.score_path(c, model, method) for model, method in grid.table3_rows(c)]


def table4_scores(cfg, w) -> list[str]:
    c = _c(cfg)
    return [grid.score_path(c, model, method) for model, method in grid.table4_rows(c)]


def table5_scores(cfg, w) -> list[str]:
    return [paths.CDEVAL_SCORE.format(model=model, method=method) for model, method in grid.table5_rows(_c(cfg))]


def table6_predictions(cfg, w) -> list[str]:
    c = _c(cfg)
    t6 = c["table6"]
    return [paths.PREDICTION.format(model=model, method=method, country=t6["country"], seed=t6["seed"])
            for model, method in grid.table6_rows(c)]


def table7_scores(cfg, w) -> list[str]:
    c = _c(cfg)
    return [grid.score_path(c, model, method, miner=miner) for model, method, miner in grid.table7_rows(c)]


def figure4_scores(cfg, w) -> list[str]:
    c = _c(cfg)
    return [grid.score_path(c, model, method, n_low=n_low) for model, method, n_low in grid.figure4_rows(c)]


def figure5_scores(cfg, w) -> list[str]:
    c = _c(cfg)
    return [grid.score_path(c, evaluator, method, miner=miner) for evaluator, method, miner in grid.figure5_rows(c)]


def table1_norms(cfg, w) -> str:
    c = _c(cfg)
    t1 = c["figures"]["table1"]
    seed = min(c["seeds"]) if c["norms"]["per_seed"] else None  # per seed: the first run's norms
    return norms_path(c, t1["miner"], t1["mining"], t1["country"], seed)


def eval_max_new_tokens(cfg, w, recipes, adapter_methods) -> int:
    """Adapters trained on reasoning chains need room for the chain before the answer."""
    if w.method in adapter_methods and recipes[w.method]["data"] != "answer":
        budget = _c(cfg)["finetune"]["eval_max_new_tokens"]
        if budget:
            return budget
    return cfg["models"][w.model]["max_new_tokens"]
