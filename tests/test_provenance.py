"""Lineage records and `culturealign provenance`: records written by hand-made jobs (fast), then the
records of the shared end-to-end run (tiny_run): every output has one, no secret is in any, a
hand-edited prediction, a replaced checkpoint, a swapped survey file and a malformed record are each
found with path and both checksums, the re-run check, the report in headless Chromium, and two runs
from scratch that write the same bytes."""

import hashlib
import html
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from culturealign import provenance as prov
from culturealign.config import validate_config

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "culturealign.cli"]


# ----------------------------------------------------------------------------- hand-made jobs


class FakeJob:
    """What a rule's script sees as `snakemake`, for jobs run by hand."""

    def __init__(self, rule, inputs, outputs, params=None, wildcards=None, config=None):
        from snakemake.iocontainers import Namedlist

        self.rule, self.threads, self.scriptdir = rule, 1, str(ROOT / "scripts")
        self.input, self.output = Namedlist(fromdict=inputs), Namedlist(fromdict=outputs)
        self.params, self.wildcards = Namedlist(fromdict=params or {}), Namedlist(fromdict=wildcards or {})
        self.config, self.log = config or {"countries": ["USA"]}, []

    def run(self, make):
        job = prov.begin(self)
        make()
        return prov.write_records(self, job)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def replace_file(path: Path, data: bytes) -> None:
    """Write a new file in place of `path` (never through a hard link shared with another copy)."""
    path.unlink()
    path.write_bytes(data)


