"""The leaderboard across the three papers: its rows, countries, scores, paired tests, cost from the
lineage records, a method added in one file, and (slow) the tiny run's leaderboard."""

import csv
import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, write_jsonl

RECIPES = {"sft": {"data": "answer"}, "cot-sft": {"data": "cot"}, "cnca-sft": {"data": "cnca"},
           "cnca-dpo": {"data": "dpo"}}
# Every method the three papers name (the leaderboard's issue lists them): none may be missing.
PAPER_ROWS = {
    "cnca": ["vanilla", "icl", "cnca-t", "cnca-tq-ta", "cnca-tq-ra", "sft", "cot-sft", "cnca-sft", "cnca-dpo"],
    "culturespa": ["culture-unaware", "p1", "p2", "p3", "p1-p3", "p2-p3", "culturespa-joint",
                   "culturespa-specific", "culturespa-cct"],
    "caredio": ["caredio-backbone", "caredio-role-play", "caredio-cluster", "caredio-in-context"],
}


def config(**overrides):
    from culturealign.config import validate_config
    from culturealign.schema import merge

    return validate_config(merge(yaml.safe_load((ROOT / "config.yaml").read_text()), overrides))


def test_every_method_of_the_three_papers_has_a_row_reading_the_right_files():
    from culturealign import leaderboard as lb

    cfg = config()
    rows = {r.key: r for r in lb.rows(cfg, RECIPES)}
    for paper, keys in PAPER_ROWS.items():
        assert [k for k in rows if rows[k].paper == paper] == [
            *[k for k in keys if rows[k].kind == "prompting"], *[k for k in keys if rows[k].kind == "fine-tuned"]]
    assert lb.countries(cfg) == ["GBR", "CHN"]  # cnca.countries in culturespa.countries and caredio.cultures
    # CNCA's rows are CNCA's own prediction files (the same jobs as Tables 3 and 4)
    assert lb.wvs_files(cfg, rows["cnca-tq-ta"]) == [
        f"results/predictions/smollm2-135m/cnca-tq-ta/miner-smollm2-135m/k5/{c}/seed0.jsonl" for c in ("GBR", "CHN")]
    assert lb.wvs_files(cfg, rows["sft"])[0] == "results/predictions/smollm2-135m/sft/GBR/seed0.jsonl"
    # CAReDiO's benchmark rows are CAReDiO's own prediction files (Table 2's jobs)
    assert lb.benchmark_file(cfg, rows["caredio-cluster"]) == "results/caredio/predictions/smollm2-135m/caredio-cluster.json"
    assert rows["caredio-cluster"].adapters["GBR"].endswith("/united-kingdom/adapter")
    assert lb.wvs_files(cfg, rows["p1"]) == ["results/leaderboard/predictions/smollm2-135m/p1/seed0.jsonl"]
    # the benchmarks ask only methods that are their system prompt (and adapter)
    for key in ("icl", "cnca-t", "p3", "p1-p3"):
        assert lb.benchmark_file(cfg, rows[key]) is None and rows[key].benchmark_note.startswith("not asked")
    for key in ("vanilla", "sft", "cnca-dpo", "p1", "p2", "culture-unaware", "culturespa-specific", "caredio-backbone"):
        assert lb.benchmark_file(cfg, rows[key]) and not rows[key].benchmark_note
    assert rows["culturespa-specific"].adapters["CHN"].endswith("/aware/crqpc/CHN/p100")
    assert rows["culturespa-cct"].method == "p1" and rows["culturespa-cct"].parser == "first-integer"


def test_a_method_the_model_cannot_run_keeps_its_row_with_the_reason():
    from culturealign import leaderboard as lb

    cfg = config(cnca={"finetune": {"distill": {"accept_untagged": False}}})
    rows = {r.key: r for r in lb.rows(cfg, RECIPES)}
    for key in ("cot-sft", "cnca-sft", "cnca-dpo"):
        assert "not a reasoning model" in rows[key].reason and lb.wvs_files(cfg, rows[key]) == []
        assert lb.benchmark_file(cfg, rows[key]) is None
    assert not rows["sft"].reason  # trained on answers, no chains


