"""JSON-schema validation with the schema's defaults filled in (snakemake.utils.validate(...,
set_default=True) itself), one-line error messages naming the key, and the recursive merge Snakemake
applies to config files. Used for the workflow config and for fine-tuning recipes alike."""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import os
import tempfile
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


def _schema_file(schema: dict) -> str:
    """The schema as a JSON file (snakemake.utils.validate reads a path): one per distinct schema, in
    the temporary directory, written once and atomically."""
    text = json.dumps(schema, sort_keys=True)
    path = os.path.join(tempfile.gettempdir(), f"culturealign-schema-{hashlib.sha256(text.encode()).hexdigest()[:16]}.json")
    if not os.path.exists(path):
        handle, tmp = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".json")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, path)
    return path


def validate_with_defaults(instance: dict, schema: dict, what: str = "config key") -> str | None:
    """Validate `instance` in place, every missing key with a `default` filled in, with
    snakemake.utils.validate(..., set_default=True); None when valid, else one line naming the key and
    what would be valid (the most relevant of jsonschema's errors)."""
    from snakemake.exceptions import WorkflowError
    from snakemake.utils import validate

    try:
        validate(instance, _schema_file(schema), set_default=True)
    except WorkflowError:
        errors = list(jsonschema.Draft202012Validator(schema).iter_errors(instance))
        return error_message(jsonschema.exceptions.best_match(errors), what) if errors else "invalid"
    # Snakemake fills a default in by reference: keys of one map (models.<name>) would share one list
    for key, value in json.loads(json.dumps(instance)).items():
        instance[key] = value
    return None


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


def merge(base: dict, overrides: dict) -> dict:
    """`base` with `overrides` merged in, key by key (nested mappings merged, other values replaced),
    as Snakemake merges config files."""
    out = dict(base)
    for key, value in overrides.items():
        out[key] = merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out
