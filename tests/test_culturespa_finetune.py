"""CultureSPA part 2's fine-tuning data (§4.4, Table 4), Table 1's verdicts, Tables 4 and 5, and the
judge's OpenAI-compatible path against a real server (transformers serve) on 127.0.0.1."""

import csv
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import ROOT
from culturealign.engine import Sampling
from culturealign.papers.culturespa import finetune, quality
from culturealign.papers.culturespa.tables import table4, table5
from culturealign.scoring import CountryScore
from culturealign.tables import write_country_scores
from culturealign.training import EmptyTrainingSet, load_recipe

PUBLISHED_TABLES = ROOT / "resources/paper/culturespa-tables.csv"
GENERATED = [{"id": f"T8-G{i}", "topic_id": 8, "question": f"Question {i}?", "options": ["Yes", "No"]}
             for i in range(10)]


def _selection(shifted_chn=0):
    examples = [{"rule": "crqpc", "country": "USA", "qid": f"T8-G{i}", "unaware": 1, "aware": 2} for i in range(10)]
    examples += [{"rule": "crqpc", "country": "CHN", "qid": f"T8-G{i}", "unaware": 1, "aware": 2}
                 for i in range(shifted_chn)]
    counts = {"USA": {"questions": 10, "valid": 10, "shifted": 10, "same": 0, "crqpc": 10, "cds": 0, "rds": 10},
              "CHN": {"questions": 10, "valid": 8, "shifted": shifted_chn, "same": 8 - shifted_chn,
                      "crqpc": shifted_chn, "cds": shifted_chn, "rds": shifted_chn}}
    return {"variant": "aware", "counts": counts, "examples": examples}


def test_proportions_are_nested_seeded_subsets_of_each_country():
    items = list(range(37))
    subsets = [finetune.nested_subset(items, pct, 0, "USA") for pct in finetune.PROPORTIONS]
    assert [len(s) for s in subsets] == [8, 15, 23, 30, 37]  # ceil(p% x 37)
    for small, large in zip(subsets, subsets[1:]):
        assert set(small) <= set(large) and small == sorted(small)
    assert finetune.nested_subset(items, 20, 0, "USA") == subsets[0]  # seeded: the same draw again
    assert finetune.nested_subset(items, 20, 0, "CHN") != subsets[0]  # per country
    with pytest.raises(ValueError, match="outside"):
        finetune.nested_subset(items, 0, 0, "USA")


def test_training_examples_use_the_culture_aware_prompt_and_the_answer_number():
    examples, counts = finetune.training_examples(_selection(4), GENERATED, "crqpc", "all", 50, 0)
    assert [c["trained"] for c in counts.values()] == [5, 2]
    usa = [e for e in examples if e["country"] == "USA"]
    assert usa[0]["target"] == {"answer": "2"}
    assert "American" in usa[0]["messages"][0]["content"]  # P1's culture-aware system prompt (Table 9)
    assert "Question 0?" in usa[0]["messages"][1]["content"] or usa[0]["qid"] != "T8-G0"
    # the joint set at p% is the union of the specific sets at p%
    specific = [finetune.training_examples(_selection(4), GENERATED, "crqpc", c, 50, 0)[0] for c in ("USA", "CHN")]
    assert [e["qid"] for e in examples] == [e["qid"] for s in specific for e in s]


def test_a_country_without_shifted_answers_stops_with_its_counts_or_is_skipped():
    with pytest.raises(EmptyTrainingSet, match=r"CHN is empty: of 10 generated questions 8 have both answers "
                                               r"parsed, 0 shifted"):
        finetune.training_examples(_selection(0), GENERATED, "crqpc", "CHN", 100, 0)
    examples, counts = finetune.training_examples(_selection(0), GENERATED, "crqpc", "all", 100, 0, allow_empty=True)
    assert counts["CHN"]["trained"] == 0 and {e["country"] for e in examples} == {"USA"}


