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


def tuned_prediction_files(cfg, w) -> list[str]:
    return grid.prediction_files(_c(cfg), w.model, w.method, grid.tuned_from(w))


def tuned_adapters(cfg, w) -> list[str]:
    """The adapters a fine-tuned model's predictions apply: the joint one, or every country's own."""
    return sorted(set(grid.country_adapters(_c(cfg), w.model, grid.tuned_from(w)).values()))


def country_adapters(cfg, w) -> dict[str, str]:
    """country -> adapter directory, for a prediction job's parameters (none for the base model)."""
    if "seeds" not in w.keys():
        return {}
    return grid.country_adapters(_c(cfg), w.model, grid.tuned_from(w))


def predicted_countries(cfg, w) -> list[str | None]:
    """The countries one prediction job answers for: every configured one, or none (culture-unaware)."""
    if w.get("method", grid.UNAWARE) == grid.UNAWARE:
        return [None]
    return list(_c(cfg)["countries"])


def training_inputs(cfg, w) -> dict[str, str]:
    return {"selection": paths.SELECTION.format(model=w.model, seeds=w.seeds, variant=w.variant),
            "generated": paths.FILTERED.format(model=w.model, seeds=w.seeds)}


def table2_scores(cfg, w) -> list[str]:
    return grid.row_score_files(grid.table2_rows(_c(cfg)))


def table3_scores(cfg, w) -> list[str]:
    return grid.row_score_files(grid.table3_rows(_c(cfg)))


def table4_scores(cfg, w) -> list[str]:
    return grid.row_score_files(grid.table4_rows(_c(cfg)))


def figure4_scores(cfg, w) -> list[str]:
    return grid.row_score_files(grid.figure4_rows(_c(cfg)))


def figure3_selections(cfg, w) -> dict[str, str | list[str]]:
    """Figure 3: the activation data of both variants and the questions they ask (for their topics)."""
    c = _c(cfg)
    model, seeds = c["tables"]["table4_model"], c["generation"]["seeds"]
    variants = c["evaluation"]["tuned"] or ["aware"]
    return {"selections": [paths.SELECTION.format(model=model, seeds=seeds, variant=v) for v in variants],
            "generated": paths.FILTERED.format(model=model, seeds=seeds)}


def figure1_scores(cfg, w) -> list[str]:
    return grid.row_score_files(grid.figure1_rows(_c(cfg)))


def figure5_predictions(cfg, w) -> list[str]:
    return [f for m, method in grid.figure5_rows(_c(cfg)) for f in grid.prediction_files(_c(cfg), m, method)]


def generated_topics(cfg, w) -> list[str]:
    return grid.generated_topic_files(_c(cfg), w.model, w.seeds)


def filtered_questions(cfg, w) -> str:
    return paths.FILTERED.format(model=w.model, seeds=w.seeds)


def selection_outputs(cfg, w) -> dict[str, list[str] | str]:
    return {"unaware": paths.UNAWARE_OUTPUT.format(model=w.model, seeds=w.seeds),
            "aware": grid.output_files(_c(cfg), w.model, w.seeds, w.variant),
            "questions": paths.FILTERED.format(model=w.model, seeds=w.seeds)}  # their option ids


def quality_inputs(cfg, w) -> dict[str, str]:
    """Table 1's judging job: the generated questions, and the judge's weights when it runs locally."""
    out = {"generated": paths.FILTERED.format(model=w.model, seeds=w.seeds)}
    if w.judge in cfg["models"]:
        out["judge_manifest"] = f"results/models/{w.judge}/manifest.json"
    return out


def table1_verdicts(cfg, w) -> str:
    c = _c(cfg)
    return paths.QUALITY.format(model=c["generation"]["model"], seeds=c["generation"]["seeds"],
                                judge=c["quality"]["judge"])


def table5_inputs(cfg, w) -> dict[str, list[str]]:
    c = _c(cfg)
    rows = grid.table5_rows(c)
    return {"scores": grid.row_score_files(rows),
            "general": [grid.general_path(model, tuned, bench) for model, _, _, tuned in rows
                        for bench in c["general"]["benchmarks"]]}


def general_adapter(cfg, w) -> list[str] | str:
    """A fine-tuned model's (joint) adapter for lm_eval; none for the base model."""
    if "seeds" not in w.keys():
        return []
    return grid.adapter_dir(w.model, grid.tuned_from(w), "all")
