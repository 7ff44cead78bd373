"""CNCA's experiment grid from its config section (`cnca`): the rows of every table and figure, the
files they are made from, the adapters and norms they need, and the resolution and cross-checks of
the section (one place for the sentinels `[]` = "all" and `self` = "the model itself").

Every function takes the section as a mapping, so the workflow can pass a view that records which
keys were read (culturealign.configview): the lineage record of a job then lists exactly the config
values its inputs and params came from.
"""

from __future__ import annotations

from ...schema import ConfigError
from ...wvs import COUNTRIES, TOPIC_NAMES
from . import artifacts as paths
from .cdeval import HOFSTEDE_CODES
from .methods import ADAPTER_LABELS
from .norms import NORM_METHODS

SECTION = "cnca"
# Figure 4 compares these two; Figure 5 and Table 7 use CNCA-T and CNCA-TQ (TA) (the paper's choice).
FIGURE4_METHODS = ("cnca-tq-ta", "cnca-tq-ra")
FIGURE5_METHODS = ("cnca-t", "cnca-tq-ta")


def miner_for(choice: str, model: str) -> str:
    """`self` means the evaluated model mines its own norms."""
    return model if choice == "self" else choice


# --- paths ----------------------------------------------------------------------------------------


def score_path(c, model: str, method: str, miner: str | None = None, n_low: int | None = None) -> str:
    """The score file of (model, method); norm methods also name the miner and the number of
    low-level norms given (default: the table miner, all m norms)."""
    if method not in NORM_METHODS:
        return paths.SCORE.format(model=model, method=method)
    miner = miner or miner_for(c["norms"]["table_miner"], model)
    return paths.NORM_SCORE.format(model=model, method=method, miner=miner, n_low=n_low or c["norms"]["m"])


def adapter_scope(c, country: str) -> str:
    return country if c["finetune"]["per_country"] else "all"


def adapter_dir(c, model: str, method: str, country: str) -> str:
    return paths.ADAPTER.format(model=model, method=method, scope=adapter_scope(c, country))


def scope_countries(c, scope: str) -> list[str]:
    return list(c["finetune"]["countries"]) if scope == "all" else [scope]


# --- rows of the tables and figures ---------------------------------------------------------------


def table3_rows(c) -> list[tuple[str, str]]:
    return [(model, method) for model in c["evaluation"]["models"] for method in c["evaluation"]["methods"]]


def table4_rows(c) -> list[tuple[str, str]]:
    return [(model, method) for model in c["finetune"]["models"] for method in ["vanilla", *c["finetune"]["methods"]]]


def table5_rows(c) -> list[tuple[str, str]]:
    return [(model, method) for model in c["finetune"]["models"] for method in c["cdeval"]["methods"]]


def table6_rows(c) -> list[tuple[str, str]]:
    return [(model, method) for model in c["finetune"]["models"] for method in c["table6"]["methods"]]


def table7_models(c) -> list[str]:
    pairs = c["figures"]["table7_pairs"] or [[m] for m in c["evaluation"]["models"]]
    return [m for pair in pairs for m in pair]


def table7_rows(c) -> list[tuple[str, str, str]]:
    return [(model, method, miner_for(c["figures"]["table7_miner"], model))
            for model in table7_models(c) for method in ("vanilla", "cnca-tq-ta")]


def figure4_rows(c) -> list[tuple[str, str, int]]:
    return [(model, method, n_low) for model in c["figures"]["figure4_models"] for method in FIGURE4_METHODS
            for n_low in c["figures"]["figure4_norm_counts"]]


def figure5_rows(c) -> list[tuple[str, str, str]]:
    return [(evaluator, method, miner) for method in FIGURE5_METHODS for evaluator in c["figures"]["figure5_evaluators"]
            for miner in c["figures"]["figure5_miners"]]


def adapter_methods_needed(c, model: str) -> list[str]:
    """Fine-tuning methods some target needs for `model` (CNCA-DPO starts from CNCA-SFT)."""
    ft, ev = c["finetune"], c["evaluation"]
    need = set()
    if model in ev["models"]:
        need |= {m for m in ev["methods"] if m in ADAPTER_LABELS}
    if model in ft["models"]:
        need |= set(ft["methods"]) | {m for m in c["cdeval"]["methods"] if m in ADAPTER_LABELS}
        need |= {m for m in c["table6"]["methods"] if m in ADAPTER_LABELS}
    if "cnca-dpo" in need:
        need.add("cnca-sft")
    return sorted(need)


