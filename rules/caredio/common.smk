# CAReDiO: its grid (culturealign.papers.caredio.grid), input functions (.inputs), paths and declared
# artifacts (.artifacts), and its fine-tuning recipe, validated before any job starts.
from culturealign.papers.caredio import artifacts as caredio_paths
from culturealign.papers.caredio import grid as caredio_grid
from culturealign.papers.caredio import inputs as caredio_inputs

CAREDIO_SLUG = "[a-z0-9-]+"
# The wildcards of a culture's training set and adapter.
CAREDIO_TUNED = {"culture": CAREDIO_SLUG, "budget": "[0-9]+", "trainer": "sft|dpo"}


def caredio_describe(cfg):
    c = cfg["caredio"]
    return (
        f"generator {c['generator']}; backbones {' '.join(c['evaluation']['models'])}; "
        f"cultures {', '.join(c['cultures'])}; {c['synthesis']['per_topic']} questions per topic"
    )


DESCRIBE["caredio"] = caredio_describe

try:
    # Both recipes (SFT, and DPO behind finetune.trainer) are validated before any job starts.
    CAREDIO_RECIPES = {
        t: load_recipe(
            Path(workflow.basedir) / f,
            config["caredio"]["finetune"]["recipe_overrides"],
        )
        for t, f in config["caredio"]["finetune"]["recipes"].items()
    }
except RecipeError as exc:
    raise WorkflowError(f"invalid fine-tuning recipe: {exc}") from None


def caredio_recipes(cfg):
    """The validated recipes; reading them through a config view records the keys they come from."""
    plain(cfg["caredio"]["finetune"]["recipes"])
    plain(cfg["caredio"]["finetune"]["recipe_overrides"])
    return CAREDIO_RECIPES


RECIPE_SETS["caredio"] = lambda cfg: {
    t: {"file": cfg["caredio"]["finetune"]["recipes"][t], "recipe": r}
    for t, r in caredio_recipes(cfg).items()
}


def caredio_generator(cfg):
    """The params a synthesis job needs to reach its generator (no key: endpoints name a variable)."""
    gen = cfg["caredio"]["generator"]
    return {
        "generator": gen,
        "models": {k: v for k, v in cfg["models"].items() if k == gen},
        "endpoints": {k: v for k, v in cfg["endpoints"].items() if k == gen},
    }


# The params of every synthesis job: its generator, the engine and the synthesis settings.
CAREDIO_SYNTHESIS = dict(
    generator=lambda c, w: caredio_generator(c)["generator"],
    models=lambda c, w: caredio_generator(c)["models"],
    endpoints=lambda c, w: caredio_generator(c)["endpoints"],
    engine=lambda c, w: c["engine"],
    synthesis=lambda c, w: c["caredio"]["synthesis"],
    cultures=lambda c, w: c["caredio"]["cultures"],
)
