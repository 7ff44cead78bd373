"""The workflow's configuration: the schema (the shared keys, plus each paper's section with its own
schema; method enums from the method registry), validation with the schema's defaults filled in,
then each paper's resolution of its "all" sentinels and cross-references. Every error is one message
naming the key and the valid values."""

from __future__ import annotations

import copy
from pathlib import Path

import yaml

from . import leaderboard
from . import papers  # noqa: F401  (registers every paper's methods)
from .engine import BACKENDS
from .papers.caredio import grid as caredio_grid
from .papers.cnca import grid as cnca_grid
from .papers.culturespa import grid as culturespa_grid
from .registry import methods
from .schema import ConfigError, load_schema, merge, validate_with_defaults

__all__ = ["ConfigError", "PAPERS", "resolve_files", "schema", "validate_config"]

# Paper -> (its package, its resolver). Each paper's section is `config[<paper>]`.
PAPERS = {"cnca": ("culturealign.papers.cnca", cnca_grid.resolve),
          "culturespa": ("culturealign.papers.culturespa", culturespa_grid.resolve),
          "caredio": ("culturealign.papers.caredio", caredio_grid.resolve)}
REGISTRY_MARK = "x-registry-methods"


def _registry_enums(node):
    """Replace each `x-registry-methods: {paper, needs, option}` mark by the enum of the registered
    method names it selects: the registry is the one list of method names."""
    if isinstance(node, dict):
        if REGISTRY_MARK in node:
            node = dict(node)
            node["enum"] = methods(**node.pop(REGISTRY_MARK))
        return {k: _registry_enums(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_registry_enums(v) for v in node]
    return node


def schema() -> dict:
    core = copy.deepcopy(load_schema("culturealign", "config"))
    for paper, (package, _) in PAPERS.items():
        section = load_schema(package, "config")
        section.pop("$schema", None)  # a nested $schema would switch jsonschema to a validator without defaults
        core["properties"][paper] = section
    return _registry_enums(core)


def validate_config(config: dict) -> dict:
    """Validate `config` in place (defaults filled in, each paper's section resolved) and return it;
    raise ConfigError."""
    error = validate_with_defaults(config, schema())
    if error:
        raise ConfigError(error)
    for model, spec in config["models"].items():
        if spec["backend"] not in BACKENDS:
            raise ConfigError(f"config key 'models.{model}.backend': unknown backend {spec['backend']!r}; "
                              f"valid: {sorted(BACKENDS)}")
    for _, resolve in PAPERS.values():
        resolve(config)
    leaderboard.resolve(config)
    return config


def resolve_files(configfiles: list[str], root: str | Path = ".") -> dict:
    """The configuration a run uses, as the Snakefile resolves it: config.yaml alone when no
    --configfile is given, else the --configfiles merged in order (recursively, as Snakemake merges)
    without config.yaml underneath; validated, defaults filled in, cross-references resolved."""
    config: dict = {}
    for name in configfiles or ["config.yaml"]:
        config = merge(config, yaml.safe_load((Path(root) / name).read_text(encoding="utf-8")) or {})
    return validate_config(config)
