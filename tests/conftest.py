import json
import os
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


# The end-to-end run every slow test shares: the embedded model through the real workflow on a tiny
# grid. Two countries (a paired test needs two pairs), two topics (Postmaterialist Index has one test
# question, Religious Values seven), the first test question of each: 2 questions per country; the
# fine-tuning track trains on the first training question of each topic (2 per country) with the
# recipes overridden so that each optimiser step on a handful of examples visibly moves the adapter
# (the paper's 5e-5 after a warm-up step would not) without making the model forget how to reason.
TEST_RECIPE = {"training": {"learning_rate": 2.0e-4, "warmup_ratio": 0.0, "batch_size": 2,
                             "gradient_accumulation_steps": 1, "max_length": 512}}
SHARED_CDEVAL = ROOT.parent / "shared" / "data" / "cdeval" / "CDEval.json"
TINY = dict(
    engine={"threads": 1},  # two one-thread jobs at a time with --cores 2: tiny jobs are mostly start-up
    cnca=dict(
        countries=["USA", "CHN"], seeds=[0],
        evaluation={"methods": ["vanilla", "icl", "sft", "cot-sft", "cnca-t", "cnca-tq-ta", "cnca-tq-ra"],
                    "topics": [8, 10], "test_per_topic": 1},
        norms={"max_new_tokens": 48}, figures={"figure4_norm_counts": [1, 5]},
        # Training on the first training question of 3 topics whose questions the small model can reason
        # about (Social Capital, Migration, Political Culture): a DPO pair needs a correct chain.
        finetune={"topics": [3, 6, 13], "train_per_topic": 1, "eval_max_new_tokens": 48,
                  "recipe_overrides": TEST_RECIPE,
                  "distill": {"rounds": 2, "samples_per_round": 4, "max_new_tokens": 40, "accept_untagged": True},
                  # 2 questions per country: enough samples that each country yields a (y+, y-) pair
                  "dpo": {"rounds": 4, "samples_per_round": 8, "pairs_per_question": 1}},
        cdeval={"countries": ["USA", "CHN"], "per_dimension": 1,
                "local": str(SHARED_CDEVAL) if SHARED_CDEVAL.exists() else ""},
    ),
    # CultureSPA: the first question of two topics, one run (seed 42), P1 and P1+P3 (P2's prompt: unit tests); part 2 on
    # questions generated for two topics: CRQPC, one joint adapter (and the specific ones of Table 4)
    # at 100%, Table 1 judged by the embedded model on two questions per topic.
    culturespa=dict(countries=["USA", "CHN"], runs=1,
                    evaluation={"topics": [8, 10], "per_topic": 1, "methods": ["p1", "p1-p3"],
                                "tuned": ["aware"]},
                    sampling={"max_new_tokens": 16},
                    # two topics whose generated questions the small model answers differently per
                    # country (CRQPC's pairs exist: the joint adapter trains)
                    generation={"topics": [2, 12], "per_topic": 12, "batch": 12, "max_rounds": 1},
                    finetune={"proportions": [100], "recipe_overrides": TEST_RECIPE},
                    tables={"figure4_rules": ["crqpc"]},
                    quality={"per_topic": 2, "max_new_tokens": 24}),
    # CAReDiO: two cultures, three questions on each of two topics, short answers; the selection cuts
    # the candidates to 4 per culture; two items / questions of each culture from the shipped samples,
    # one CultureBank and one Prism answer per culture rated by the embedded model; the CultureSPA
    # baseline trains on the CultureSPA part's China data (the United Kingdom is not among its countries).
    caredio=dict(cultures=["United Kingdom", "China"],
                 synthesis={"topics": ["Respect Elders", "Food"], "per_topic": 3, "max_rounds": 1,
                            "max_new_tokens": {"question": 32, "response": 32, "reasoning": 40}},
                 selection={"in_context": {"validation": 1, "shots": 2}},
                 finetune={"budgets": [4], "recipe_overrides": TEST_RECIPE},
                 evaluation={"per_culture": 2, "methods": ["backbone", "culturespa-data", "caredio-cluster",
                                                          "caredio-in-context"],
                             "open_ended": {"per_culture": 1, "max_new_tokens": 32, "judge_max_new_tokens": 8}}),
)
TARGETS = ["results/table3.csv", "results/table7.csv", "results/table1.md", "results/figure4.png",
           "results/figure4.pdf", "results/figure5.png", "results/figure5.pdf", "results/figure5.csv",
           "results/table4.csv", "results/table5.csv", "results/table6.md",
           *[f"results/report/{a}.html" for a in ["table1", "table3", "table4", "table5", "table6", "table7",
                                                  "figure4", "figure5"]],
           *[f"results/culturespa/{a}" for a in ["table1.csv", "table2.csv", "table3.csv", "table4.csv", "figure1.png",
                                                 "figure3.png", "figure4.png", "figure5.png"]],
           *[f"results/report/culturespa-{a}.html" for a in ["table1", "table2", "table3", "table4", "figure1",
                                                             "figure3", "figure4", "figure5"]],
           *[f"results/caredio/table{n}.csv" for n in range(2, 7)], "results/report/caredio-table2.html",
           "results/caredio/figure2.png", "results/caredio/figure3.png"]
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
