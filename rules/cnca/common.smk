# CNCA: its grid (culturealign.papers.cnca.grid), input functions (.inputs), paths (.artifacts),
# fine-tuning recipes and wildcard constraints, all from the package and the method registry.
from culturealign.papers.cnca import artifacts as cnca_paths
from culturealign.papers.cnca import grid as cnca_grid
from culturealign.papers.cnca import inputs as cnca_inputs
from culturealign.papers.cnca.distill import VARIANTS
from culturealign.papers.cnca.finetune import FINETUNE_METHODS
from culturealign.papers.cnca.norms import NORM_METHODS

CNCA_ADAPTERS = methods(paper="cnca", needs="adapter")
CNCA_PLAIN = "|".join(methods(paper="cnca", without="norms"))
CNCA_NORM_METHODS = "|".join(methods(paper="cnca", needs="norms"))
CNCA_STANDARD = "|".join(methods(paper="cnca", option="standard"))
# The countries a prediction job answers for, and those a mining job mines for (one output file each).
CNCA_COUNTRIES = config["cnca"]["countries"]
CNCA_MINING_COUNTRIES = config["cnca"]["norms"]["countries"]


def cnca_mining_runtime(wildcards, attempt):
    """Minutes of a mining job over every country of norms.countries (the miner's allowance each)."""
    return model_runtime(wildcards, attempt) * len(CNCA_MINING_COUNTRIES)


def cnca_predict_runtime(wildcards, attempt):
    """Minutes of a prediction job, which answers for every country: a model job's allowance per
    country (an allowance for a GPU run of 194 questions, not a measured figure)."""
    return model_runtime(wildcards, attempt) * len(CNCA_COUNTRIES)


def recipe_file(cfg, method):
    return cfg["cnca"]["finetune"]["recipes"].get(method, f"recipes/{method}.yaml")


try:
    # Every recipe a target may need is validated before any job starts (the error names file and key).
    CNCA_RECIPES = {
        m: load_recipe(
            Path(workflow.basedir) / recipe_file(config, m),
            config["cnca"]["finetune"]["recipe_overrides"],
            FINETUNE_METHODS,
        )
        for m in CNCA_ADAPTERS
    }
except RecipeError as exc:
    raise WorkflowError(f"invalid fine-tuning recipe: {exc}") from None


def cnca_recipes(cfg):
    """The validated recipes; reading them through a config view records the keys they come from."""
    plain(cfg["cnca"]["finetune"]["recipes"])
    plain(cfg["cnca"]["finetune"]["recipe_overrides"])
    return CNCA_RECIPES


def cnca_describe(cfg):
    c = cfg["cnca"]
    return (
        f"models {' '.join(c['evaluation']['models'])} (fine-tuned: "
        f"{' '.join(c['finetune']['models'])}); countries {' '.join(c['countries'])}; "
        f"seeds {' '.join(map(str, c['seeds']))}"
    )


RECIPE_SETS["cnca"] = lambda cfg: {
    m: {"file": recipe_file(cfg, m), "recipe": r} for m, r in cnca_recipes(cfg).items()
}
DESCRIBE["cnca"] = cnca_describe


wildcard_constraints:
    model="[A-Za-z0-9._-]+",
    miner="[A-Za-z0-9._-]+",
    mining="|".join(sorted(set(NORM_METHODS.values()))),
    country="[A-Z]{3}",
    seed="[0-9]+",
    n_low="[0-9]+",
    variant="|".join(VARIANTS),
    scope="all|[A-Z]{3}",
