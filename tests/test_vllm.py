"""The vLLM backend against the transformers backend on the embedded model (SmolLM2-135M, float32 on CPU).

vLLM runs in its own environment (.venv-vllm/, `bash setup.sh --vllm`) in a worker process, as the
workflow's jobs run it; the transformers backend runs here, in .venv, as the workflow's jobs run it. One
vLLM engine (LoRA enabled) and one transformers engine are loaded for the whole module. The weights and
the two LoRA adapters are the shared tiny run's. Without vLLM these tests are skipped, except where
CULTUREALIGN_VLLM_TEST=1 (CI), which makes a missing vLLM environment a failure.
"""

import json
import os
from pathlib import Path

import pytest

from workflow_helpers import ROOT

pytestmark = [pytest.mark.vllm, pytest.mark.slow]


def _vllm_available() -> str | None:
    from culturealign.engine.vllm_backend import vllm_python

    try:
        return vllm_python()
    except RuntimeError as exc:
        if os.environ.get("CULTUREALIGN_VLLM_TEST"):
            pytest.fail(f"CULTUREALIGN_VLLM_TEST is set but {exc}")
        pytest.skip(str(exc))


SPEC = {"backend": "vllm", "dtype": "float32", "context_length": 2048}


@pytest.fixture(scope="module")
def weights(tiny_run) -> str:
    return str(tiny_run / "results" / "models" / "smollm2-135m" / "weights")


@pytest.fixture(scope="module")
def adapters(tiny_run) -> list[str]:
    """Two real adapters of the tiny run: CNCA's SFT adapter and CultureSPA's culture-joint one."""
    found = sorted(str(p.parent) for p in (tiny_run / "results").rglob("adapter_config.json"))
    sft = [a for a in found if "/results/adapters/" in a and "/sft/" in a]
    joint = [a for a in found if "/results/culturespa/adapters/" in a and a.endswith("/all/p100")]
    assert sft and joint, found
    return [sft[0], joint[0]]


@pytest.fixture(scope="module")
def vllm_engine(weights):
    _vllm_available()
    from culturealign.engine import load_engine

    engine = load_engine("vllm", weights, SPEC, threads=2, enable_lora=True)
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def hf_engine(weights):
    from culturealign.engine import load_engine

    return load_engine("transformers", weights, {**SPEC, "backend": "transformers"}, threads=2)


@pytest.fixture(scope="module")
def survey(wvs_data, split):
    """40 survey prompts: CNCA's Standard prompt for USA and CHN, the first test question of each topic
    and the second of the first seven (the embedded default's prompts, and more)."""
    from culturealign import papers  # noqa: F401  (registers the methods)
    from culturealign.predict import build_conversations
    from culturealign.registry import MethodContext
    from culturealign.wvs import evaluation_questions

    questions = {q["qid"]: q for q in wvs_data["questions"]}
    ctx = MethodContext(questions, split, {})
    qids = evaluation_questions(split, 1) + evaluation_questions(split, 2)[1:14:2]
    convs, options = [], []
    for country in ["USA", "CHN"]:
        convs += build_conversations("vanilla", country, ctx, qids)
        options += [[o["id"] for o in questions[q]["options"]] for q in qids]
    return convs, options


def _answers(texts, options):
    from culturealign.parsing import get_parser

    parse = get_parser("option")
    return [parse(t, opts, False).answer for t, opts in zip(texts, options)]


def test_greedy_survey_answers_match_the_transformers_backend(vllm_engine, hf_engine, survey):
    from culturealign.engine import Sampling

    convs, options = survey
    assert len(convs) >= 32
    greedy = Sampling(temperature=0.0, max_new_tokens=16)
    ours = [s[0] for s in vllm_engine.generate(convs, greedy)]
    theirs = [s[0] for s in hf_engine.generate(convs, greedy)]
    same_text = sum(a == b for a, b in zip(ours, theirs))
    a1, a2 = _answers(ours, options), _answers(theirs, options)
    agree = sum(x == y for x, y in zip(a1, a2)) / len(convs)
    first = next(((i, ours[i], theirs[i]) for i in range(len(convs)) if ours[i] != theirs[i]), None)
    print(f"greedy: {same_text}/{len(convs)} identical texts, parsed answers agree {agree:.1%}; first divergence: {first}")
    assert agree >= 0.95, f"parsed answers agree on {agree:.1%} only; first divergence (index, vllm, transformers): {first}"


def _goqa_and_culturalbench():
    from culturealign.papers.caredio import evaluate
    from culturealign.papers.caredio.grid import countries

    samples = ROOT / "resources" / "caredio" / "samples"
    goqa = evaluate.read_rows(samples / "globalopinionqa.csv", evaluate.GOQA_COLUMNS)
    bench = evaluate.read_rows(samples / "culturalbench-hard.csv", evaluate.CULTURALBENCH_COLUMNS)
    convs, options = [], []
    for culture in ["United Kingdom", "China"]:
        names = countries()[culture]
        for method in ["backbone", "role-play"]:
            system = evaluate.system_prompt(method, culture)
            items, _ = evaluate.goqa_items(goqa, names["globalopinionqa"], None)
            convs += [evaluate.goqa_conversation(it, system) for it in items]
            options += [evaluate.letters(len(it["options"])) for it in items]
            rows = evaluate.culturalbench_rows(bench, names["culturalbench"], None)
            convs += [evaluate.culturalbench_conversation(r, system) for r in rows]
            options += [evaluate.TRUE_FALSE] * len(rows)
    return convs, options


