"""Fine-tuning recipes: the shipped ones are valid and carry the paper's values; bad ones are named."""

import pytest
import yaml

from culturealign.config import ConfigError, validate_config
from culturealign.papers.cnca.finetune import FINETUNE_METHODS
from culturealign.training import RecipeError, load_recipe
from conftest import ROOT


@pytest.mark.parametrize("method", FINETUNE_METHODS)
def test_shipped_recipes_hold_the_paper_hyper_parameters(method):
    recipe = load_recipe(ROOT / "recipes" / f"{method}.yaml", init_choices=FINETUNE_METHODS)
    assert recipe["method"] == method
    t = recipe["training"]
    # CNCA "Experimental Setup": LoRA, one epoch, learning rate 5e-5, 10% warm-up, cosine schedule
    assert (t["epochs"], t["learning_rate"], t["warmup_ratio"], t["lr_scheduler"]) == (1, 5e-5, 0.1, "cosine")
    assert {"r", "alpha", "dropout", "target_modules"} <= recipe["lora"].keys()
    assert "batch_size" in t and "max_length" in t
    if method == "cnca-dpo":
        assert recipe["init"] == "cnca-sft" and recipe["dpo"]["beta"] > 0


def test_a_recipe_with_an_unknown_key_names_it(tmp_path):
    recipe = yaml.safe_load((ROOT / "recipes/sft.yaml").read_text())
    recipe["training"]["learnig_rate"] = 1e-4
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(recipe))
    with pytest.raises(RecipeError, match=r"bad.yaml: key 'training'.*'learnig_rate'"):
        load_recipe(path)
    recipe["training"].pop("learnig_rate")
    recipe.pop("dpo", None)
    recipe["trainer"] = "dpo"
    path.write_text(yaml.safe_dump(recipe))
    with pytest.raises(RecipeError, match="dpo.beta"):
        load_recipe(path)


def test_overrides_are_merged_then_validated():
    recipe = load_recipe(ROOT / "recipes/sft.yaml", {"training": {"gradient_accumulation_steps": 1}})
    assert recipe["training"]["gradient_accumulation_steps"] == 1 and recipe["training"]["learning_rate"] == 5e-5
    with pytest.raises(RecipeError, match="'warmup'"):
        load_recipe(ROOT / "recipes/sft.yaml", {"training": {"warmup": 0.2}})


def _config(**finetune):
    config = yaml.safe_load((ROOT / "config.yaml").read_text())
    config["cnca"]["finetune"].update(finetune)
    return config


def test_finetune_config_errors_name_the_key():
    with pytest.raises(ConfigError, match="finetune.recipes.dpo"):
        validate_config(_config(recipes={"dpo": "x.yaml"}))
    with pytest.raises(ConfigError, match=r"finetune.methods\[0\]"):
        validate_config(_config(methods=["ppo"]))
    with pytest.raises(ConfigError, match="finetune.countries"):
        validate_config(_config(per_country=True, countries=["USA"]))
    config = _config()
    config["cnca"]["table6"] = {"country": "DEU"}
    with pytest.raises(ConfigError, match="table6.country"):
        validate_config(config)