def test_culturespa_recipes_are_its_llama_factory_settings():
    joint = load_recipe(ROOT / "recipes/culturespa-joint.yaml")
    specific = load_recipe(ROOT / "recipes/culturespa-specific.yaml")
    t = joint["training"]
    assert (t["learning_rate"], t["batch_size"] * t["gradient_accumulation_steps"], t["epochs"]) == (1e-4, 128, 1)
    assert (specific["training"]["batch_size"], specific["training"]["gradient_accumulation_steps"]) == (1, 8)
    assert joint["lora"]["target_modules"] == "all-linear" and joint["data"] == "culturespa"


def test_a_recipe_key_trl_does_not_know_stops_before_any_training(tmp_path):
    from culturealign.training import RecipeError

    with pytest.raises(RecipeError, match=r"culturespa-joint.yaml.*warmup_ratios"):
        load_recipe(ROOT / "recipes/culturespa-joint.yaml", {"training": {"warmup_ratios": 0.1}})
    from workflow_helpers import snakemake, write_config

    config = write_config(tmp_path, culturespa={"finetune": {"recipe_overrides": {"lora": {"rank": 8}}}})
    run = snakemake(ROOT, "results/culturespa/table4.csv", "-n", "--configfile", str(config), check=False, timeout=120)
    assert run.returncode != 0 and "invalid fine-tuning recipe" in run.stdout + run.stderr
    assert "'rank'" in run.stdout + run.stderr


def test_table1_verdicts_are_parsed_never_guessed():
    assert quality.parse_verdict("1. Yes\n2. No\n3. yes\n4) YES") == [True, False, True, True]
    assert quality.parse_verdict("1. Yes\n2. No\n3. Yes") is None  # one criterion missing: invalid
    assert quality.parse_verdict("Yes, it is a good question.") is None
    rows, counts = quality.table1([{"verdict": [True, True, True, False]}, {"verdict": [True, True, True, True]},
                                   {"verdict": None}])
    assert counts == {"judged": 3, "valid": 2, "invalid": 1}
    assert [r["pass_rate"] for r in rows] == [100.0, 100.0, 100.0, 50.0, 50.0]
    picked = quality.sample(GENERATED + [{**GENERATED[0], "id": "T9-G0", "topic_id": 9}], 3, 0)
    assert [q["topic_id"] for q in picked] == [8, 8, 8, 9]
    assert quality.sample(GENERATED, 3, 0) == picked[:3]


def _scores(tmp_path, name, usa, chn):
    path = tmp_path / f"{name}.csv"
    write_country_scores(path, [CountryScore(42, "USA", 10, 0, 0, usa), CountryScore(42, "CHN", 10, 0, 0, chn)])
    return str(path)


