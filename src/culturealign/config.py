"""Config validation: the JSON schema (with defaults filled in), then the cross-references the schema
cannot express. Every error is one message naming the key and the valid values."""

from __future__ import annotations

from importlib import resources

import jsonschema
import yaml

from .engine import BACKENDS
from .methods import ADAPTER_METHODS, METHODS
from .norms import NORM_METHODS
from .wvs import COUNTRIES, TOPIC_NAMES


class ConfigError(ValueError):
    pass


def schema() -> dict:
    return yaml.safe_load((resources.files("culturealign") / "schemas" / "config.schema.yaml").read_text())


def _with_defaults(validator_class):
    validate_properties = validator_class.VALIDATORS["properties"]

    def set_defaults(validator, properties, instance, schema):
        if isinstance(instance, dict):
            for name, sub in properties.items():
                if "default" in sub and name not in instance:
                    instance[name] = yaml.safe_load(yaml.safe_dump(sub["default"]))
        yield from validate_properties(validator, properties, instance, schema)

    return jsonschema.validators.extend(validator_class, {"properties": set_defaults})


def _key(path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _message(error: jsonschema.ValidationError, what: str = "config key") -> str:
    """One line naming the key (`what` says whose: the config's, a recipe's) and the valid values."""
    key = _key(error.absolute_path)
    if error.validator == "enum":
        return f"{what} '{key}': {error.instance!r} is not valid; valid values: {error.validator_value}"
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        return f"{what} '{key}': {error.message}; valid keys: {allowed}"
    return f"{what} '{key}': {error.message}"


def validate_config(config: dict) -> dict:
    """Validate `config` in place (defaults filled in) and return it; raise ConfigError."""
    validator = _with_defaults(jsonschema.Draft7Validator)(schema())
    errors = sorted(validator.iter_errors(config), key=lambda e: (len(e.absolute_path), str(e.absolute_path)))
    if errors:
        best = jsonschema.exceptions.best_match(errors)
        raise ConfigError(_message(best))
    models = config["models"]
    evaluation = config["evaluation"]
    if not evaluation["models"]:
        evaluation["models"] = list(models)
    for i, model in enumerate(evaluation["models"]):
        if model not in models:
            raise ConfigError(f"config key 'evaluation.models[{i}]': unknown model {model!r}; "
                              f"valid: {sorted(models)}")
    for i, method in enumerate(evaluation["methods"]):
        if method not in METHODS:
            raise ConfigError(f"config key 'evaluation.methods[{i}]': unknown method {method!r}; "
                              f"valid: {sorted(METHODS)}")
    for model, spec in models.items():
        if spec["backend"] not in BACKENDS:
            raise ConfigError(f"config key 'models.{model}.backend': unknown backend {spec['backend']!r}; "
                              f"valid: {sorted(BACKENDS)}")
    if not evaluation["topics"]:
        evaluation["topics"] = sorted(TOPIC_NAMES)
    _resolve_finetune(config)
    _resolve_norms(config)
    return config


def _check_countries(key: str, countries: list[str], valid) -> None:
    for i, country in enumerate(countries):
        if country not in valid:
            raise ConfigError(f"config key '{key}[{i}]': {country!r} is not valid; valid values: {sorted(valid)}")


def _resolve_finetune(config: dict) -> None:
    from .cdeval import HOFSTEDE_CODES

    ft, ev, cd, t6 = config["finetune"], config["evaluation"], config["cdeval"], config["table6"]
    ft["models"] = ft["models"] or list(ev["models"])
    ft["topics"] = ft["topics"] or list(ev["topics"])
    _check_models("finetune.models", ft["models"], config["models"])
    ft["countries"] = ft["countries"] or list(config["countries"])
    _check_countries("finetune.countries", ft["countries"], COUNTRIES)
    _check_countries("cdeval.countries", cd["countries"], HOFSTEDE_CODES)
    for method in ft["recipes"]:
        if method not in ADAPTER_METHODS:
            raise ConfigError(f"config key 'finetune.recipes.{method}': not a fine-tuning method; "
                              f"valid: {sorted(ADAPTER_METHODS)}")
    if ft["per_country"]:
        wanted = set(config["countries"]) | set(cd["countries"])
        missing = sorted(wanted - set(ft["countries"]))
        if missing:
            raise ConfigError(f"config key 'finetune.countries': finetune.per_country is true, so every evaluated "
                              f"country needs its own adapter, but {missing} are not trained")
    if t6["country"] not in config["countries"]:
        raise ConfigError(f"config key 'table6.country': {t6['country']!r} is not evaluated; valid values: "
                          f"{config['countries']}")
    if t6["seed"] not in config["seeds"]:
        raise ConfigError(f"config key 'table6.seed': {t6['seed']} is not in seeds {config['seeds']}")


def adapter_methods_needed(config: dict, model: str) -> list[str]:
    """Fine-tuning methods some target needs for `model` (CNCA-DPO starts from CNCA-SFT)."""
    ft, ev = config["finetune"], config["evaluation"]
    need = set()
    if model in ev["models"]:
        need |= {m for m in ev["methods"] if m in ADAPTER_METHODS}
    if model in ft["models"]:
        need |= set(ft["methods"]) | {m for m in config["cdeval"]["methods"] if m in ADAPTER_METHODS}
        need |= {m for m in config["table6"]["methods"] if m in ADAPTER_METHODS}
    if "cnca-dpo" in need:
        need.add("cnca-sft")
    return sorted(need)


def _check_models(key: str, ids: list[str], models: dict) -> None:
    for i, model in enumerate(ids):
        if model not in models:
            raise ConfigError(f"config key '{key}[{i}]': unknown model {model!r}; valid: {sorted(models)}")


def miner_for(choice: str, model: str) -> str:
    """`self` means the evaluated model mines its own norms."""
    return model if choice in ("self", "") else choice


def required_norms(config: dict) -> list[tuple[str, str, str, str]]:
    """Every (miner, mining, country) a configured target needs, with the reason."""
    ev, fig, nc = config["evaluation"], config["figures"], config["norms"]
    need = []
    for model in ev["models"]:
        for method in ev["methods"]:
            if method in NORM_METHODS:
                miner = miner_for(nc["table_miner"], model)
                need += [(miner, NORM_METHODS[method], c, f"method {method!r} of model {model!r}")
                         for c in config["countries"]]
    for model in fig["figure4_models"]:
        miner = miner_for(nc["table_miner"], model)
        need += [(miner, m, c, f"Figure 4 (model {model!r})") for m in ("tq-ta", "tq-ra") for c in config["countries"]]
    for miner in fig["figure5_miners"]:
        need += [(miner, m, c, "Figure 5") for m in ("t", "tq-ta") for c in config["countries"]]
    for model in {m for pair in fig["table7_pairs"] for m in pair} or set(ev["models"]):
        miner = miner_for(fig["table7_miner"], model)
        need += [(miner, "tq-ta", c, f"Table 7 (model {model!r})") for c in config["countries"]]
    t1 = fig["table1"]
    need.append((t1["miner"], t1["mining"], t1["country"], "Table 1"))
    ft = config["finetune"]
    for model in dict.fromkeys(ev["models"] + ft["models"]):
        if "cnca-sft" in adapter_methods_needed(config, model):
            miner = miner_for(ft["norms_miner"], model)
            need += [(miner, "tq-ta", c, f"CNCA-SFT distillation of model {model!r}") for c in ft["countries"]]
    return need


def _resolve_norms(config: dict) -> None:
    models, ev, nc, fig = config["models"], config["evaluation"], config["norms"], config["figures"]
    nc["miners"] = nc["miners"] or list(ev["models"])
    nc["countries"] = nc["countries"] or list(dict.fromkeys(config["countries"] + config["finetune"]["countries"]))
    _check_models("norms.miners", nc["miners"], models)
    for i, country in enumerate(nc["countries"]):
        if country not in COUNTRIES:
            raise ConfigError(f"config key 'norms.countries[{i}]': {country!r} is not valid; valid values: "
                              f"{sorted(COUNTRIES)}")
    if config["finetune"]["norms_miner"] != "self":
        _check_models("finetune.norms_miner", [config["finetune"]["norms_miner"]], models)
    if nc["table_miner"] != "self":
        _check_models("norms.table_miner", [nc["table_miner"]], models)
    fig["figure4_models"] = fig["figure4_models"] or list(ev["models"])
    fig["figure5_miners"] = fig["figure5_miners"] or list(nc["miners"])
    fig["figure5_evaluators"] = fig["figure5_evaluators"] or list(ev["models"])
    fig["table1"]["miner"] = fig["table1"]["miner"] or nc["miners"][0]
    for key in ("figure4_models", "figure5_miners", "figure5_evaluators"):
        _check_models(f"figures.{key}", fig[key], models)
    for i, pair in enumerate(fig["table7_pairs"]):
        _check_models(f"figures.table7_pairs[{i}]", pair, models)
    if fig["table1"]["country"] not in COUNTRIES:
        raise ConfigError(f"config key 'figures.table1.country': {fig['table1']['country']!r} is not valid; "
                          f"valid values: {sorted(COUNTRIES)}")
    mined = {(m, k, c) for m in nc["miners"] for k in nc["mining"] for c in nc["countries"]}
    for miner, mining, country, reason in required_norms(config):
        if (miner, mining, country) not in mined:
            raise ConfigError(
                f"{reason} needs norms mined by {miner!r} with {mining!r} for country {country!r}, but the config "
                f"does not mine that (miner, country) pair: norms.miners={nc['miners']}, "
                f"norms.mining={nc['mining']}, norms.countries={nc['countries']}")
