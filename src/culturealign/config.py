"""Config validation: the JSON schema (with defaults filled in), then the cross-references the schema
cannot express. Every error is one message naming the key and the valid values."""

from __future__ import annotations

from importlib import resources

import jsonschema
import yaml

from .engine import BACKENDS
from .methods import METHODS


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


def _message(error: jsonschema.ValidationError) -> str:
    key = _key(error.absolute_path)
    if error.validator == "enum":
        return f"config key '{key}': {error.instance!r} is not valid; valid values: {error.validator_value}"
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        return f"config key '{key}': {error.message}; valid keys: {allowed}"
    return f"config key '{key}': {error.message}"


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
    return config