def test_option_probabilities_match_the_transformers_backend(vllm_engine, hf_engine):
    """GlobalOpinionQA and CulturalBench-Hard items of the shipped samples, both cultures, with and
    without the role-play system prompt: the options' probabilities normalised over the options."""
    from culturealign.papers.caredio.evaluate import softmax

    convs, options = _goqa_and_culturalbench()
    assert len(convs) >= 8 and {len(o) for o in options} >= {2, 4}
    ours = vllm_engine.option_logprobs(convs, options)
    theirs = hf_engine.option_logprobs(convs, options)
    worst = max(abs(p - q) for a, b in zip(ours, theirs) for p, q in zip(softmax(a), softmax(b)))
    print(f"option probabilities: largest difference {worst:.2e} over {len(convs)} items")
    assert worst < 1e-3
    # raw log-probabilities over the whole vocabulary, not renormalised over the options
    assert all(sum(map(lambda x: 2.718281828 ** x, lp)) < 1.0 for lp in ours)


def test_lora_adapters_switched_on_one_model_match_peft(vllm_engine, weights, adapters, survey):
    from culturealign.engine import Sampling, load_engine

    convs, _ = survey
    convs = convs[:12]
    probe = [c for c in _goqa_and_culturalbench()[0]][:6]
    probe_options = [o for o in _goqa_and_culturalbench()[1]][:6]
    greedy = Sampling(temperature=0.0, max_new_tokens=16)
    vllm_engine.use_adapter(None)
    base_text = vllm_engine.generate(convs, greedy)
    base_lp = vllm_engine.option_logprobs(probe, probe_options)
    for adapter in adapters:
        peft = load_engine("transformers", weights, {**SPEC, "backend": "transformers"}, adapter=adapter, threads=2)
        want_text, want_lp = peft.generate(convs, greedy), peft.option_logprobs(probe, probe_options)
        del peft
        vllm_engine.use_adapter(adapter)
        got_text, got_lp = vllm_engine.generate(convs, greedy), vllm_engine.option_logprobs(probe, probe_options)
        assert got_text == want_text, adapter
        moved = max(abs(a - b) for x, y in zip(want_lp, base_lp) for a, b in zip(x, y))
        assert moved > 1e-4, f"adapter {adapter} does not change the model: no LoRA to compare"
        assert max(abs(a - b) for x, y in zip(got_lp, want_lp) for a, b in zip(x, y)) < 1e-3, adapter
    vllm_engine.use_adapter(None)
    assert vllm_engine.generate(convs, greedy) == base_text
    assert vllm_engine.option_logprobs(probe, probe_options) == base_lp


def test_seeded_sampling_repeats_byte_for_byte(vllm_engine, survey):
    from culturealign.engine import Sampling

    convs, _ = survey
    vllm_engine.use_adapter(None)
    params = Sampling(temperature=0.6, top_p=0.9, n=3, seed=7, max_new_tokens=24)
    first = vllm_engine.generate(convs[:10], params)
    assert vllm_engine.generate(convs[:10], params) == first
    assert all(len(s) == 3 for s in first)
    assert any(len(set(s)) > 1 for s in first), "n samples of a prompt should not all be the same text"
    other = vllm_engine.generate(convs[:10], Sampling(temperature=0.6, top_p=0.9, n=3, seed=8, max_new_tokens=24))
    assert other != first


def test_answer_prefix_renders_as_the_transformers_backend(vllm_engine, hf_engine, survey):
    """continue_final_message: a conversation ending in an assistant message is continued, not closed."""
    from culturealign.engine import Sampling

    convs, _ = survey
    prefixed = [c + [{"role": "assistant", "content": "My answer is"}] for c in convs[:4]]
    for batch in (convs[:4], prefixed):
        want = [hf_engine.tokenizer(hf_engine.render(c), add_special_tokens=False).input_ids for c in batch]
        assert vllm_engine.render_ids(batch) == want
    assert hf_engine.tokenizer.decode(want[0]).endswith("My answer is")
    greedy = Sampling(temperature=0.0, max_new_tokens=8)
    assert vllm_engine.generate(prefixed, greedy) == hf_engine.generate(prefixed, greedy)
    with pytest.raises(RuntimeError, match="mixes conversations"):
        vllm_engine.generate([convs[0], prefixed[0]], greedy)


def test_the_workflow_runs_a_cnca_table_on_vllm(tiny_run, tmp_path):
    """The embedded config with the vLLM overlay (configs/vllm-cpu.yaml) on a corner of the tiny grid:
    prediction jobs run vLLM in .venv-vllm and their lineage records name it."""
    _vllm_available()
    import yaml

    from workflow_helpers import copy_repo, snakemake, write_config

    workdir = copy_repo(tmp_path / "repo")
    config = write_config(workdir, engine={"threads": 1},
                          cnca={"countries": ["GBR", "CHN"], "seeds": [0],
                                "evaluation": {"methods": ["vanilla", "icl"], "topics": [8, 10], "test_per_topic": 1}})
    overlay = yaml.safe_load((ROOT / "configs" / "vllm-cpu.yaml").read_text())
    assert overlay["models"]["smollm2-135m"]["backend"] == "vllm"
    snakemake(workdir, "results/table3.csv", "--configfile", str(config), "configs/vllm-cpu.yaml", timeout=900)
    table = (workdir / "results" / "table3.csv").read_text()
    assert "Vanilla" in table and "ICL" in table
    records = [json.loads(p.read_text()) for p in (workdir / "provenance" / "results" / "predictions").rglob("*.json")]
    assert records and all(r["determinism"].startswith("vllm 0.32.0") for r in records), records[:1]