def test_table4_and_table5_stand_beside_the_paper(tmp_path):
    tuned = lambda strategy, pct, seeds="all": {"seeds": seeds, "variant": "aware", "rule": "crqpc",  # noqa: E731
                                               "strategy": strategy, "pct": pct}
    rows = [["m", "p1", "CultureSPA (specific)", tuned("specific", 20)], ["m", "p1", "CultureSPA (joint)", tuned("joint", 20)],
            ["m", "p1", "CultureSPA (joint)", tuned("joint", 100)]]
    files = [_scores(tmp_path, "a", 60, 70), _scores(tmp_path, "b", 62, 70), _scores(tmp_path, "c", 64, 70)]
    specific, joint = table4(rows, files, str(PUBLISHED_TABLES), tmp_path / "t4.csv")
    assert (specific["20%"], specific["20%_published"], specific["20%_diff"]) == ("65.00", "66.19", "-1.19")
    assert (joint["20%"], joint["100%"], joint["100%_published"]) == ("66.00", "67.00", "67.29")
    general = [[{"benchmark": "MMLU", "value": 0.5, "task": "mmlu", "metric": "acc,none", "n_shot": 0,
                 "lm_eval_version": "0.4.13"}]] * 2
    base, all60 = table5([["m", "p1", "Baseline", None], ["m", "p1", "All (60K)", tuned("joint", 100)]],
                         files[:2], general, str(PUBLISHED_TABLES), tmp_path / "t5.csv")
    assert (base["MMLU"], base["MMLU_published"], base["Culture_published"]) == ("50.00", "67.61", "66.22")
    assert all60["Culture_published"] == "67.29" and "joint" in all60["notes"]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_the_judge_reaches_an_openai_compatible_server_with_the_official_client(tiny_run, tmp_path, monkeypatch):
    """A real server (transformers serve, the embedded model) on 127.0.0.1, started and stopped here."""
    from culturealign.judge import JudgeError, complete, describe

    weights = str(tiny_run / "results/models/smollm2-135m/weights")
    port = _free_port()
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    log = open(tmp_path / "serve.log", "w")
    server = subprocess.Popen([os.path.join(sys.prefix, "bin", "transformers"), "serve", weights, "--host",
                               "127.0.0.1", "--port", str(port), "--device", "cpu", "--dtype", "float32"],
                              env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 180
        while True:
            assert server.poll() is None, (tmp_path / "serve.log").read_text()[-2000:]
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)
                break
            except OSError:
                assert time.time() < deadline, "transformers serve did not come up"
                time.sleep(0.5)
        secret = "sk-FAKE-judge-key-0004"
        monkeypatch.setenv("CULTUREALIGN_TEST_JUDGE_KEY", secret)
        endpoints = {"local": {"base_url": f"http://127.0.0.1:{port}/v1", "model": weights,
                               "api_key_env": "CULTUREALIGN_TEST_JUDGE_KEY"}}
        conversations = [quality.conversation(GENERATED[0], "Postmaterialist Index")]
        texts, determinism = complete(conversations * 2, judge="local", models={}, endpoints=endpoints,
                                      sampling=Sampling(temperature=0.0, max_new_tokens=12, seed=0))
        assert len(texts) == 2 and texts[0] and texts[0] == texts[1]  # greedy: the same answer twice
        assert "remote endpoint" in determinism
        # CAReDiO's judge of CultureBank and Prism answers goes through the same client
        from culturealign.papers.caredio.open_ended import judge_conversation, parse_rating

        rated, _ = complete([judge_conversation("prism", "China", {"question": "Is it okay to cut family off?"},
                                                "It depends on the family.")], judge="local", models={},
                            endpoints=endpoints, sampling=Sampling(temperature=0.0, max_new_tokens=8, seed=0))
        assert len(rated) == 1 and rated[0].strip() and parse_rating(rated[0]) in (None, 1, 2, 3, 4, 5)
        shown = json.dumps(describe("local", {}, endpoints))
        assert "CULTUREALIGN_TEST_JUDGE_KEY" in shown and secret not in shown
        monkeypatch.delenv("CULTUREALIGN_TEST_JUDGE_KEY")
        with pytest.raises(JudgeError, match="CULTUREALIGN_TEST_JUDGE_KEY .* is not set"):
            complete(conversations, judge="local", models={}, endpoints=endpoints, sampling=Sampling())
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.mark.slow
def test_lm_eval_runs_a_local_task_with_a_culturespa_adapter(tiny_run, monkeypatch, tmp_path):
    """Table 5's harness path offline: lm_eval.simple_evaluate with the hf model and the tiny run's
    CultureSPA adapter (peft=) on the small multiple-choice task in tests/data/lm_eval."""
    from culturealign.papers.culturespa.general import evaluate

    monkeypatch.chdir(ROOT)
    for var in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "TRANSFORMERS_OFFLINE"):
        monkeypatch.setenv(var, "1")
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "datasets"))
    adapter = tiny_run / "results/culturespa/adapters/smollm2-135m/all/aware/crqpc/all/p100"
    assert (adapter / "adapter_config.json").exists()
    result = evaluate(weights=str(tiny_run / "results/models/smollm2-135m/weights"), adapter=str(adapter),
                      task="culturealign_local_mc", metric="acc,none", dtype="float32", device="cpu", batch_size=8,
                      limit=None, include_path=str(ROOT / "tests/data/lm_eval"), num_fewshot=None, seed=0)
    assert result["n_samples"]["effective"] == 5 and 0.0 <= result["value"] <= 1.0
    assert f"peft={adapter}" in result["model_args"]
    with pytest.raises(KeyError, match="reports no metric 'f1,none'"):
        evaluate(weights=str(tiny_run / "results/models/smollm2-135m/weights"), adapter=None,
                 task="culturealign_local_mc", metric="f1,none", dtype="float32", device="cpu", batch_size=8,
                 limit=2, include_path=str(ROOT / "tests/data/lm_eval"), num_fewshot=None, seed=0)


