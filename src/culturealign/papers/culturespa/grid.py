"""CultureSPA's experiment grid from its config section (`culturespa`): runs and their seeds, the
questions asked, the rows of Table 2 and Figures 1 and 5, and the resolution and cross-checks of the
section. Every function takes the section as a mapping (a recording view in the workflow)."""

from __future__ import annotations

from ...schema import ConfigError
from ...wvs import COUNTRIES, TOPIC_NAMES
from . import artifacts as paths

SECTION = "culturespa"
UNAWARE = "culture-unaware"
SEED_BASE = 42  # run r samples with seed 42 - r (culture_*_prompting.py: set_seed(seed=42-run_id))
FIGURE1_METHODS = (UNAWARE, "p1")  # Figure 1: culture-unaware vs culture-aware prompting


def seed_of(run: int) -> int:
    return SEED_BASE - int(run)


def runs(c) -> list[int]:
    return list(range(c["runs"]))


def question_ids(questions: dict[str, dict], topics, per_topic: int | None) -> list[str]:
    """The questions asked: every WVS question of `topics` (the first `per_topic` of each topic in
    question order when set), in question order."""
    topics = set(topics)
    taken: dict[int, int] = {}
    out = []
    for qid, q in questions.items():
        tid = int(q["topic_id"])
        if tid not in topics or (per_topic is not None and taken.get(tid, 0) >= per_topic):
            continue
        taken[tid] = taken.get(tid, 0) + 1
        out.append(qid)
    return out


def prediction_files(c, model: str, method: str) -> list[str]:
    if method == UNAWARE:
        return [paths.UNAWARE_PREDICTION.format(model=model, run=r) for r in runs(c)]
    return [paths.PREDICTION.format(model=model, method=method, country=country, run=r)
            for country in c["countries"] for r in runs(c)]


def score_path(model: str, method: str) -> str:
    return paths.SCORE.format(model=model, method=method)


def table2_rows(c) -> list[tuple[str, str]]:
    return [(model, method) for model in c["evaluation"]["models"] for method in c["evaluation"]["methods"]]


def figure1_rows(c) -> list[tuple[str, str]]:
    return [(c["figures"]["figure1_model"], method) for method in FIGURE1_METHODS]


def figure5_rows(c) -> list[tuple[str, str]]:
    return [(c["figures"]["figure5_model"], method) for method in c["figures"]["figure5_methods"]]


def generated_topic_files(model: str, seeds: str) -> list[str]:
    return [paths.GENERATED_TOPIC.format(model=model, seeds=seeds, topic=t) for t in sorted(TOPIC_NAMES)]


# The two kinds of culture-aware answers the training data is selected from (§4.2, §5.1): plain
# culture-aware prompting (CultureSPA) and cross-culture thinking (CultureSPA (CCT)).
VARIANTS = {"aware": "p1", "cct": "p2"}


def output_files(c, model: str, seeds: str, variant: str) -> list[str]:
    return [paths.OUTPUT.format(model=model, seeds=seeds, method=VARIANTS[variant], country=country)
            for country in c["countries"]]


def resolve(config: dict) -> None:
    """Fill the "all" sentinels in place and check the model references."""
    c, models = config[SECTION], config["models"]
    ev, fig = c["evaluation"], c["figures"]
    ev["models"] = ev["models"] or list(models)
    ev["topics"] = ev["topics"] or sorted(TOPIC_NAMES)
    fig["figure1_model"] = fig["figure1_model"] or ev["models"][0]
    fig["figure5_model"] = fig["figure5_model"] or ev["models"][0]
    gen = c["generation"]
    gen["model"] = gen["model"] or ev["models"][0]
    for key, ids in [("evaluation.models", ev["models"]), ("figures.figure1_model", [fig["figure1_model"]]),
                     ("figures.figure5_model", [fig["figure5_model"]]), ("generation.model", [gen["model"]])]:
        for i, model in enumerate(ids):
            if model not in models:
                raise ConfigError(f"config key '{SECTION}.{key}'{f'[{i}]' if len(ids) > 1 else ''}: {model!r} is "
                                  f"not a model of `models`; valid values: {sorted(models)}")
    for country in c["countries"]:
        if country not in COUNTRIES:  # the schema's enum already says so; kept for configs built in code
            raise ConfigError(f"config key '{SECTION}.countries': unknown country {country!r}")