def test_leaderboard_countries_are_checked_against_all_three_papers():
    from culturealign import leaderboard as lb
    from culturealign.schema import ConfigError

    with pytest.raises(ConfigError, match=r"leaderboard.countries.*\['NGA'\] not in cnca.countries"):
        config(leaderboard={"countries": ["NGA"]})
    with pytest.raises(ConfigError, match=r"leaderboard.model.*'nope'"):
        config(leaderboard={"model": "nope"})
    # papers that share no country: every other target still runs; the leaderboard names the keys
    cfg = config(cnca={"countries": ["USA", "CHN"], "figures": {"table1": {"country": "USA"}},
                       "table6": {"country": "USA"}},
                 culturespa={"countries": ["USA", "NGA", "DEU"]})
    with pytest.raises(ConfigError, match="leaderboard.countries.*no country is in all of cnca.countries"):
        lb.countries(cfg)


def _records(path: Path, answers: dict[tuple[str, str], int], method: str, seed: int = 0) -> Path:
    return write_jsonl(path, [{"qid": q, "country": c, "seed": seed, "response": str(a), "method": method}
                              for (q, c), a in answers.items()])


def test_scores_order_paired_tests_and_reference_rows(tmp_path, questions):
    from culturealign.leaderboard import Row
    from culturealign.leaderboard.table import build

    countries = ["GBR", "CHN", "USA"]
    qids = [q for q in sorted(questions)[:40]
            if all(questions[q]["ground_truth"].get(c) is not None for c in countries)][:12]
    truth = {(q, c): questions[q]["ground_truth"][c] for q in qids for c in countries}
    first = {(q, c): questions[q]["options"][0]["id"] for q in qids for c in countries}
    last = {(q, c): questions[q]["options"][-1]["id"] for q in qids for c in countries}
    mixed = {k: (truth[k] if i % 2 else last[k]) for i, k in enumerate(truth)}
    files = {"oracle": _records(tmp_path / "o.jsonl", truth, "oracle"),
             "mixed": _records(tmp_path / "m.jsonl", mixed, "mixed"),
             "last": _records(tmp_path / "l.jsonl", last, "last")}
    # a country-free method: one set of answers (country None), scored against every country
    write_jsonl(tmp_path / "free.jsonl", [{"qid": q, "country": None, "seed": 0, "response": str(first[(q, "GBR")])}
                                          for q in qids])
    files["free"] = tmp_path / "free.jsonl"
    # no readable answer for USA: left out of its mean and of its paired tests (a note says so)
    files["no-usa"] = _records(tmp_path / "n.jsonl", {k: (v if k[1] != "USA" else "none") for k, v in mixed.items()},
                               "no-usa")
    rows = [Row(k, "cnca", k.title(), "prompting", "vanilla", {}, "leaderboard", "") for k in files]
    rows.append(Row("cannot", "cnca", "Cannot", "fine-tuned", "cot-sft", {}, "cnca", "", reason="not a reasoning model"))
    table, per_country = build(rows, {k: [str(f)] for k, f in files.items()}, {}, questions, qids, countries, [0],
                               alpha=0.05, root=tmp_path)
    by_key = {r["key"]: r for r in table}
    assert float(by_key["oracle"]["wvs_score"]) == 100.0 and by_key["oracle"]["rank"] == 1
    # the country-free answers are always the first option: exactly the reference row's score
    assert by_key["free"]["wvs_score"] == by_key["first-option"]["wvs_score"]
    scored = [r["key"] for r in table if r["rank"] != ""]
    assert [r["key"] for r in table][-1] == "cannot" and by_key["cannot"]["rank"] == ""
    assert by_key["cannot"]["note"] == "not a reasoning model" and by_key["cannot"]["wvs_score"] == ""
    ranks = [float(by_key[k]["wvs_score"]) for k in scored]
    assert ranks == sorted(ranks, reverse=True)
    for above, below in zip(scored, scored[1:]):  # each scored row is tested against the next one
        assert by_key[above]["vs_below"] == below
    assert by_key[scored[-1]]["vs_below"] == ""
    from scipy import stats

    for above, below in zip(scored, scored[1:]):  # CNCA's paired t-test over countries, recomputed
        a, b = ({r["country"]: float(r["score"]) for r in per_country if r["key"] == k and r["score"] is not None}
                for k in (above, below))
        both = sorted(a.keys() & b.keys())
        x, y = [a[c] for c in both], [b[c] for c in both]
        p = stats.ttest_rel(x, y).pvalue if x != y else 1.0
        assert float(by_key[above]["p_vs_below"]) == pytest.approx(p, abs=1e-4)
        assert by_key[above]["holds"] == ("yes" if p < 0.05 else "no")
    assert by_key["no-usa"]["countries_without_score"] == "USA" and "no valid answer for USA" in by_key["no-usa"]["note"]
    assert {r["key"] for r in per_country} == {*files, "first-option", "uniform-random"}
    assert len([r for r in per_country if r["key"] == "oracle"]) == 3


