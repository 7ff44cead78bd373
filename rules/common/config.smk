# Runs first: validate the config against the schema (defaults filled in, each paper's section
# resolved and cross-checked), check the vendored survey files before anything reads them, validate
# every fine-tuning recipe, and define how rules read the config (`config_params`, `config_input`).
import hashlib
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(workflow.basedir) / "src"))

from snakemake.exceptions import WorkflowError

from culturealign.checksums import ChecksumError, verify_sha256sums
from culturealign.config import ConfigError, validate_config
from culturealign.configview import ConfigView, minimal, plain
from culturealign.registry import methods
from culturealign.training import RecipeError, load_recipe

try:
    validate_config(config)
except ConfigError as exc:
    raise WorkflowError(f"invalid configuration: {exc}") from None

try:
    # A swapped survey file stops the run here, before any job (and any model) starts.
    verify_sha256sums(Path(workflow.basedir) / "resources/wvs/SHA256SUMS")
except ChecksumError as exc:
    raise WorkflowError(str(exc)) from None

# The config every report caption names: the files it was read from and a digest of the resolved
# config (schema defaults filled in), the one each lineage record carries as config.sha256.
CONFIG_ID = {
    "files": [os.path.relpath(f) for f in workflow.configfiles],
    "sha256": hashlib.sha256(
        json.dumps(config, sort_keys=True, default=str).encode()
    ).hexdigest(),
}


def config_params(*readers, **params):
    """The params of a rule: each `fn(cfg, wildcards)` computes one from the run's config. Added:
    `config_read`, every config key (dotted, with its value) that these functions and `readers` (the
    rule's input functions) read, found by running them on a recording view of the config. The
    lineage record stores exactly that, and Snakemake's params trigger re-runs the job when one of
    those values changes."""
    evaluated = (
        {}
    )  # wildcards -> (params, config_read): one pass per job on the recording view

    def evaluate(w):
        key = tuple(w.items())
        if key not in evaluated:
            view = ConfigView(config)
            values = {name: plain(f(view, w)) for name, f in params.items()}
            for fn in readers:
                plain(fn(view, w))
            evaluated[key] = (values, minimal(view.reads))
        return evaluated[key]

    out = {name: (lambda w, name=name: evaluate(w)[0][name]) for name in params}
    out["config_read"] = lambda w: evaluate(w)[1]
    return out


def config_input(fn, *args):
    """An input function: `fn(cfg, wildcards, *args)` with the run's config."""
    return lambda w: fn(config, w, *args)


def model_labels(cfg, ids):
    """What tables and figures show of each model: its name, its name in the papers, whether it reasons."""
    return {
        m: {k: cfg["models"][m].get(k) for k in ("name", "paper_label", "reasoning")}
        for m in dict.fromkeys(ids)
    }


def engine_threads(cfg):
    return cfg["engine"]["threads"]


# Per paper: its recipe set (for results/config/resolved.json) and the one-line description of its
# grid on report pages; each paper's rules/<paper>/common.smk fills its entry.
RECIPE_SETS = {}
DESCRIBE = {}
