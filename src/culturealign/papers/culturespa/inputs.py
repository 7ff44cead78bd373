"""The inputs of CultureSPA's jobs, as functions of (config, wildcards) for `config_input`."""

from __future__ import annotations

from ...registry import get_method
from . import artifacts as paths
from . import grid


def _c(cfg):
    return cfg[grid.SECTION]


def model_manifest(cfg, w) -> str:
    return f"results/models/{w.model}/manifest.json"


def ranking(cfg, w) -> list[str] | str:
    """P3's chrF++ ranking, for the methods that show examples."""
    return paths.RANKING if get_method(w.method).options.get("p3") else []


def prediction_files(cfg, w) -> list[str]:
    return grid.prediction_files(_c(cfg), w.model, w.method)


def table2_scores(cfg, w) -> list[str]:
    return [grid.score_path(m, method) for m, method in grid.table2_rows(_c(cfg))]


def figure1_scores(cfg, w) -> list[str]:
    return [grid.score_path(m, method) for m, method in grid.figure1_rows(_c(cfg))]


def figure5_predictions(cfg, w) -> list[str]:
    return [f for m, method in grid.figure5_rows(_c(cfg)) for f in grid.prediction_files(_c(cfg), m, method)]


def generated_topics(cfg, w) -> list[str]:
    return grid.generated_topic_files(w.model, w.seeds)


def filtered_questions(cfg, w) -> str:
    return paths.FILTERED.format(model=w.model, seeds=w.seeds)


def selection_outputs(cfg, w) -> dict[str, list[str] | str]:
    return {"unaware": paths.UNAWARE_OUTPUT.format(model=w.model, seeds=w.seeds),
            "aware": grid.output_files(_c(cfg), w.model, w.seeds, w.variant)}
