"""JSON-schema validation with the schema's defaults filled in (as snakemake.utils.validate(...,
set_default=True) does), one-line error messages naming the key, and the recursive merge Snakemake
applies to config files. Used for the workflow config and for fine-tuning recipes alike."""

from __future__ import annotations

import copy
import functools
from importlib import resources

import jsonschema
import yaml


class ConfigError(ValueError):
    """A config value that is not valid; the message names the key and the valid values."""


def load_schema(package: str, name: str) -> dict:
    """schemas/<name>.schema.yaml of `package` (a copy: callers may change it)."""
    return copy.deepcopy(_parsed_schema(package, name))


@functools.lru_cache(maxsize=None)
def _parsed_schema(package: str, name: str) -> dict:
    # parsed once per process (every recipe validation reads the recipe schema), with libyaml's loader
    # where PyYAML has it: the workflow's dry-run parses these at start-up
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load((resources.files(package) / "schemas" / f"{name}.schema.yaml").read_text(encoding="utf-8"),
                     Loader=loader)


def validator_with_defaults(schema: dict):
    """A Draft-7 validator that fills in every property's `default` where the instance lacks it."""
    base = jsonschema.Draft7Validator
    validate_properties = base.VALIDATORS["properties"]

    def set_defaults(validator, properties, instance, sub_schema):
        if isinstance(instance, dict):
            for name, sub in properties.items():
                if "default" in sub and name not in instance:
                    instance[name] = copy.deepcopy(sub["default"])
        yield from validate_properties(validator, properties, instance, sub_schema)

    return jsonschema.validators.extend(base, {"properties": set_defaults})(schema)


def key_name(path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def error_message(error: jsonschema.ValidationError, what: str = "config key") -> str:
    """One line naming the key (`what` says whose: the config's, a recipe's) and the valid values."""
    key = key_name(error.absolute_path)
    if error.validator == "enum":
        return f"{what} '{key}': {error.instance!r} is not valid; valid values: {error.validator_value}"
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        return f"{what} '{key}': {error.message}; valid keys: {allowed}"
    return f"{what} '{key}': {error.message}"


def first_error(validator, instance, what: str = "config key") -> str | None:
    """The message of the most relevant error of `instance` (defaults filled in as a side effect)."""
    errors = list(validator.iter_errors(instance))
    return error_message(jsonschema.exceptions.best_match(errors), what) if errors else None


def merge(base: dict, overrides: dict) -> dict:
    """`base` with `overrides` merged in, key by key (nested mappings merged, other values replaced),
    as Snakemake merges config files."""
    out = dict(base)
    for key, value in overrides.items():
        out[key] = merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out