def test_p3_shows_only_training_questions_and_skipped_adapters_are_read_from_the_predictions(split):
    from culturealign.leaderboard import p3_candidates
    from culturealign.leaderboard.table import base_model_countries
    from culturealign.wvs import train_questions

    train = [q for tid in split["topics"] for q in train_questions(split, int(tid))]
    test = [q for tid in split["topics"] for q in split["topics"][tid]["test"]]
    ranking = {test[0]: [test[1], train[3], test[2], train[0], train[7]]}
    assert p3_candidates(ranking, split) == {test[0]: [train[3], train[0], train[7]]}
    records = [{"country": "GBR", "adapter": "results/a/GBR"}, {"country": "CHN", "adapter": None}]
    assert base_model_countries(records) == ["CHN"]


def _record(root: Path, rule: str, outputs: list[str], inputs: list[str], usage: dict | None, started: str) -> None:
    entry = lambda p, t="file": {"path": p, "sha256": "0" * 64, "type": t}  # noqa: E731
    record = {"schema": "culturealign.provenance/1", "rule": rule, "wildcards": {}, "code": {}, "software": {},
              "inputs": [entry(p) for p in inputs], "started": started,
              "outputs": [entry(p, "directory" if p.endswith("adapter") else "file") for p in outputs]}
    if usage is not None:
        record["usage"] = usage
    for out in outputs:
        path = root / "provenance" / f"{out}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(record))


def test_cost_is_read_from_the_lineage_records_once_per_job(tmp_path):
    from culturealign.leaderboard.table import cost

    use = lambda cpu, gpu, tokens: {"cpu_seconds": cpu, "gpu_seconds": gpu, "wall_seconds": cpu,  # noqa: E731
                                    "generated_tokens": tokens}
    _record(tmp_path, "materialise_model", ["results/models/m/manifest.json"], [], use(100, 0, 0), "t0")
    _record(tmp_path, "train", ["results/a/adapter"], ["results/train.jsonl", "results/models/m/manifest.json"],
            use(30, 10, 0), "t1")
    (tmp_path / "results/a/adapter").mkdir(parents=True)
    (tmp_path / "results/a/adapter/metrics.json").write_text(json.dumps({"examples": 26}))
    _record(tmp_path, "data", ["results/train.jsonl"], ["resources/wvs/x.json"], None, "t2")  # an old record
    # one prediction job, two outputs: counted once
    _record(tmp_path, "predict", ["results/p/GBR.jsonl", "results/p/CHN.jsonl"],
            ["results/a/adapter", "results/models/m/manifest.json"], use(5, 0, 120), "t3")
    total = cost(["results/p/GBR.jsonl", "results/p/CHN.jsonl"], tmp_path)
    assert total == {"jobs": 3, "training_examples": 26, "generated_tokens": 120, "cpu_seconds": 35.0,
                     "gpu_seconds": 10.0, "wall_seconds": 35.0, "jobs_without_usage": 1}


