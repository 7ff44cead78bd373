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
    assert config["cnca"]["evaluation"]["test_per_topic"] == 1 and config["cnca"]["split"]["train_per_topic"] == 5
    paper = validate_config(yaml.safe_load((ROOT / "configs/paper.yaml").read_text()))["cnca"]
    assert len(paper["countries"]) == 18 and paper["seeds"] == [0, 1, 2] and len(paper["evaluation"]["models"]) == 5


def test_defaults_are_filled_in():
    cfg = validate_config({"models": {"m": {"source": {"type": "local", "path": "/x"}, "backend": "transformers"}}})
    cnca = cfg["cnca"]   # each paper's section is filled in from its schema's defaults
    assert cnca["sampling"]["temperature"] == 0.6 and len(cnca["countries"]) == 18
    assert cnca["evaluation"]["models"] == ["m"] and cfg["models"]["m"]["max_new_tokens"] == 1024
    assert cfg["engine"] == {"batch_size": 32, "threads": 2,
                             "vllm": {"python": "", "kv_cache_gb": 2, "enforce_eager": None}}


@pytest.mark.parametrize(
    "edit, key, valid",
    [
        (lambda c: c["cnca"].update(countries=["USA", "FRA"]), "cnca.countries[1]", "'NZL'"),
        (lambda c: c["cnca"]["evaluation"].update(models=["gpt-9"]), "cnca.evaluation.models[0]", "smollm2-135m"),
        (lambda c: c["cnca"]["evaluation"].update(methods=["vanilla", "magic"]), "cnca.evaluation.methods[1]", "'icl'"),
        (lambda c: c["models"]["smollm2-135m"].update(backend="onnx"), "models.smollm2-135m.backend", "'vllm'"),
        (lambda c: c["cnca"].update(seeds=[0, -1]), "cnca.seeds[1]", "minimum of 0"),
        (lambda c: c["cnca"]["sampling"].update(temperature=3.5), "cnca.sampling.temperature", "maximum of 2"),
        (lambda c: c.update(countries=["USA"]), "(top level)", "'cnca'"),
        (lambda c: c["cnca"].update(countrys=["USA"]), "cnca", "'countries'"),
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
        [str(ROOT / ".venv/bin/snakemake"), "-n", "--cores", "1", "--config", "cnca={'countries': ['USA', 'XYZ']}"],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode != 0
    assert "invalid configuration: config key 'cnca.countries[1]': 'XYZ' is not valid" in run.stdout + run.stderr


def test_the_configuration_page_is_the_schemas():
    """docs/configuration.md is generated from the schemas (python -m culturealign.configdoc); every
    key has a description, and the page is regenerated whenever a schema changes."""
    from culturealign.configdoc import render

    page = (ROOT / "docs" / "configuration.md").read_text()
    assert page == render(), "docs/configuration.md is stale: python -m culturealign.configdoc > docs/configuration.md"
    rows = [line for line in page.splitlines() if line.startswith("| `")]
    assert len(rows) > 200
    assert all(not line.endswith("|  |") for line in rows), [r for r in rows if r.endswith("|  |")][:3]
