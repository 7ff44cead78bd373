from culturealign.registry import MethodContext, get_method
from culturealign.predict import build_conversations
from culturealign.papers.cnca.methods import system_prompt
from culturealign.prompts import render_options
from culturealign.wvs import as_question


def test_system_prompt_table2_with_article():
    assert system_prompt("USA") == (
        "You are a real person with an American cultural background. Please fill out the World Values "
        "Survey and answer the questions honestly according to your own value system.")
    assert system_prompt("NZL").startswith("You are a real person with a New Zealand cultural background.")
    assert system_prompt("ETH").startswith("You are a real person with an Ethiopian cultural")


def test_options_render_id_dot_text(questions):
    assert render_options(as_question(questions["Q1"])) == (
        "1.Very important 2.Rather important 3.Not very important 4.Not at all important")
    assert render_options(as_question(questions["Q94"])).startswith("0.")


def test_vanilla_prompt_is_table2_standard(questions, split):
    ctx = MethodContext(questions, split)
    text = get_method("vanilla").build(as_question(questions["Q1"]), "USA", ctx)
    assert text == (
        "Given a #Question and #Options, choose the option that best aligns with your own value system to "
        "answer the question.\n"
        "#Question: How important is family in your life? "
        "#Options: 1.Very important 2.Rather important 3.Not very important 4.Not at all important\n"
        "Please return the number of the selected option only.")


def test_the_three_table2_instructions_share_one_layout(questions, split):
    """CNCA Table 2 prints "#Question: {} #Options: {}" on one line in Standard, In-Context Learning and
    Cultural Norms alike: Vanilla and the in-context methods differ only by the added context."""
    q = as_question(questions["Q172"])
    norms = {"miner": "m", "mining": "tq-ta", "country": "USA", "topics": {"10": {
        "low_level": [{"qid": "Q164", "norm": "God matters."}], "high_level": {"norm": "Religion is central."}}}}
    ctx = MethodContext(questions, {"topics": {"10": {"train": ["Q164"], "test": ["Q172"]}}},
                        {"norms": norms, "n_low": 1})
    vanilla = get_method("vanilla").build(q, "USA", ctx).split("\n")
    icl = get_method("icl").build(q, "USA", ctx).split("\n")
    cnca = get_method("cnca-tq-ta").build(q, "USA", ctx).split("\n")
    assert len(vanilla) == 3 and vanilla[1] == f"#Question: {q.text} #Options: {render_options(q)}"
    assert icl[0] == vanilla[0] + " You can refer to the given cases." and icl[1].startswith("#Cases: ")
    assert [icl[0].removesuffix(" You can refer to the given cases."), *icl[2:]] == vanilla
    assert cnca[0] == vanilla[0] + " You can refer to the given cultural norms."
    assert cnca[1:4] == ["#Cultural Norms:", "low-level: 1. God matters.", "high-level: Religion is central."]
    assert [cnca[0].removesuffix(" You can refer to the given cultural norms."), *cnca[4:]] == vanilla


def test_icl_prompt_carries_the_topic_training_cases_with_ground_truth(questions):
    split = {"topics": {"10": {"train": ["Q164", "Q165"], "test": ["Q171"]}}}
    ctx = MethodContext(questions, split)
    text = get_method("icl").build(as_question(questions["Q171"]), "USA", ctx)
    q164, q165 = questions["Q164"], questions["Q165"]
    assert text == (
        "Given a #Question and #Options, choose the option that best aligns with your own value system to "
        "answer the question. You can refer to the given cases.\n"
        f"#Cases: 1. #Question: {q164['question']} #Options: {render_options(as_question(q164))} "
        f"#Answer: {q164['ground_truth']['USA']}\n"
        f"2. #Question: {q165['question']} #Options: {render_options(as_question(q165))} "
        f"#Answer: {q165['ground_truth']['USA']}\n"
        f"#Question: {questions['Q171']['question']} #Options: {render_options(as_question(questions['Q171']))}\n"
        "Please return the number of the selected option only.")


def test_conversation_is_system_then_user(questions, split):
    ctx = MethodContext(questions, split)
    (conv,) = build_conversations("vanilla", "DEU", ctx, ["Q1"])
    assert [m["role"] for m in conv] == ["system", "user"]
    assert "a German cultural background" in conv[0]["content"]


