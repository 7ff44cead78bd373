import json
import os
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WVS_DIR = ROOT / "resources" / "wvs"


@pytest.fixture(scope="session")
def wvs_data():
    from culturealign.wvs import normalise

    return normalise(WVS_DIR)


@pytest.fixture(scope="session")
def questions(wvs_data):
    return {q["qid"]: q for q in wvs_data["questions"]}


@pytest.fixture(scope="session")
def split(wvs_data):
    from culturealign.wvs import make_split

    return make_split(wvs_data["questions"], seed=2025, strategy="seeded")  # the unit tests' fixed draw


def write_jsonl(path: Path, records) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


# The end-to-end run every slow test shares: the embedded model through the real workflow on the tiny
# grid of .test/config/config.yaml (what it holds and why: that file's header), with CDEval copied
# from a local file where there is one (offline CI), and every declared table and figure as target
# but CultureSPA's Table 5 (its lm-evaluation-harness tasks download at run time; a test runs the same
# harness call on a local task), each with its report page.
SHARED_CDEVAL = ROOT.parent / "shared" / "data" / "cdeval" / "CDEval.json"
TINY = yaml.safe_load((ROOT / ".test" / "config" / "config.yaml").read_text())
if SHARED_CDEVAL.exists():
    TINY["cnca"]["cdeval"]["local"] = str(SHARED_CDEVAL)
TEST_RECIPE = TINY["cnca"]["finetune"]["recipe_overrides"]  # each step on a handful of examples moves the adapter


def _targets() -> list[str]:
    from culturealign.targets import declared

    made = [row for row in declared() if row["path"] != "results/culturespa/table5.csv"]
    return [row["path"] for row in made] + [row["page"] for row in made]


TARGETS = _targets()
# Secrets set in the environment of the shared run: no lineage record may contain them.
FAKE_SECRETS = {"HF_TOKEN": "hf_FAKEtokenForTheProvenanceTest0001", "WANDB_API_KEY": "wandb-FAKE-key-0002",
                "DB_PASSWORD": "FAKE-password-0003"}


@pytest.fixture(scope="session")
def tiny_run(tmp_path_factory):
    from workflow_helpers import copy_repo, snakemake, write_config

    if os.environ.get("CULTUREALIGN_TINY_RUN"):  # a developer's finished tiny run, reused as it is
        return Path(os.environ["CULTUREALIGN_TINY_RUN"])
    workdir = copy_repo(tmp_path_factory.mktemp("wf") / "repo")
    config = write_config(workdir, **TINY)
    snakemake(workdir, *TARGETS, "--configfile", str(config), timeout=1800, env=FAKE_SECRETS)
    return workdir