def test_a_method_registered_in_one_file_reaches_the_leaderboard(tmp_path):
    """docs/leaderboard.md: a module in culturealign/methods/ registers a method; nothing else changes."""
    src = tmp_path / "src"
    shutil.copytree(ROOT / "src", src, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    (src / "culturealign/methods/toy.py").write_text(TOY_METHOD)
    code = ("import json, yaml; from culturealign.config import validate_config; from culturealign import leaderboard; "
            f"cfg = validate_config(yaml.safe_load(open({str(ROOT / 'config.yaml')!r}))); "
            f"print(json.dumps([r.as_dict() for r in leaderboard.rows(cfg, {RECIPES!r})]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(src)})
    rows = {r["key"]: r for r in json.loads(out.stdout)}
    assert rows["toy-proverb"]["paper"] == "community" and rows["toy-proverb"]["wvs"] == "leaderboard"
    assert rows["toy-proverb"]["benchmarks"] == "leaderboard"  # system_only: asked the benchmarks too
    assert list(rows)[-1] == "toy-proverb"  # after the papers' rows


# The docs' example (docs/leaderboard.md), as a user writes it in src/culturealign/methods/toy.py.
TOY_METHOD = '''"""A toy method: CNCA's Standard instruction under a system prompt that quotes a proverb."""

from culturealign.papers.cnca.methods import standard_prompt
from culturealign.registry import register_method
from culturealign.wvs import COUNTRY_NAMES


def proverb_system(country, ctx=None):
    return f"As the proverb says, when in {COUNTRY_NAMES[country]}, do as its people do. Answer as one of them."


@register_method("toy-proverb", "Toy proverb", "community", proverb_system, options={"system_only": True})
def proverb(question, country, ctx):
    return standard_prompt(question)
'''


@pytest.mark.slow
def test_the_tiny_run_makes_the_leaderboard_and_a_new_method_joins_it(tiny_run, tmp_path):
    from workflow_helpers import snakemake

    table = list(csv.DictReader(open(tiny_run / "results/leaderboard.csv")))
    keys = [r["key"] for r in table]
    for paper_keys in PAPER_ROWS.values():
        assert set(paper_keys) <= set(keys)
    for row in table:  # a score, or the reason why not
        assert row["wvs_score"] != "" or (row["countries_without_score"] == "CHN" and "no valid answer" in row["note"]) \
            or "reasoning" in row["note"], row
        if row["kind"] != "reference":
            assert int(row["jobs"]) > 0 and float(row["cpu_seconds"]) > 0, row
    fine_tuned = [r for r in table if r["kind"] == "fine-tuned"]
    assert all(r["globalopinionqa"] != "" and r["culturalbench_hard"] != "" for r in fine_tuned)
    assert all(int(r["training_examples"]) > 0 for r in fine_tuned if "skipped" not in r["note"])
    assert (tiny_run / "results/leaderboard.png").stat().st_size > 10_000
    # each fine-tuned row answered with its own adapter (none skipped in the tiny run: no note says so)
    for key in ("caredio-cluster", "culturespa-specific", "culturespa-joint"):
        records = [json.loads(x) for x in
                   (tiny_run / f"results/leaderboard/predictions/smollm2-135m/{key}/seed0.jsonl").read_text().splitlines()]
        assert records and all(r["country"] == "CHN" and r["adapter"] for r in records), key
    scores = list(csv.DictReader(open(tiny_run / "results/leaderboard/scores.csv")))
    assert {r["country"] for r in scores} == {"CHN"}  # the tiny grid's one country in all three papers
    trace = subprocess.run([sys.executable, "-m", "culturealign.cli", "provenance", "results/leaderboard.csv"],
                           cwd=tiny_run, capture_output=True, text=True)
    assert trace.returncode == 0, trace.stdout + trace.stderr

    # one file adds a method: its row appears, the other rows' jobs are not run again
    work = tmp_path / "repo"
    shutil.copytree(tiny_run, work, symlinks=True, ignore=shutil.ignore_patterns(".venv", "__pycache__"))
    (work / "src/culturealign/methods/toy.py").write_text(TOY_METHOD)
    run = snakemake(work, "results/leaderboard.csv", "--configfile", "test-config.yaml")
    ran = [line.split("rule ")[1].rstrip(":") for line in run.stdout.splitlines() + run.stderr.splitlines()
           if line.startswith("rule ") or line.startswith("localrule ")]
    assert sorted(set(ran)) == ["leaderboard_benchmarks", "leaderboard_predict", "leaderboard_table"], ran
    table = {r["key"]: r for r in csv.DictReader(open(work / "results/leaderboard.csv"))}
    assert table["toy-proverb"]["paper"] == "community" and table["toy-proverb"]["globalopinionqa"] != ""
    toy = table["toy-proverb"]
    assert (toy["wvs_score"] != "" and not math.isnan(float(toy["wvs_score"]))) or toy["countries_without_score"] == "CHN"