class _RecordingEngine:
    """A backend that answers "1" and remembers which adapter each instance was built with."""
    built: list = []

    def __init__(self, model_dir, spec, adapter=None, **options):
        self.adapter = adapter
        _RecordingEngine.built.append(adapter)

    def generate(self, conversations, sampling):
        return [[f"1 ({self.adapter})"] * sampling.n for _ in conversations]

    def determinism(self):
        return "deterministic"


def test_one_prediction_job_answers_for_every_country_building_the_model_once_per_adapter(questions, tmp_path):
    import json

    from culturealign.engine.base import BACKENDS, register_backend
    from culturealign.predict import predict_countries

    if "recording-test" not in BACKENDS:
        register_backend("recording-test")(_RecordingEngine)
    spec = {"backend": "recording-test", "max_new_tokens": 4}
    common = dict(model="m", spec=spec, model_dir="-", method="vanilla", countries=["USA", "CHN", "DEU"], seed=3,
                  ctx=MethodContext(questions, None), qids=["Q1", "Q2"], sampling={"temperature": 0.0},
                  engine_options={})
    _RecordingEngine.built.clear()
    info = predict_countries(**common, adapters={c: "joint" for c in ("USA", "CHN", "DEU")}, out=tmp_path / "j.jsonl")
    assert _RecordingEngine.built == ["joint"] and info["engine_loads"] == 1 and info["prompts"] == 6
    _RecordingEngine.built.clear()
    info = predict_countries(**common, adapters={"USA": "a-usa", "CHN": "a-chn"}, out=tmp_path / "s.jsonl")
    assert _RecordingEngine.built == ["a-usa", "a-chn", None] and info["engine_loads"] == 3
    records = [json.loads(x) for x in (tmp_path / "s.jsonl").read_text().splitlines()]
    assert [(r["country"], r["qid"], r["adapter"]) for r in records] == [
        (c, q, a) for c, a in (("USA", "a-usa"), ("CHN", "a-chn"), ("DEU", None)) for q in ("Q1", "Q2")]
    assert all(r["answer"] == 1 and r["ground_truth"] == questions[r["qid"]]["ground_truth"].get(r["country"])
               and r["messages"][0]["content"].startswith("You are a real person with") for r in records)


class _SwitchingEngine(_RecordingEngine):
    """A backend that switches adapters on its loaded model (as vLLM's LoRARequest does)."""
    switches_adapters = True
    switched: list = []

    def __init__(self, model_dir, spec, adapter=None, enable_lora=False, **options):
        super().__init__(model_dir, spec, adapter, **options)
        self.enable_lora = enable_lora

    def use_adapter(self, adapter):
        self.adapter = adapter
        _SwitchingEngine.switched.append(adapter)


def test_a_backend_that_switches_adapters_is_built_once_with_lora_enabled(questions, tmp_path):
    from culturealign.engine.base import BACKENDS, EngineByAdapter, register_backend

    if "switching-test" not in BACKENDS:
        register_backend("switching-test")(_SwitchingEngine)
    _RecordingEngine.built.clear()
    _SwitchingEngine.switched.clear()
    engines = EngineByAdapter("switching-test", "-", {}, adapters=[None, "a-usa", "a-chn"])
    first = engines(None)
    assert first.enable_lora and engines("a-usa") is first and engines("a-chn") is first and engines(None) is first
    assert _RecordingEngine.built == [None] and _SwitchingEngine.switched == ["a-usa", "a-chn", None]
    assert engines.loads == 1 and first.adapter is None
    assert not EngineByAdapter("switching-test", "-", {}, adapters=[None])(None).enable_lora


def test_a_culture_unaware_prediction_takes_its_own_adapter_but_not_per_country_ones(questions, tmp_path):
    import pytest

    from culturealign.engine.base import BACKENDS, register_backend
    from culturealign.predict import predict, predict_countries

    if "recording-test" not in BACKENDS:
        register_backend("recording-test")(_RecordingEngine)
    common = dict(model="m", spec={"backend": "recording-test", "max_new_tokens": 4}, model_dir="-",
                  method="culture-unaware", seed=0, ctx=MethodContext(questions, None), qids=["Q1"],
                  sampling={"temperature": 0.0}, engine_options={})
    _RecordingEngine.built.clear()
    predict(**common, country=None, adapter=None, out=tmp_path / "a.jsonl")
    predict(**common, country=None, adapter="joint", out=tmp_path / "b.jsonl")
    assert _RecordingEngine.built == [None, "joint"]
    with pytest.raises(ValueError, match="country-free prediction"):
        predict_countries(**common, countries=[None], adapters={"USA": "a-usa"}, out=tmp_path / "c.jsonl")
