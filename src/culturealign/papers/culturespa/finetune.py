"""CultureSPA §4.4 and Table 4: the training sets of the culture-joint and culture-specific LoRA SFT.

An example is the culture-aware (P1, Table 9) conversation of its country with the question as the
code formats a generated question, and the parsed culture-aware answer as the target
(data_process/4.format_data_alpaca.py: system = the culture-aware prompt, instruction =
question_template_generated_questions, output = parse_answer(answer)). "To distinguish between
cultures during SFT, we prompt the trained model with the corresponding culture ... using the same
prompting template as in the culture-aware prompting scenario" - for the CCT data too (its answers
came from the P2 prompt; the training prompt is still P1's).

Joint: one adapter over every country's examples; specific: one adapter per country (§4.4). Table 4's
proportions are nested seeded subsets, per country: each country's examples are shuffled once with
(seed, country) and the first ceil(p% x n) are taken, so 20% is inside 40% and so on, and the joint
set at p% is the union of the specific sets at p%. The released code does not include how its
subsets (LLaMA-Factory/data/<ratio>/culture_<country>.json) were drawn: this rule is the project's.
"""

from __future__ import annotations

import math
import random

from ...predict import build_conversations
from ...registry import MethodContext
from ...training import EmptyTrainingSet
from .crqpc import RULES, as_records

STRATEGIES = ("joint", "specific")
JOINT_SCOPE = "all"  # the adapter scope of a joint model (specific: the country's code)
TRAINING_PROMPT = "p1"  # §4.4: the culture-aware prompting template
PROPORTIONS = (20, 40, 60, 80, 100)  # Table 4


def recipe_name(strategy: str) -> str:
    """recipes/culturespa-joint.yaml (4.GDCRQ's LLaMA-Factory CultureSPA_culture_aware.yaml) and
    recipes/culturespa-specific.yaml (copy_yaml.py: batch 1, accumulation 8)."""
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown CultureSPA training strategy {strategy!r}; valid: {list(STRATEGIES)}")
    return f"culturespa-{strategy}"


def nested_subset(items: list, percent: int, seed: int, country: str) -> list:
    """The first ceil(percent% of n) of `items` shuffled with (seed, country), in their original order."""
    if not 0 < percent <= 100:
        raise ValueError(f"proportion {percent}% is outside (0, 100]")
    order = list(range(len(items)))
    random.Random(f"{seed}/{country}/subset").shuffle(order)
    keep = sorted(order[: math.ceil(len(items) * percent / 100)])
    return [items[i] for i in keep]


def training_examples(selection: dict, generated: list[dict], rule: str, scope: str, percent: int,
                      seed: int, allow_empty: bool = False) -> tuple[list[dict], dict]:
    """(examples, counts per country) of one adapter: the `rule` examples (crqpc, cds or rds) of the
    countries of `scope` (all, or one country), cut to `percent`. A country of the scope without a
    single example stops with its CRQPC counts unless `allow_empty` (then it is counted and left out)."""
    if rule not in RULES:
        raise ValueError(f"unknown selection rule {rule!r}; valid: {list(RULES)}")
    all_counts = selection["counts"]
    countries = list(all_counts) if scope == JOINT_SCOPE else [scope]
    if scope != JOINT_SCOPE and scope not in all_counts:
        raise ValueError(f"country {scope!r} is not in the selection (countries: {sorted(all_counts)})")
    ctx = MethodContext(as_records(generated), None, {})
    examples, counts = [], {}
    for country in countries:
        kept = [e for e in selection["examples"] if e["country"] == country and e["rule"] == rule]
        chosen = nested_subset(kept, percent, seed, country)
        counts[country] = {"selected": len(kept), "trained": len(chosen), **all_counts[country]}
        if not chosen and not allow_empty:
            c = all_counts[country]
            raise EmptyTrainingSet(
                f"CultureSPA {selection['variant']} {rule} training set for {country} is empty: of "
                f"{c['questions']} generated questions {c['valid']} have both answers parsed, {c['shifted']} "
                f"shifted (o_c != o), {c['same']} unchanged; {rule} kept {c[rule]}, {percent}% of them is "
                f"{len(chosen)}. Generate more questions (culturespa.generation.per_topic) or set "
                f"culturespa.finetune.on_empty: skip")
        conversations = build_conversations(TRAINING_PROMPT, country, ctx, [e["qid"] for e in chosen])
        examples += [{"qid": e["qid"], "country": country, "rule": rule, "unaware": e["unaware"],
                      "aware": e["aware"], "messages": conv, "target": {"answer": str(e["aware"])}}
                     for e, conv in zip(chosen, conversations)]
    return examples, counts
