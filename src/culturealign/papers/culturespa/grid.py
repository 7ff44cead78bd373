"""CultureSPA's experiment grid from its config section (`culturespa`): runs and their seeds, the
questions asked, the rows of Table 2 and Figures 1 and 5, and the resolution and cross-checks of the
section. Every function takes the section as a mapping (a recording view in the workflow)."""

from __future__ import annotations

from dataclasses import dataclass

from ...schema import ConfigError
from ...wvs import COUNTRIES, TOPIC_NAMES
from . import artifacts as paths
from .finetune import JOINT_SCOPE

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


@dataclass(frozen=True)
class Tuned:
    """A fine-tuned CultureSPA model: trained on the `seeds` data's `variant` answers (aware | cct)
    kept by `rule` (crqpc | cds | rds), joint or specific, on `pct`% of it."""
    seeds: str
    variant: str
    rule: str = "crqpc"
    strategy: str = "joint"
    pct: int = 100

    @property
    def fields(self) -> dict:
        return {"seeds": self.seeds, "variant": self.variant, "rule": self.rule, "strategy": self.strategy,
                "pct": self.pct}


TUNED_LABELS = {"aware": "CultureSPA", "cct": "CultureSPA (CCT)"}
BASELINE_LABEL = "Baseline"


def tuned_from(w) -> Tuned:
    """The fine-tuned model named by a job's wildcards."""
    return Tuned(w.seeds, w.variant, w.rule, w.strategy, int(w.pct))


def scope_of(tuned: Tuned, country: str) -> str:
    return JOINT_SCOPE if tuned.strategy == "joint" else country


def adapter_dir(model: str, tuned: Tuned, country: str) -> str:
    return paths.ADAPTER.format(model=model, scope=scope_of(tuned, country), **tuned.fields)


def prediction_files(c, model: str, method: str, tuned: Tuned | None = None) -> list[str]:
    """One file per run, each holding every country (or, culture-unaware, none)."""
    if tuned is not None:
        return [paths.TUNED_PREDICTION.format(model=model, method=method, run=r, **tuned.fields) for r in runs(c)]
    if method == UNAWARE:
        return [paths.UNAWARE_PREDICTION.format(model=model, run=r) for r in runs(c)]
    return [paths.PREDICTION.format(model=model, method=method, run=r) for r in runs(c)]


def country_adapters(c, model: str, tuned: Tuned) -> dict[str, str]:
    """The adapter each country's predictions apply: the joint one for all, or the country's own."""
    return {country: adapter_dir(model, tuned, country) for country in c["countries"]}


def score_path(model: str, method: str, tuned: Tuned | None = None) -> str:
    if tuned is not None:
        return paths.TUNED_SCORE.format(model=model, method=method, **tuned.fields)
    return paths.SCORE.format(model=model, method=method)


Row = tuple  # (model, method, row label, Tuned | None)


def table2_rows(c) -> list[Row]:
    """Table 2 (and Table 3's model): per model and prompting method the Baseline, then each tuned row."""
    seeds = c["generation"]["seeds"]
    return [row for model in c["evaluation"]["models"] for method in c["evaluation"]["methods"]
            for row in [(model, method, BASELINE_LABEL, None),
                        *[(model, method, TUNED_LABELS[v], Tuned(seeds, v)) for v in c["evaluation"]["tuned"]]]]


def table3_rows(c) -> list[Row]:
    """Table 3: the configured model with P1 - Baseline, CultureSPA, CultureSPA (CCT)."""
    model, seeds = c["tables"]["table3_model"], c["generation"]["seeds"]
    return [(model, "p1", BASELINE_LABEL, None),
            *[(model, "p1", TUNED_LABELS[v], Tuned(seeds, v)) for v in c["evaluation"]["tuned"]]]


def table4_rows(c) -> list[Row]:
    """Table 4: CultureSPA (specific) and (joint) on each proportion of the activation data, with P1."""
    model, seeds = c["tables"]["table4_model"], c["generation"]["seeds"]
    return [(model, "p1", f"CultureSPA ({strategy})", Tuned(seeds, "aware", "crqpc", strategy, pct))
            for strategy in ("specific", "joint") for pct in c["finetune"]["proportions"]]