def required_norms(c) -> list[tuple[str, str, str, str]]:
    """Every (miner, mining, country) the configured tables and figures need, with the reason: the
    same rows the workflow builds its targets from."""
    countries = c["countries"]
    need = [(miner_for(c["norms"]["table_miner"], model), NORM_METHODS[method], country,
             f"method {method!r} of model {model!r}")
            for model, method in table3_rows(c) if method in NORM_METHODS for country in countries]
    need += [(miner_for(c["norms"]["table_miner"], model), NORM_METHODS[method], country,
              f"Figure 4 (model {model!r})") for model, method, _ in figure4_rows(c) for country in countries]
    need += [(miner, NORM_METHODS[method], country, "Figure 5")
             for _, method, miner in figure5_rows(c) for country in countries]
    need += [(miner, "tq-ta", country, f"Table 7 (model {model!r})")
             for model, method, miner in table7_rows(c) if method == "cnca-tq-ta" for country in countries]
    t1 = c["figures"]["table1"]
    need.append((t1["miner"], t1["mining"], t1["country"], "Table 1"))
    for model in dict.fromkeys(list(c["evaluation"]["models"]) + list(c["finetune"]["models"])):
        if "cnca-sft" in adapter_methods_needed(c, model):
            miner = miner_for(c["finetune"]["norms_miner"], model)
            need += [(miner, "tq-ta", country, f"CNCA-SFT distillation of model {model!r}")
                     for country in c["finetune"]["countries"]]
    return need


# --- resolution and cross-checks ------------------------------------------------------------------


def _key(key: str) -> str:
    return f"config key '{SECTION}.{key}'"


def _check(key: str, values, valid, what: str = "is not valid") -> None:
    for i, value in enumerate(values):
        if value not in valid:
            raise ConfigError(f"{_key(f'{key}[{i}]')}: {value!r} {what}; valid values: {sorted(valid)}")


def resolve(config: dict) -> None:
    """Fill the section's "all" sentinels (`[]`) from the keys they refer to, in place, and check its
    cross-references (models, countries, miners, the norms every target needs)."""
    c, models = config[SECTION], config["models"]
    ev, ft, nc, fig, cd, t6 = (c[k] for k in ("evaluation", "finetune", "norms", "figures", "cdeval", "table6"))
    ev["models"] = ev["models"] or list(models)
    ev["topics"] = ev["topics"] or sorted(TOPIC_NAMES)
    ft["models"] = ft["models"] or list(ev["models"])
    ft["topics"] = ft["topics"] or list(ev["topics"])
    ft["countries"] = ft["countries"] or list(c["countries"])
    nc["miners"] = nc["miners"] or list(ev["models"])
    nc["countries"] = nc["countries"] or list(dict.fromkeys(list(c["countries"]) + list(ft["countries"])))
    fig["figure4_models"] = fig["figure4_models"] or list(ev["models"])
    fig["figure5_miners"] = fig["figure5_miners"] or list(nc["miners"])
    fig["figure5_evaluators"] = fig["figure5_evaluators"] or list(ev["models"])
    fig["table1"]["miner"] = fig["table1"]["miner"] or nc["miners"][0]
    for key, ids in [("evaluation.models", ev["models"]), ("finetune.models", ft["models"]),
                     ("norms.miners", nc["miners"]), ("figures.figure4_models", fig["figure4_models"]),
                     ("figures.figure5_miners", fig["figure5_miners"]),
                     ("figures.figure5_evaluators", fig["figure5_evaluators"]),
                     *[(f"figures.table7_pairs[{i}]", pair) for i, pair in enumerate(fig["table7_pairs"])]]:
        _check(key, ids, models, "is not a model of `models`")
    for key, choice in [("norms.table_miner", nc["table_miner"]), ("figures.table7_miner", fig["table7_miner"]),
                        ("finetune.norms_miner", ft["norms_miner"])]:
        if choice != "self":
            _check(key, [choice], models, "is not a model of `models`")
    _check("finetune.countries", ft["countries"], COUNTRIES)
    _check("norms.countries", nc["countries"], COUNTRIES)
    _check("cdeval.countries", cd["countries"], HOFSTEDE_CODES)
    _check("figures.table1.country", [fig["table1"]["country"]], COUNTRIES)
    for method in ft["recipes"]:
        if method not in ADAPTER_LABELS:
            raise ConfigError(f"{_key(f'finetune.recipes.{method}')}: not a fine-tuning method; valid: "
                              f"{sorted(ADAPTER_LABELS)}")
    if ft["per_country"]:
        missing = sorted((set(c["countries"]) | set(cd["countries"])) - set(ft["countries"]))
        if missing:
            raise ConfigError(f"{_key('finetune.countries')}: finetune.per_country is true, so every evaluated "
                              f"country needs its own adapter, but {missing} are not trained")
    if t6["country"] not in c["countries"]:
        raise ConfigError(f"{_key('table6.country')}: {t6['country']!r} is not evaluated; valid values: "
                          f"{c['countries']}")
    if t6["seed"] not in c["seeds"]:
        raise ConfigError(f"{_key('table6.seed')}: {t6['seed']} is not in seeds {c['seeds']}")
    mined = {(m, k, country) for m in nc["miners"] for k in nc["mining"] for country in nc["countries"]}
    for miner, mining, country, reason in required_norms(c):
        if (miner, mining, country) not in mined:
            raise ConfigError(
                f"{reason} needs norms mined by {miner!r} with {mining!r} for country {country!r}, but the config "
                f"does not mine that (miner, country) pair: {SECTION}.norms.miners={nc['miners']}, "
                f"{SECTION}.norms.mining={nc['mining']}, {SECTION}.norms.countries={nc['countries']}")
