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
