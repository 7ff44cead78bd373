"""CAReDiO's input functions: `fn(cfg, wildcards)` -> the files a job reads (the rules wrap them with
config_input; a recording config view records which keys each reads)."""

from __future__ import annotations

from . import artifacts as paths
from . import grid
from .open_ended import OPEN_ENDED

SECTION = grid.SECTION


def _c(cfg):
    return cfg[SECTION]


def generator_manifest(cfg, w) -> list[str]:
    """The generator's weights when it runs locally (an endpoint has none)."""
    gen = _c(cfg)["generator"]
    return [f"results/models/{gen}/manifest.json"] if gen in cfg["models"] else []


def model_manifest(cfg, w) -> str:
    return f"results/models/{w.model}/manifest.json"


def roleplay_files(cfg, w) -> list[str]:
    return [paths.ROLEPLAY.format(model=w.model, culture=s) for s in grid.slugs(_c(cfg))]


def selection_pool(cfg, w) -> list[str]:
    """selection.scope `all`: the other cultures' embeddings, clustered with the culture's own."""
    c = _c(cfg)
    if c["selection"]["scope"] != "all":
        return []
    return [paths.EMBEDDINGS.format(model=w.model, culture=s) for s in grid.slugs(c) if s != w.culture]


def samples(cfg, w) -> str:
    return paths.SAMPLES.format(model=_c(cfg)["generator"], culture=w.culture)


def selection(cfg, w) -> str:
    """A training set's selection: the generator's data ranked by the cluster variant, or by the
    in-context variant as the backbone being trained scored it."""
    return selection_file(_c(cfg), w.measure, w.model, w.culture)


def selection_file(c, measure: str, backbone: str, culture: str) -> str:
    if measure == "in-context":
        return paths.SELECTION_IN_CONTEXT.format(model=c["generator"], scorer=backbone, culture=culture)
    return paths.SELECTION.format(model=c["generator"], measure=measure, culture=culture)


def in_context_inputs(cfg, w) -> dict[str, str]:
    """The in-context scoring of one culture: the cluster selection and samples (the generator's), the
    CulturalBench-Hard file (its validation split) and the scoring backbone's weights."""
    c = _c(cfg)
    return {"selection": paths.SELECTION.format(model=c["generator"], measure="cluster", culture=w.culture),
            "samples": paths.SAMPLES.format(model=c["generator"], culture=w.culture),
            "culturalbench": paths.benchmark_path("culturalbench-hard"),
            "manifest": f"results/models/{w.scorer}/manifest.json"}


def adapters(cfg, w) -> dict[str, str]:
    """culture slug -> its adapter for a CAReDiO method (Table 2's budget, or the one the method names:
    caredio-cluster-n100); none for the backbone and Role-Playing."""
    variant, budget = grid.tuned_method(w.method)
    if variant is None:
        return {}
    budget = budget or grid.budget(_c(cfg))
    trainer = _c(cfg)["finetune"]["trainer"]
    return {s: paths.ADAPTER.format(trainer=trainer, model=w.model, measure=variant, budget=budget, culture=s)
            for s in grid.slugs(_c(cfg))}


def benchmark_files(cfg, w) -> dict[str, str]:
    return {b: paths.benchmark_path(b) for b in _c(cfg)["evaluation"]["benchmarks"]}


def judged(cfg) -> bool:
    """Whether the evaluation has open-ended benchmarks (CultureBank, Prism) for the judge to rate."""
    return any(b in OPEN_ENDED for b in _c(cfg)["evaluation"]["benchmarks"])


def open_ended_answering(cfg) -> dict:
    """The settings a prediction job reads for CultureBank and Prism (the judge's are the judging
    job's): none when neither is evaluated."""
    if not judged(cfg):
        return {}
    oe = _c(cfg)["evaluation"]["open_ended"]
    return {k: oe[k] for k in ("per_culture", "max_new_tokens", "temperature", "seed", "culturebank", "prism")}


def judge_inputs(cfg, w) -> dict[str, str]:
    """A judging job: the prediction, and the judge's weights when it runs locally."""
    out = {"prediction": paths.PREDICTION.format(model=w.model, method=w.method)}
    if w.judge in cfg["models"]:
        out["judge_manifest"] = f"results/models/{w.judge}/manifest.json"
    return out


def score_inputs(cfg, w) -> dict[str, str]:
    """A score job: the prediction, and the judge's ratings when open-ended benchmarks are evaluated."""
    out = {"prediction": paths.PREDICTION.format(model=w.model, method=w.method)}
    if judged(cfg):
        out["judgements"] = paths.JUDGEMENTS.format(model=w.model, method=w.method,
                                                    judge=_c(cfg)["evaluation"]["open_ended"]["judge"])
    return out


def table_scores(cfg, w) -> list[str]:
    ev = _c(cfg)["evaluation"]
    return [paths.SCORE.format(model=m, method=meth) for m in ev["models"] for meth in ev["methods"]]


def table_selections(cfg, w) -> list[str]:
    """The selections behind the CAReDiO rows (their candidate counts: a culture short of the budget)."""
    c = _c(cfg)
    variants = [grid.TUNED_METHODS[m] for m in c["evaluation"]["methods"] if m in grid.TUNED_METHODS]
    return list(dict.fromkeys(selection_file(c, v, m, s) for v in variants for m in c["evaluation"]["models"]
                              for s in grid.slugs(c)))


def figure3_inputs(cfg, w) -> dict[str, list[str]]:
    """Per culture (in config order): its embeddings, cluster selection and samples (the generator's)."""
    c = _c(cfg)
    gen, slugs = c["generator"], grid.slugs(c)
    return {"embeddings": [paths.EMBEDDINGS.format(model=gen, culture=s) for s in slugs],
            "selections": [paths.SELECTION.format(model=gen, measure="cluster", culture=s) for s in slugs],
            "samples": [paths.SAMPLES.format(model=gen, culture=s) for s in slugs]}


def figure2_scores(cfg, w) -> list[str]:
    """Every backbone's scores at every budget (CAReDiO - Cluster), and the backbone's own."""
    c = _c(cfg)
    return [paths.SCORE.format(model=m, method=meth) for m in c["evaluation"]["models"]
            for meth in ["backbone", *(grid.figure2_method(c["finetune"]["budgets"], b) for b in sorted(c["finetune"]["budgets"]))]]
