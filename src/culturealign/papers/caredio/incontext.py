"""CAReDiO §3.3, representativeness by in-context performance ("CAReDiO - In context", Table 2): each
cluster centre's r is how well the model judges a small CulturalBench validation split of the culture
when the cluster's samples are shown as few-shot examples. The paper leaves open, and the config names
(`caredio.selection.in_context`):

- the validation split: `validation` questions of the culture drawn (seeded) from the CulturalBench-Hard
  file, each with its four binary rows. The paper's Table 1 counts all 1,227 CulturalBench questions as
  its test set, so its validation questions are also test questions; the same holds here by default
  (`in_context.held_out: true` leaves them out of every method's CulturalBench-Hard test set).
- the examples: the centre first, then the cluster's other members in sample order, `shots` in all
  (the adapted question and the culture's CCT answer of each).
- the score: the mean probability the model gives the right judgement (softmax over "True"/"False" at
  the answer's first token), a graded reading of the validation accuracy that does not tie on a small
  split.
- the model: the backbone that is then fine-tuned on the selection (one selection per backbone).

d (eq. 1) and the clusters are the cluster variant's; s = r * d ranks the centres as there."""

from __future__ import annotations

import random

from ...prompts import chat
from .benchmarks import truth
from .evaluate import TRUE_FALSE, culturalbench_rows, softmax
from .grid import countries
from .selection import select
from .synthesis import TEMPLATES
from .synthesis_jobs import stable_seed


def validation_split(rows: list[dict], names: list[str], n: int, rng: random.Random) -> list[dict]:
    """The rows of `n` of the culture's CulturalBench-Hard questions, drawn with `rng` (all when fewer),
    in file order."""
    mine = culturalbench_rows(rows, names, None)
    questions = list(dict.fromkeys(r["question_idx"] for r in mine))
    chosen = set(rng.sample(questions, min(n, len(questions))))
    return [r for r in mine if r["question_idx"] in chosen]


def validation_questions(rows: list[dict], culture: str, in_context: dict) -> set:
    """The culture's validation question ids as the in-context selection draws them (config
    caredio.selection.in_context: `validation` questions, seeded by `seed` and the culture): the same
    draw for the selection job and, when they are held out, for the test set."""
    rng = random.Random(stable_seed(in_context["seed"], "validation", culture))
    split = validation_split(rows, countries()[culture]["culturalbench"], in_context["validation"], rng)
    return {r["question_idx"] for r in split}


def shots_of(centre: str, members: list[str], shots: int) -> list[str]:
    """The examples of a cluster: its centre, then its other members in order, `shots` in all."""
    return [centre, *[m for m in members if m != centre]][:shots]


def conversation(culture: str, examples: list[dict], row: dict) -> list[dict]:
    text = "\n\n".join(f"Question: {e['adapted']}\nAnswer: {e['response']}" for e in examples)
    return chat(None, TEMPLATES.render("in_context", culture=culture, examples=text, question=row["prompt_question"],
                                       option=row["prompt_option"]))


def in_context_scores(engine, culture: str, members: dict[str, list[str]], samples: dict[str, dict],
                      validation: list[dict], shots: int) -> dict[str, dict]:
    """centre id -> {r, right, judged, shots}: r the mean probability of the right judgement over the
    validation rows with the cluster's examples shown; right: rows judged right (argmax)."""
    if not validation:
        raise ValueError(f"{culture}: the CulturalBench-Hard validation split is empty (no question of this "
                         "culture in the file): the in-context variant cannot score its clusters")
    centres = list(members)
    conversations, options = [], []
    for centre in centres:
        examples = [samples[i] for i in shots_of(centre, members[centre], shots)]
        conversations += [conversation(culture, examples, row) for row in validation]
        options += [TRUE_FALSE] * len(validation)
    logprobs = engine.option_logprobs(conversations, options) if conversations else []
    out = {}
    for k, centre in enumerate(centres):
        mine = logprobs[k * len(validation):(k + 1) * len(validation)]
        p_right = []
        for row, lp in zip(validation, mine):
            p_true = softmax(lp)[0]
            p_right.append(p_true if truth(row["answer"]) else 1.0 - p_true)
        out[centre] = {"r": sum(p_right) / len(p_right), "right": sum(p > 0.5 for p in p_right),
                       "judged": len(p_right), "shots": shots_of(centre, members[centre], shots)}
    return out


def rerank(cluster_selection: dict, scores: dict[str, dict]) -> dict:
    """The cluster variant's selection with r replaced by the in-context score (same centres and d)."""
    d = {row["id"]: row["d"] for row in cluster_selection["ranking"]}
    r = {centre: s["r"] for centre, s in scores.items()}
    ranking = select(list(cluster_selection["members"]), r, d, len(r))
    return {**cluster_selection, "variant": "in-context", "ranking": ranking, "candidates": len(ranking)}
