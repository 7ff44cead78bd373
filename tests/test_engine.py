"""The transformers backend's sampler on hand-made logits: greedy, temperature, top-k then top-p in
`generate`'s order, and the sampling parameters' validation."""

import pytest

torch = pytest.importorskip("torch")


def _sampler():
    from culturealign.engine.hf import TransformersEngine

    engine = TransformersEngine.__new__(TransformersEngine)  # the sampler needs no model
    engine.torch = torch
    return engine._sample


LOGITS = torch.log(torch.tensor([[0.40, 0.30, 0.20, 0.06, 0.04]]))


def _draws(sampling, n=4000):
    sample = _sampler()
    torch.manual_seed(0)
    return [int(sample(LOGITS, sampling)) for _ in range(n)]


def test_greedy_takes_the_largest_logit():
    from culturealign.engine import Sampling

    assert set(_draws(Sampling(temperature=0.0, max_new_tokens=1), 20)) == {0}


def test_top_k_keeps_the_k_most_likely_tokens_before_top_p():
    from culturealign.engine import Sampling

    assert set(_draws(Sampling(temperature=1.0, top_k=2, max_new_tokens=1))) == {0, 1}
    assert set(_draws(Sampling(temperature=1.0, top_k=1, max_new_tokens=1), 50)) == {0}   # top-1: greedy
    every = _draws(Sampling(temperature=1.0, top_k=0, max_new_tokens=1))                  # 0: no filter
    assert set(every) == {0, 1, 2, 3, 4}
    # top-k 4 renormalises to 0.4/0.96, 0.3/0.96, ...; top-p 0.7 then keeps tokens until the mass crosses
    # 0.7: 0 (0.417) and 1 (0.729)
    assert set(_draws(Sampling(temperature=1.0, top_k=4, top_p=0.7, max_new_tokens=1))) == {0, 1}
    draws = _draws(Sampling(temperature=1.0, top_k=2, max_new_tokens=1))
    assert abs(draws.count(0) / len(draws) - 0.4 / 0.7) < 0.03                            # renormalised


def test_sampling_parameters_are_validated():
    from culturealign.engine import Sampling

    with pytest.raises(ValueError):
        Sampling(top_k=-1)
    with pytest.raises(ValueError, match="temperature"):
        Sampling(temperature=3.0)
    assert Sampling().as_dict()["top_k"] == 0


@pytest.mark.slow
def test_the_reserved_kv_cache_generates_what_transformers_dynamic_cache_generates(tiny_run, monkeypatch):
    """The decode loop's preallocated cache (hf.reserved_cache) changes where the keys and values live,
    not the numbers: greedy and seeded sampled texts equal those of transformers' DynamicCache, on
    prompts long enough to pass a shared prefix, a row finishing early (batch_select_indices) and n > 1
    (batch_repeat_interleave)."""
    from transformers import DynamicCache

    from culturealign.engine import Sampling, load_engine
    from culturealign.engine import hf

    weights = str(tiny_run / "results" / "models" / "smollm2-135m" / "weights")
    engine = load_engine("transformers", weights, {"backend": "transformers", "dtype": "float32",
                                                   "context_length": 2048}, threads=2)
    system = "You are a helpful assistant from the United Kingdom."
    asks = ["Why do people value their families? Explain in detail.", "Name one colour.",
            "Describe a typical breakfast, step by step.", "Is work important in life? Answer yes or no."]
    convs = [[{"role": "system", "content": system}, {"role": "user", "content": a}] for a in asks]
    runs = [Sampling(temperature=0.0, max_new_tokens=48), Sampling(temperature=0.6, max_new_tokens=32, n=2, seed=3)]
    reserved = [engine.generate(convs, s) for s in runs]
    monkeypatch.setattr(hf, "reserved_cache", lambda config, capacity: DynamicCache(config=config))
    dynamic = [engine.generate(convs, s) for s in runs]
    assert reserved == dynamic
    lengths = [len(engine.tokenizer(t).input_ids) for t in reserved[0] for t in t]
    assert max(lengths) >= 48 > min(lengths), lengths  # long generations, and one that stopped early


def test_a_reserved_cache_layer_grows_past_its_capacity_and_keeps_what_it_held():
    torch = pytest.importorskip("torch")
    from culturealign.engine.hf import _reserved_layer_class

    layer = _reserved_layer_class()(capacity=2)
    first, second = torch.randn(2, 1, 2, 4), torch.randn(2, 1, 3, 4)
    layer.update(first, first.clone())
    keys, values = layer.update(second, second.clone())
    assert layer.get_seq_length() == 5 and torch.equal(keys, torch.cat([first, second], dim=2))
    layer.batch_select_indices(torch.tensor([1]))
    assert torch.equal(layer.keys, torch.cat([first, second], dim=2)[1:]) and torch.equal(layer.values, layer.keys)
