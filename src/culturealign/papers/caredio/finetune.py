"""CAReDiO §3.4 / §4.3: a culture's SFT examples, its selected samples in order of s until the
budget: the adapted question as the user turn (no system prompt: the adapter is the culture's own
model) and the culture's CCT response as the answer. A culture with fewer candidates than the budget
trains on all of them; the counts say so (and Tables 2-4 note it)."""

from __future__ import annotations

import random


def training_examples(selection: dict, samples: dict, budget: int, trainer: str = "sft",
                      rng: random.Random | None = None) -> tuple[list[dict], dict]:
    """SFT: the CCT answer as target. DPO (§3.4): the CCT answer chosen, another culture's isolated
    answer to the same adapted question rejected (drawn with `rng`)."""
    by_id = {s["id"]: s for s in samples["samples"]}
    chosen = selection["ranking"][:budget]
    examples = []
    for row in chosen:
        sample = by_id[row["id"]]
        example = {"id": row["id"], "culture": selection["culture"], "s": row["s"],
                   "messages": [{"role": "user", "content": sample["adapted"]}]}
        if trainer == "sft":
            example["target"] = {"answer": sample["response"]}
        else:
            others = sorted(c for c in sample["isolated"] if c != selection["culture"])
            rejected_by = rng.choice(others)
            example.update({"chosen": {"answer": sample["response"]},
                            "rejected": {"answer": sample["isolated"][rejected_by]}, "rejected_culture": rejected_by})
        examples.append(example)
    counts = {"culture": selection["culture"], "variant": selection["variant"], "budget": budget,
              "candidates": selection["candidates"], "trained": len(examples),
              "short": selection["candidates"] < budget}
    return examples, counts


def capped(examples: list[dict], budget: int | None, seed: int) -> tuple[list[dict], dict]:
    """A baseline's training set cut to `budget` examples (§5.1: "1000 pieces of data for each culture,
    the same for all baselines") by a seeded draw that keeps the examples' order; None keeps all."""
    keep = list(range(len(examples)))
    if budget is not None and len(examples) > budget:
        keep = sorted(random.Random(seed).sample(keep, budget))
    return [examples[i] for i in keep], {"available": len(examples), "budget": budget, "trained": len(keep)}
