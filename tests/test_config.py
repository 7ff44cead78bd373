import copy
import subprocess

import pytest
import yaml

from culturealign.config import ConfigError, validate_config

from conftest import ROOT


@pytest.fixture
def config():
    return yaml.safe_load((ROOT / "config.yaml").read_text())


def test_default_and_paper_configs_are_valid(config):
    validate_config(config)
    assert config["evaluation"]["test_per_topic"] == 1 and config["split"]["train_per_topic"] == 5
    paper = validate_config(yaml.safe_load((ROOT / "configs/paper.yaml").read_text()))
    assert len(paper["countries"]) == 18 and paper["seeds"] == [0, 1, 2] and len(paper["evaluation"]["models"]) == 5


def test_defaults_are_filled_in():
    cfg = validate_config({"models": {"m": {"source": {"type": "local", "path": "/x"}, "backend": "transformers"}}})
    assert cfg["sampling"]["temperature"] == 0.6 and len(cfg["countries"]) == 18
    assert cfg["evaluation"]["models"] == ["m"] and cfg["models"]["m"]["max_new_tokens"] == 1024


@pytest.mark.parametrize(
    "edit, key, valid",
    [
        (lambda c: c.update(countries=["USA", "FRA"]), "countries[1]", "'NZL'"),
        (lambda c: c["evaluation"].update(models=["gpt-9"]), "evaluation.models[0]", "smollm2-135m"),
        (lambda c: c["evaluation"].update(methods=["vanilla", "magic"]), "evaluation.methods[1]", "'icl'"),
        (lambda c: c["models"]["smollm2-135m"].update(backend="onnx"), "models.smollm2-135m.backend", "'vllm'"),
        (lambda c: c.update(seeds=[0, -1]), "seeds[1]", "minimum of 0"),
        (lambda c: c["sampling"].update(temperature=3.5), "sampling.temperature", "maximum of 2"),
        (lambda c: c.update(countrys=["USA"]), "(top level)", "'countries'"),
    ],
)
def test_bad_config_names_the_key_and_valid_values(config, edit, key, valid):
    bad = copy.deepcopy(config)
    edit(bad)
    with pytest.raises(ConfigError) as err:
        validate_config(bad)
    assert f"'{key}'" in str(err.value) and valid in str(err.value)


def test_snakemake_refuses_a_bad_config_before_any_job(tmp_path):
    run = subprocess.run(
        [str(ROOT / ".venv/bin/snakemake"), "-n", "--cores", "1", "--config", "countries=[USA,XYZ]"],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode != 0
    assert "invalid configuration: config key 'countries[1]': 'XYZ' is not valid" in run.stdout + run.stderr
