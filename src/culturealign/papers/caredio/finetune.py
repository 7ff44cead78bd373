"""CAReDiO §3.4 / §4.3: a culture's SFT examples, its selected samples in order of s until the
budget: the adapted question as the user turn (no system prompt: the adapter is the culture's own
model) and the culture's CCT response as the answer. A culture with fewer candidates than the budget
trains on all of them; the counts say so (and Tables 2-4 note it)."""

from __future__ import annotations


def training_examples(selection: dict, samples: dict, budget: int) -> tuple[list[dict], dict]:
    by_id = {s["id"]: s for s in samples["samples"]}
    chosen = selection["ranking"][:budget]
    examples = [{"id": row["id"], "culture": selection["culture"], "s": row["s"],
                 "messages": [{"role": "user", "content": by_id[row["id"]]["adapted"]}],
                 "target": {"answer": by_id[row["id"]]["response"]}} for row in chosen]
    counts = {"culture": selection["culture"], "variant": selection["variant"], "budget": budget,
              "candidates": selection["candidates"], "trained": len(examples),
              "short": selection["candidates"] < budget}
    return examples, counts
