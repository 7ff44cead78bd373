import json
from pathlib import Path

import pytest

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

    return make_split(wvs_data["questions"], seed=2025)


def write_jsonl(path: Path, records) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path
