# CultureSPA: its grid (culturealign.papers.culturespa.grid), input functions (.inputs), paths and
# declared artifacts (.artifacts), and wildcard constraints from the method registry.
from culturealign.papers.culturespa import artifacts as culturespa_paths
from culturealign.papers.culturespa import grid as culturespa_grid
from culturealign.papers.culturespa import inputs as culturespa_inputs
from culturealign.papers.culturespa.finetune import JOINT_SCOPE
from culturealign.papers.culturespa.finetune import STRATEGIES as CULTURESPA_STRATEGIES
from culturealign.papers.culturespa.generate import DATA_VARIANTS
from culturealign.papers.culturespa.released import RELEASED
from culturealign.papers.culturespa.finetune import (
    recipe_name as culturespa_recipe_name,
)

# The question sets downstream rules take: a generated one, or the authors' released generations.
QUESTION_SETS = "|".join([*DATA_VARIANTS, RELEASED])
CULTURESPA_METHODS = methods(paper="culturespa")
CULTURESPA_COUNTRY_METHODS = "|".join(
    m for m in CULTURESPA_METHODS if m != culturespa_grid.UNAWARE
)


# The wildcards of a fine-tuned model's files (finetune.smk): its data set, answer variant, selection
# rule, scope or strategy and proportion.
CULTURESPA_TUNED = {
    "seeds": QUESTION_SETS,
    "variant": "|".join(culturespa_grid.VARIANTS),
    "rule": "crqpc|cds|rds",
    "strategy": "|".join(CULTURESPA_STRATEGIES),
    "pct": "[0-9]+",
}


def culturespa_predict_runtime(wildcards, attempt):
    """Minutes of a prediction job, which answers for every country: a model job's allowance plus 5
    minutes per country (an allowance for a GPU run of 259 questions, not a measured figure).
    """
    return (
        model_runtime(wildcards, attempt)
        + 5 * len(config["culturespa"]["countries"]) * attempt
    )


def culturespa_describe(cfg):
    c = cfg["culturespa"]
    per_topic = c["evaluation"]["per_topic"]
    return (
        f"models {' '.join(c['evaluation']['models'])}; "
        f"countries {' '.join(c['countries'])}; runs {c['runs']} (seeds "
        f"{' '.join(str(culturespa_grid.seed_of(r)) for r in culturespa_grid.runs(c))}); "
        f"{'all questions' if per_topic is None else 'the first question' if per_topic == 1 else f'the first {per_topic} questions'} of topics "
        f"{' '.join(map(str, c['evaluation']['topics']))}"
    )


DESCRIBE["culturespa"] = culturespa_describe


def culturespa_recipe_file(cfg, strategy):
    return cfg["culturespa"]["finetune"]["recipes"].get(
        strategy, f"recipes/{culturespa_recipe_name(strategy)}.yaml"
    )


try:
    # Both recipes are validated before any job starts (the error names file and key).
    CULTURESPA_RECIPES = {
        s: load_recipe(
            Path(workflow.basedir) / culturespa_recipe_file(config, s),
            config["culturespa"]["finetune"]["recipe_overrides"],
        )
        for s in CULTURESPA_STRATEGIES
    }
except RecipeError as exc:
    raise WorkflowError(f"invalid fine-tuning recipe: {exc}") from None


def culturespa_recipes(cfg):
    """The validated recipes; reading them through a config view records the keys they come from."""
    plain(cfg["culturespa"]["finetune"]["recipes"])
    plain(cfg["culturespa"]["finetune"]["recipe_overrides"])
    return CULTURESPA_RECIPES


def culturespa_strategy(scope):
    return "joint" if scope == JOINT_SCOPE else "specific"


RECIPE_SETS["culturespa"] = lambda cfg: {
    s: {"file": culturespa_recipe_file(cfg, s), "recipe": r}
    for s, r in culturespa_recipes(cfg).items()
}


wildcard_constraints:
    run="[0-9]+",