def figure4_rows(c) -> list[Row]:
    """Figure 4: the P1 baseline, then a joint model per selection rule (CRQPC, RDS, CDS)."""
    model, seeds = c["tables"]["table4_model"], c["generation"]["seeds"]
    return [(model, "p1", BASELINE_LABEL, None),
            *[(model, "p1", rule.upper(), Tuned(seeds, "aware", rule)) for rule in c["tables"]["figure4_rules"]]]


TABLE5_LABELS = {"all": "All (60K)", "one": "One (60K)", "all-x4": "All (240K)"}


def table5_rows(c) -> list[Row]:
    """Table 5: the base model (Baseline), then a joint CultureSPA model per generated data set; the
    Culture column is P1's score."""
    model = c["tables"]["table4_model"]
    return [(model, "p1", BASELINE_LABEL, None),
            *[(model, "p1", TABLE5_LABELS[d], Tuned(d, "aware")) for d in c["general"]["data"]]]


def general_path(model: str, tuned: Tuned | None, bench: str) -> str:
    if tuned is None:
        return paths.GENERAL_BASE.format(model=model, bench=bench)
    return paths.GENERAL_TUNED.format(model=model, bench=bench, **tuned.fields)


def plain_rows(rows: list[Row]) -> list[list]:
    """Rows as job parameters (plain lists: model, method, label, the Tuned fields or None)."""
    return [[model, method, label, tuned.fields if tuned else None] for model, method, label, tuned in rows]


def row_score_files(rows: list[Row]) -> list[str]:
    return [score_path(model, method, tuned) for model, method, _, tuned in rows]


def figure1_rows(c) -> list[Row]:
    """Figure 1: culture-unaware, culture-aware (P1) and CultureSPA with P1 (part 2's bars)."""
    model = c["figures"]["figure1_model"]
    return [*[(model, method, BASELINE_LABEL, None) for method in FIGURE1_METHODS],
            (model, "p1", TUNED_LABELS["aware"], Tuned(c["generation"]["seeds"], "aware"))]


def figure5_rows(c) -> list[tuple[str, str]]:
    return [(c["figures"]["figure5_model"], method) for method in c["figures"]["figure5_methods"]]


def generated_topic_files(c, model: str, seeds: str) -> list[str]:
    return [paths.GENERATED_TOPIC.format(model=model, seeds=seeds, topic=t) for t in c["generation"]["topics"]]


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
    gen, tab = c["generation"], c["tables"]
    gen["model"] = gen["model"] or ev["models"][0]
    gen["topics"] = gen["topics"] or sorted(TOPIC_NAMES)
    tab["table3_model"] = tab["table3_model"] or ev["models"][-1]
    tab["table4_model"] = tab["table4_model"] or ev["models"][0]
    for key, ids in [("evaluation.models", ev["models"]), ("figures.figure1_model", [fig["figure1_model"]]),
                     ("figures.figure5_model", [fig["figure5_model"]]), ("generation.model", [gen["model"]]),
                     ("tables.table3_model", [tab["table3_model"]]), ("tables.table4_model", [tab["table4_model"]])]:
        for i, model in enumerate(ids):
            if model not in models:
                raise ConfigError(f"config key '{SECTION}.{key}'{f'[{i}]' if len(ids) > 1 else ''}: {model!r} is "
                                  f"not a model of `models`; valid values: {sorted(models)}")
    c["quality"]["judge"] = c["quality"]["judge"] or gen["model"]
    judge = c["quality"]["judge"]
    if judge not in models and judge not in config.get("endpoints", {}):
        raise ConfigError(f"config key '{SECTION}.quality.judge': {judge!r} is neither a model of `models` "
                          f"({sorted(models)}) nor an endpoint of `endpoints` ({sorted(config.get('endpoints', {}))})")
    for country in c["countries"]:
        if country not in COUNTRIES:  # the schema's enum already says so; kept for configs built in code
            raise ConfigError(f"config key '{SECTION}.countries': unknown country {country!r}")