@pytest.mark.slow
def test_the_tiny_run_makes_culturespa_part_2(tiny_run):
    """Generated questions -> CRQPC -> a joint LoRA adapter with real updates -> its predictions ->
    Table 2's CultureSPA rows, Tables 1, 3, 4 and Figures 3, 4, each beside the paper where it prints."""
    def rows(name):
        return list(csv.DictReader(open(tiny_run / f"results/culturespa/{name}")))

    table2 = rows("table2.csv")
    assert [(r["prompting"], r["variant"]) for r in table2] == [
        (p, v) for p in ("P1", "P1+P3") for v in ("Baseline", "CultureSPA")]
    for row in table2:
        assert row["USA"] and row["CHN"] and row["Avg_published"]
    joint = tiny_run / "results/culturespa/adapters/smollm2-135m/all/aware/crqpc/all/p100"
    metrics = json.loads((joint / "metrics.json").read_text())
    assert metrics["updated"] and metrics["examples"] > 0 and metrics["recipe"]["method"] == "culturespa-joint"
    training = [json.loads(x) for x in (tiny_run / "results/culturespa/train/smollm2-135m/all/aware/crqpc/all/"
                                        "p100.jsonl").read_text().splitlines()]
    assert len(training) == metrics["examples"] and all(e["aware"] != e["unaware"] for e in training)
    predictions = tiny_run / "results/culturespa/predictions/smollm2-135m/sft/all/aware/crqpc/joint/p100"
    records = [json.loads(x) for x in (predictions / "p1/run0.jsonl").read_text().splitlines()]
    assert sorted({r["country"] for r in records}) == ["CHN", "USA"]
    # CultureSPA (specific): one job for both countries, each answered with its own adapter (or the
    # base model where its adapter was skipped)
    specific = tiny_run / "results/culturespa/predictions/smollm2-135m/sft/all/aware/crqpc/specific/p100/p1/run0.jsonl"
    used = {(r["country"], r["adapter"]) for r in map(json.loads, specific.read_text().splitlines())}
    assert {c for c, _ in used} == {"CHN", "USA"} and any(a for _, a in used)
    assert all(a in (None, f"results/culturespa/adapters/smollm2-135m/all/aware/crqpc/{c}/p100") for c, a in used)
    assert records and all(r["adapter"] == "results/culturespa/adapters/smollm2-135m/all/aware/crqpc/all/p100"
                           for r in records)
    assert [(r["variant"], r["Avg_published"]) for r in rows("table3.csv")] == [
        ("Baseline", "61.70"), ("CultureSPA", "65.60")]  # Table 3: Mistral's numbers beside
    table4 = rows("table4.csv")
    assert [(r["variant"], r["100%_published"]) for r in table4] == [
        ("CultureSPA (specific)", "66.75"), ("CultureSPA (joint)", "67.29")]
    assert table4[1]["100%"] == next(r["Avg"] for r in table2 if (r["prompting"], r["variant"]) == ("P1", "CultureSPA"))
    figure3 = rows("figure3.csv")
    assert len(figure3) == 13 * 2 and sum(int(r["examples"]) for r in figure3) == sum(
        1 for e in json.loads((tiny_run / "results/culturespa/train/smollm2-135m/all/aware.json").read_text())["examples"]
        if e["rule"] == "crqpc")
    assert {r["rule"] for r in rows("figure4.csv")} == {"CRQPC"}
    table1 = rows("table1.csv")
    assert [r["published"] for r in table1] == ["100.0", "99.2", "96.5", "91.9", "88.5"]
    assert int(table1[0]["judged"]) == int(table1[0]["valid"]) + int(table1[0]["invalid"]) > 0
    figure1 = rows("figure1.csv")
    assert {r["method"] for r in figure1} == {"Culture-unaware", "P1", "CultureSPA, P1"}
    assert any(r["published"] for r in figure1 if r["method"] == "CultureSPA, P1")