@pytest.fixture
def small(tmp_path, monkeypatch):
    """vendored file -> results/a.txt -> results/dir/ (two files) -> results/c.csv, by hand."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "resources/v").mkdir(parents=True)
    Path("resources/v/data.txt").write_text("survey\n")
    Path("resources/v/SHA256SUMS").write_text(f"{sha(b'survey' + bytes([10]))}  data.txt\n")
    Path("results/dir").mkdir(parents=True)

    a = FakeJob("wvs_questions", {"data": "resources/v/data.txt"}, {"out": "results/a.txt"})
    a.run(lambda: Path("results/a.txt").write_text("a\n"))
    b = FakeJob("cnca_split", {"a": "results/a.txt"}, {"out": "results/dir"},
                params={"seed": 7, "train_per_topic": 5,
                        "config_read": {"cnca.split.seed": 7, "cnca.split.train_per_topic": 5}},
                config={"cnca": {"split": {"seed": 7, "train_per_topic": 5}}})
    b.run(lambda: [Path("results/dir/x.bin").write_bytes(b"x"), Path("results/dir/y.bin").write_bytes(b"y"),
                   Path("results/dir/.snakemake_timestamp").write_bytes(b"")])
    c = FakeJob("table3", {"dir": "results/dir"}, {"out": "results/c.csv"},
                config={"evaluation": {"models": ["m"], "methods": ["vanilla"]}, "countries": ["USA"], "seeds": [0],
                        "norms": {"table_miner": "self", "m": 5}})
    c.run(lambda: Path("results/c.csv").write_text("score\n1\n"))
    return tmp_path


def test_records_trace_a_clean_lineage(small):
    trace = prov.Trace("results/c.csv")
    assert trace.ok, trace.problems
    assert set(trace.nodes) == {"results/c.csv", "results/dir", "results/a.txt", "resources/v/data.txt"}
    assert [n.path for n in trace.roots()] == ["resources/v/data.txt"]
    record = json.loads(Path("provenance/results/dir.json").read_text())
    assert record["rule"] == "cnca_split" and record["seeds"] == {"params.seed": 7}
    assert record["config"]["keys"] == {"cnca.split.seed": 7, "cnca.split.train_per_topic": 5}
    assert "config_read" not in record["params"]
    assert record["outputs"][0]["type"] == "directory"
    assert set(record["outputs"][0]["files"]) == {"x.bin", "y.bin"}  # Snakemake's timestamp left out
    assert record["code"]["source"]["files"] > 20 and record["software"]["python"]
    assert record["determinism"].startswith("deterministic")
    for key in ("started", "finished", "host", "slurm_job_id", "params", "wildcards", "inputs"):
        assert key in record


def test_changed_file_inside_a_directory_output_is_named_with_both_checksums(small):
    replace_file(Path("results/dir/y.bin"), b"Y")
    trace = prov.Trace("results/c.csv")
    [problem] = trace.problems
    assert problem.path == "results/dir/y.bin" and problem.kind == "changed"
    assert (problem.recorded, problem.now) == (sha(b"y"), sha(b"Y"))
    assert sha(b"y") in problem.message and sha(b"Y") in problem.message


def test_swapped_vendored_file_is_found_by_the_record_and_by_sha256sums(small):
    replace_file(Path("resources/v/data.txt"), b"other survey\n")
    kinds = {(p.path, p.kind) for p in prov.Trace("results/c.csv").problems}
    assert kinds == {("resources/v/data.txt", "changed"), ("resources/v/data.txt", "input-changed")}


def test_missing_malformed_and_absent_records_are_reported_not_crashed_on(small):
    Path("provenance/results/a.txt.json").write_text('{"schema": "culturealign.provenance/1", "rule": ')
    problems = prov.Trace("results/c.csv").problems
    assert [(p.path, p.kind) for p in problems] == [("results/a.txt", "malformed-record")]
    assert "provenance/results/a.txt.json" in problems[0].message

    Path("provenance/results/a.txt.json").write_text(json.dumps({"schema": prov.SCHEMA, "rule": "x"}))
    assert "key 'inputs' is missing" in prov.Trace("results/c.csv").problems[0].message

    Path("provenance/results/a.txt.json").unlink()
    [problem] = prov.Trace("results/c.csv").problems
    assert (problem.path, problem.kind) == ("results/a.txt", "no-record")

    Path("results/c.csv").unlink()
    assert [p.kind for p in prov.Trace("results/c.csv").problems][0] == "missing"


def test_a_job_that_starts_again_drops_the_old_record_first(small):
    prov.begin(FakeJob("wvs_questions", {}, {"out": "results/a.txt"}))
    assert not Path("provenance/results/a.txt.json").exists()


def test_no_environment_secret_and_no_secret_named_value_is_written(small, monkeypatch):
    monkeypatch.setenv("HF_TOKEN", "hf_abcdefgh12345678")
    job = FakeJob("score", {"a": "results/a.txt"}, {"out": "results/s.csv"},
                  params={"api_key": "plain-key-value", "note": "uses hf_abcdefgh12345678", "max_new_tokens": 64},
                  config={"countries": ["USA"], "seeds": [0]})
    job.run(lambda: Path("results/s.csv").write_text("s\n"))
    text = Path("provenance/results/s.csv.json").read_text()
    assert "hf_abcdefgh12345678" not in text and "plain-key-value" not in text
    record = json.loads(text)
    assert record["params"]["max_new_tokens"] == 64 and record["params"]["api_key"] == prov.REDACTED


def test_dot_and_json_views(small):
    trace = prov.Trace("results/c.csv")
    dot = prov.render.dot(trace)
    assert dot.startswith("digraph lineage {") and dot.rstrip().endswith("}")
    assert '"results/dir" -> "results/c.csv";' in dot and '"resources/v/data.txt" -> "results/a.txt";' in dot
    data = json.loads(json.dumps(prov.render.as_json(trace)))
    assert data["ok"] and data["roots"][0]["path"] == "resources/v/data.txt"


def test_every_rule_passes_what_it_reads_of_the_config_through_params():
    """The lineage record lists the config keys a job's inputs and params came from: every rule builds
    its params with config_params (rules/common/config.smk), and no script reads snakemake.config."""
    for smk in [ROOT / "Snakefile", *sorted((ROOT / "rules").rglob("*.smk"))]:
        blocks = re.split(r"^(?=rule \w+:|use rule )", smk.read_text(), flags=re.M)[1:]
        for block in blocks:
            name = block.split(":", 1)[0]
            if name == "rule all" or "**config_params(" in block or block.startswith("use rule"):
                continue
            raise AssertionError(f"{smk.relative_to(ROOT)}: {name} has no **config_params(...) params")
    for script in sorted((ROOT / "scripts").rglob("*.py")):
        assert "snakemake.config" not in script.read_text(), f"{script.relative_to(ROOT)} reads snakemake.config"


def test_a_config_view_records_what_is_read():
    from culturealign.configview import ConfigView, minimal, plain

    config = {"cnca": {"figures": {"figure4_models": ["a"], "table1": {"topic": 10}}, "seeds": [0]},
              "models": {"a": {"name": "A", "dtype": "float32"}}}
    view = ConfigView(config)
    assert view["cnca"]["figures"]["figure4_models"] == ["a"]
    assert plain(view["models"]["a"]) == {"name": "A", "dtype": "float32"}     # a whole subtree
    assert view["models"]["a"].get("paper_label") is None                      # absent: nothing recorded
    assert minimal(view.reads) == {"cnca.figures.figure4_models": ["a"], "models.a": {"name": "A", "dtype": "float32"}}
    view = ConfigView(config)
    list(view["cnca"]["figures"])                                              # iterating reads the whole mapping
    assert set(minimal(view.reads)) == {"cnca.figures"}


def test_cli_names_an_unknown_path(tmp_path):
    run = subprocess.run([*CLI, "provenance", "-C", str(tmp_path), "results/nothing.csv"], capture_output=True, text=True)
    assert run.returncode == 2 and "results/nothing.csv" in run.stderr and "Traceback" not in run.stderr


# ----------------------------------------------------------------------------- the end-to-end run


def cli(workdir: Path, *args) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, "provenance", *args], cwd=workdir, capture_output=True, text=True)


def linked_copy(src: Path, dest: Path) -> Path:
    """A copy of a workflow directory whose files are hard links (tamper with replace_file only)."""
    shutil.copytree(src, dest, copy_function=os.link, symlinks=True)
    return dest


def output_files(workdir: Path) -> list[str]:
    return sorted(str(p.relative_to(workdir)) for p in (workdir / "results").rglob("*") if p.is_file())


@pytest.mark.slow
def test_every_output_of_the_run_has_a_record_that_verifies(tiny_run):
    from conftest import TARGETS

    missing = []
    for path in output_files(tiny_run):
        parts = Path(path).parts
        # a file inside a directory output (a model's weights, an adapter) is covered by that record
        if not any(prov.record_path("/".join(parts[:i]), tiny_run).exists() for i in range(2, len(parts) + 1)):
            missing.append(path)
    assert not missing, f"outputs without a lineage record: {missing}"
    rules = {json.loads(p.read_text())["rule"] for p in (tiny_run / "provenance").rglob("*.json")}
    assert {"materialise_model", "cnca_predict", "cnca_mine_norms", "cnca_distill", "cnca_train_adapter", "cnca_cdeval_predict",
            "cnca_table3", "lineage"} <= rules
    for target in TARGETS:
        run = cli(tiny_run, target)
        assert run.returncode == 0, run.stdout + run.stderr
        assert "every recorded checksum matches" in run.stdout
    data = json.loads(cli(tiny_run, "--format", "json", "results/table4.csv").stdout)
    assert any(n["path"] == "resources/wvs/wvs_questions.json" for n in data["roots"])
    assert any(p.startswith("results/adapters/") for p in data["nodes"])
    [model] = data["models"]
    assert model["id"] == "smollm2-135m" and model["weights_sha256"]["model.safetensors"]
    sft = json.loads(prov.record_path("results/predictions/smollm2-135m/sft/USA/seed0.jsonl", tiny_run).read_text())
    assert sft["adapters"] and sft["model"]["revision"] == "0.1.2" and sft["seeds"] == {"wildcards.seed": "0"}
    assert sft["sampling"]["params.sampling.temperature"] == 0.6


@pytest.mark.slow
def test_no_environment_secret_is_in_any_record(tiny_run):
    from conftest import FAKE_SECRETS

    records = list((tiny_run / "provenance").rglob("*.json"))
    assert len(records) > 50
    for record in records:
        text = record.read_text()
        for value in FAKE_SECRETS.values():
            assert value not in text, f"{value} written to {record}"


@pytest.mark.slow
@pytest.mark.parametrize("case", ["prediction", "checkpoint", "survey"])
def test_tampering_is_found_with_path_and_both_checksums(tiny_run, tmp_path, case):
    work = linked_copy(tiny_run, tmp_path / "w")
    path = {"prediction": "results/predictions/smollm2-135m/vanilla/USA/seed0.jsonl",
            "checkpoint": "results/models/smollm2-135m/weights/model.safetensors",
            "survey": "resources/wvs/proportions_group_by_country.json"}[case]
    before = (work / path).read_bytes()
    after = before.replace(b'"', b"'", 1) if case != "checkpoint" else before[:-4096] + bytes(4096)
    replace_file(work / path, after)
    run = cli(work, "--format", "json", "results/table3.csv")
    assert run.returncode == 1 and "Traceback" not in run.stderr
    problems = json.loads(run.stdout)["problems"]
    mine = [p for p in problems if p["path"] == path]
    assert mine, problems
    assert all(p["recorded"] == sha(before) and p["now"] == sha(after) for p in mine)
    text = cli(work, "results/table3.csv")
    assert text.returncode == 1 and f"{path} changed" in text.stdout
    assert sha(before) in text.stdout and sha(after) in text.stdout


@pytest.mark.slow
def test_a_malformed_record_is_reported(tiny_run, tmp_path):
    work = linked_copy(tiny_run, tmp_path / "w")
    replace_file(prov.record_path("results/data/split.json", work), b"{not json")
    run = cli(work, "results/table3.csv")
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "MALFORMED-RECORD: lineage record provenance/results/data/split.json.json is not readable JSON" in run.stdout


@pytest.mark.slow
def test_rerun_check(tiny_run, tmp_path):
    work = linked_copy(tiny_run, tmp_path / "w")
    run = cli(work, "--rerun-check", "--configfile", "test-config.yaml", "results/table5.csv")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "would NOT change" in run.stdout and "Snakemake's metadata: none of the" in run.stdout

    config = yaml.safe_load((work / "test-config.yaml").read_text())
    config["cnca"]["sampling"]["temperature"] = 0.7
    (work / "other.yaml").write_text(yaml.safe_dump(config))
    run = cli(work, "--rerun-check", "--configfile", "other.yaml", "results/table5.csv")
    assert run.returncode == 1 and "config: results/cdeval/predictions/smollm2-135m/sft/seed0.jsonl read cnca.sampling" \
        in run.stdout
    assert "params" in run.stdout  # Snakemake's own metadata agrees: the params changed

    cdeval = work / "src/culturealign/papers/cnca/cdeval.py"
    replace_file(cdeval, cdeval.read_bytes() + b"\n")
    run = cli(work, "--rerun-check", "--no-snakemake", "--configfile", "test-config.yaml", "results/table5.csv")
    assert run.returncode == 1 and "code: results/table5.csv was made by workflow source" in run.stdout


def working_copy(src: Path, dest: Path) -> Path:
    """A copy of a workflow directory that Snakemake may run in: every file copied, except the model's
    weights (hard links: large, and read only here)."""
    def copy(s, d):
        os.link(s, d) if "/results/models/" in s else shutil.copy2(s, d)
    shutil.copytree(src, dest, copy_function=copy, symlinks=True)
    return dest


@pytest.mark.slow
def test_after_a_killed_run_the_audit_prints_the_commands_that_make_it_whole_again(tiny_run, tmp_path):
    """docs/provenance.md's recovery: a run killed mid-way (its lock left behind), an intermediate
    deleted; the audit names both and prints `snakemake --unlock` and the remake command; running
    exactly those makes the audit pass, with the same table."""
    import signal
    import time

    from workflow_helpers import SNAKEMAKE, local_env

    work = working_copy(tiny_run, tmp_path / "w")
    table = (work / "results/table3.csv").read_bytes()
    run = subprocess.Popen([SNAKEMAKE, "--cores", "1", "results/table3.csv", "--forcerun", "cnca_score",
                            "cnca_score_with_norms", "--configfile", "test-config.yaml"], cwd=work, env=local_env(),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 120
    while not any((work / ".snakemake" / "incomplete").glob("*")) and time.time() < deadline and run.poll() is None:
        time.sleep(0.2)  # until a job runs (its output marked incomplete)
    assert run.poll() is None, "the run ended before it could be killed"
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    assert any((work / ".snakemake" / "locks").iterdir()), "the killed run should leave its lock"
    (work / "results/scores/smollm2-135m/icl.csv").unlink(missing_ok=True)

    audit = cli(work, "--configfile", "test-config.yaml", "results/table3.csv")
    assert audit.returncode == 1 and "results/scores/smollm2-135m/icl.csv is missing" in audit.stdout, audit.stdout
    commands = audit.stdout.split("to make the missing and changed files again (run in the workflow directory):\n")[1]
    commands = [line.split("    #")[0].strip() for line in commands.splitlines() if line.startswith("  ")]
    assert len(commands) == 2 and "--unlock" in commands[0] and "--force" in commands[1], commands
    assert "results/scores/smollm2-135m/icl.csv" in commands[1] and commands[1].endswith("--configfile test-config.yaml")
    for command in commands:
        done = subprocess.run(shlex.split(command), cwd=work, env=local_env(), capture_output=True, text=True)
        assert done.returncode == 0, command + "\n" + done.stderr[-3000:]
    again = cli(work, "--configfile", "test-config.yaml", "results/table3.csv")
    assert again.returncode == 0 and "every recorded checksum matches" in again.stdout, again.stdout[-3000:]
    assert "to make the missing" not in again.stdout
    assert (work / "results/table3.csv").read_bytes() == table


@pytest.mark.slow
def test_report_opens_in_headless_chromium(tiny_run, tmp_path):
    from conftest import TARGETS
    from workflow_helpers import snakemake

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        if os.environ.get("CULTUREALIGN_REPORT_TEST"):
            pytest.fail("CULTUREALIGN_REPORT_TEST is set but no chromium is installed")
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    snakemake(tiny_run, "--report", str(tmp_path / "report.html"), *TARGETS, "--configfile", "test-config.yaml")
    shutil.copy(ROOT / "tests/data/report_probe.html", tmp_path / "probe.html")
    run = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--allow-file-access-from-files",
                          "--virtual-time-budget=120000", "--dump-dom", (tmp_path / "probe.html").as_uri()],
                         capture_output=True, text=True, timeout=300)
    found = re.search(r'<pre id="probe">(.*?)</pre>', run.stdout, re.S)
    assert found, run.stderr[-2000:]
    probe = json.loads(html.unescape(found.group(1)))
    assert probe["loaded"] and not probe["errors"], probe["errors"]
    results = probe["results"]
    for target in TARGETS:
        if target.endswith((".png", ".csv", ".md", ".html")) and not target.endswith(".pdf"):
            assert target in results, f"{target} is not in the report"
    for figure in ("results/figure4.png", "results/figure5.png"):
        width, height = results[figure]["img"]
        assert width > 300 and height > 200, f"{figure} did not render"
    for artifact in ("table1", "table3", "table4", "table5", "table6", "table7", "figure4", "figure5"):
        page = results[f"results/report/{artifact}.html"]
        assert page["shown"]
        lineage = page["sections"]["lineage"]
        assert lineage["rows"] >= 4 and "resources/" in lineage["text"]
        assert re.search(r"[0-9a-f]{64}", lineage["text"])  # roots with their checksums
        assert "PROBLEMS" not in lineage["text"]
        assert page["sections"]["result"]["rows"] + page["sections"]["result"]["images"] > 0 or artifact in (
            "table1", "table6")
        about = page["sections"]["about"]["text"]
        assert "smollm2-135m" in about and "USA CHN" in about and "seeds 0" in about and "test-config.yaml" in about
        assert "Config: test-config.yaml" in page["info"]  # the report's caption of the page
    for table in ("table3", "table4", "table5", "table7"):
        published = results[f"results/report/{table}.html"]["sections"]["published"]
        assert published["rows"] > 0 and "R1-Qwen-14B" in published["text"]
    caption = results["results/table3.csv"]["info"]
    assert "Models ['smollm2-135m']" in caption and "seeds [0]" in caption and "test-config.yaml" in caption
    # a page of each other paper: its table beside the published numbers, its lineage verified
    for artifact, name in (("culturespa-table2", "LLaMA-3-8B-Instruct"), ("caredio-table2", "Llama-3.1-8B")):
        page = results[f"results/report/{artifact}.html"]
        assert page["shown"] and page["sections"]["result"]["rows"] > 0, artifact
        lineage = page["sections"]["lineage"]
        assert lineage["rows"] >= 4 and "PROBLEMS" not in lineage["text"], artifact
        published = page["sections"]["published"]
        assert published["rows"] > 0 and name in published["text"], artifact
    for figure in ("results/culturespa/figure1.png", "results/caredio/figure2.png"):
        width, height = results[figure]["img"]
        assert width > 300 and height > 200, f"{figure} did not render"
    assert "CultureSPA Table 2" in results["results/culturespa/table2.csv"]["info"]
    assert "CAReDiO Table 2" in results["results/caredio/table2.csv"]["info"]


@pytest.mark.slow
def test_two_runs_from_scratch_write_the_same_bytes(tiny_run, tmp_path):
    """The same target from scratch in a second copy: byte-identical checkpoint, predictions and score
    table (the embedded model on CPU), and the same checksums in the lineage records."""
    from conftest import TINY
    from workflow_helpers import copy_repo, snakemake, write_config

    work = copy_repo(tmp_path / "again")
    config = write_config(work, **TINY)
    targets = ["results/scores/smollm2-135m/vanilla.csv"]
    snakemake(work, *targets, "--configfile", str(config), timeout=900)
    second = output_files(work)
    assert sum("/predictions/" in p for p in second) == 2 and "results/scores/smollm2-135m/vanilla.csv" in second
    for path in second:
        assert (work / path).read_bytes() == (tiny_run / path).read_bytes(), f"{path} differs between two runs"
    for path in ["results/scores/smollm2-135m/vanilla.csv", "results/predictions/smollm2-135m/vanilla/CHN/seed0.jsonl"]:
        one, two = (json.loads(prov.record_path(path, d).read_text()) for d in (tiny_run, work))
        assert one["outputs"] == two["outputs"] and one["inputs"] == two["inputs"]


# Each config change -> the keys --rerun-check must name, and the tiny run's artifacts that depend on
# them (of CNCA's table3, table7, table1, figure4, figure5 and CultureSPA's table2, figure1, figure5).
# `m` is the tiny run's model, `alt` a second registry entry that no job of the run used.
ARTIFACTS = {"table3": "results/table3.csv", "table7": "results/table7.csv", "table1": "results/table1.md",
             "figure4": "results/figure4.png", "figure5": "results/figure5.png",
             "spa-table2": "results/culturespa/table2.csv", "spa-figure1": "results/culturespa/figure1.png",
             "spa-figure5": "results/culturespa/figure5.png"}
SPA = {a for a in ARTIFACTS if a.startswith("spa-")}
CNCA = set(ARTIFACTS) - SPA
ALL = set(ARTIFACTS)
M, ALT = "smollm2-135m", "smollm2-alt"
KEY_CHANGES = [
    # every key of CNCA's figures section
    ("cnca.figures.figure4_models", lambda c: c["cnca"]["figures"].update(figure4_models=[M, M]), {"figure4"}),
    ("cnca.figures.figure4_norm_counts", lambda c: c["cnca"]["figures"].update(figure4_norm_counts=[1, 2]),
     {"figure4"}),
    ("cnca.figures.figure5_miners", lambda c: c["cnca"]["figures"].update(figure5_miners=[M, M]), {"figure5"}),
    ("cnca.figures.figure5_evaluators", lambda c: c["cnca"]["figures"].update(figure5_evaluators=[M, M]),
     {"figure5"}),
    ("cnca.figures.table7_miner", lambda c: (c["cnca"]["figures"].update(table7_miner=ALT),
                                             c["cnca"]["norms"].update(miners=[M, ALT])), {"table7"}),
    ("cnca.figures.table7_pairs", lambda c: c["cnca"]["figures"].update(table7_pairs=[[M, M]]), {"table7"}),
    ("cnca.figures.table1.topic", lambda c: c["cnca"]["figures"]["table1"].update(topic=8), {"table1"}),
    # one key of each other section of CNCA
    ("cnca.countries", lambda c: c["cnca"].update(countries=["USA"]), CNCA - {"table1"}),
    ("cnca.seeds", lambda c: c["cnca"].update(seeds=[0, 1]), CNCA - {"table1"}),
    ("cnca.split.strategy", lambda c: c["cnca"]["split"].update(strategy="seeded"), CNCA),
    ("cnca.evaluation.paired_test", lambda c: c["cnca"]["evaluation"].update(paired_test="country-seed"),
     {"table3", "table7"}),
    ("cnca.sampling.temperature", lambda c: c["cnca"]["sampling"].update(temperature=0.7), CNCA),
    ("cnca.norms.max_new_tokens", lambda c: c["cnca"]["norms"].update(max_new_tokens=47), CNCA),
    ("cnca.finetune.distill.rounds", lambda c: c["cnca"]["finetune"]["distill"].update(rounds=3), {"table3"}),
    ("cnca.cdeval.per_dimension", lambda c: c["cnca"]["cdeval"].update(per_dimension=2), set()),
    ("cnca.table6.qid", lambda c: c["cnca"]["table6"].update(qid="Q171"), set()),
    # CultureSPA: every key of its figures section and one key of each other section
    ("culturespa.figures.figure1_model", lambda c: (c["models"].update({ALT: c["models"][M]}),
                                                    c["culturespa"]["figures"].update(figure1_model=ALT)),
     {"spa-figure1"}),
    ("culturespa.figures.figure5_model", lambda c: (c["models"].update({ALT: c["models"][M]}),
                                                    c["culturespa"]["figures"].update(figure5_model=ALT)),
     {"spa-figure5"}),
    ("culturespa.figures.figure5_methods", lambda c: c["culturespa"]["figures"].update(figure5_methods=["p2"]),
     {"spa-figure5"}),
    ("culturespa.countries", lambda c: c["culturespa"].update(countries=["USA"]), SPA),
    ("culturespa.runs", lambda c: c["culturespa"].update(runs=2), SPA),
    ("culturespa.evaluation.methods", lambda c: c["culturespa"]["evaluation"].update(methods=["p1"]),
     {"spa-table2"}),
    ("culturespa.sampling.temperature", lambda c: c["culturespa"]["sampling"].update(temperature=0.7), SPA),
    # part 2: the fine-tuned rows of Table 2 and the CultureSPA bars of Figure 1 read the generation,
    # the fine-tuning and their recipes; Figure 5 (baseline prompting only) reads none of them
    ("culturespa.generation.per_topic", lambda c: c["culturespa"]["generation"].update(per_topic=3),
     {"spa-table2", "spa-figure1"}),
    ("culturespa.finetune.subset_seed", lambda c: c["culturespa"]["finetune"].update(subset_seed=1),
     {"spa-table2", "spa-figure1"}),
    ("culturespa.finetune.recipe_overrides.training.learning_rate",
     lambda c: c["culturespa"]["finetune"]["recipe_overrides"]["training"].update(learning_rate=1e-4),
     {"spa-table2", "spa-figure1"}),
    ("culturespa.evaluation.tuned", lambda c: c["culturespa"]["evaluation"].update(tuned=[]), {"spa-table2"}),
    # shared sections
    ("engine.batch_size", lambda c: c["engine"].update(batch_size=7), ALL),
    (f"models.{M}.max_new_tokens", lambda c: c["models"][M].update(max_new_tokens=15), ALL),
]


@pytest.mark.slow
def test_rerun_check_names_each_changed_key_for_exactly_the_artifacts_that_read_it(tiny_run):
    """Issue "core", point 1: the lineage records hold what each job read of the config, so a change
    of any key is named for the artifacts whose lineage read it, and for no other."""
    import copy

    from culturealign.config import validate_config
    from culturealign.provenance.rerun import rerun_check

    # the run's config with the schema's defaults filled in, so that every key exists to be edited
    base = validate_config(yaml.safe_load((tiny_run / "test-config.yaml").read_text()))
    base["models"][ALT] = copy.deepcopy(base["models"][M])
    traces = {name: prov.Trace(path, root=tiny_run) for name, path in ARTIFACTS.items()}
    assert all(t.ok for t in traces.values())
    for key, edit, dependents in KEY_CHANGES:
        config = copy.deepcopy(base)
        edit(config)
        now = validate_config(config)
        named = {name for name, trace in traces.items()
                 if key in rerun_check(trace, now, [], root=tiny_run, snakemake_summary=False)["changed_keys"]}
        assert named == dependents, f"{key}: named for {sorted(named)}, expected {sorted(dependents)}"
    unchanged = validate_config(copy.deepcopy(base))
    for name, trace in traces.items():
        assert rerun_check(trace, unchanged, [], root=tiny_run, snakemake_summary=False)["changed_keys"] == [], name


def test_every_model_job_states_its_own_determinism():
    """A record's determinism comes from what made the output (the engine, the trainer, the embedder,
    the checkpoint build), never from a rule's name: every rule of the three papers that loads a model
    (its resources from MODEL_JOB or TRAIN_JOB) runs a script that passes `determinism=` to finish();
    the fallback for the others depends only on whether a model was read."""
    import inspect

    from culturealign.provenance import records
    from test_deployment import _rule_blocks

    blocks = _rule_blocks()
    model_rules = {n: b for n, b in blocks.items() if re.search(r"\*\*(\{\*\*)?(MODEL|TRAIN)_JOB", b)}
    assert {"cnca_predict", "cnca_train_adapter", "culturespa_train_adapter", "caredio_train_adapter",
            "caredio_questions", "culturespa_generate"} <= set(model_rules)
    lm_eval = {"culturespa_general"}  # lm-evaluation-harness: the fallback for a model read without sampling
    for name, block in {**model_rules, "materialise_model": blocks["materialise_model"],
                        "caredio_embed": blocks["caredio_embed"]}.items():
        script = re.search(r'script:\s*\n\s*"([^"]+)"', block).group(1).replace("../", "")
        text = (ROOT / script).read_text()
        if name not in lm_eval:
            assert re.search(r"finish\(snakemake, determinism=", text), f"rule {name}: {script} states no determinism"
    source = inspect.getsource(records._determinism)
    assert "rule" not in inspect.signature(records._determinism).parameters and "train_adapter" not in source
    assert records._determinism(None).startswith("deterministic: a pure function")
