"""CAReDiO §3.2, the cultural data synthesis pipeline, as pure functions over a `generate` callable
(conversations -> one text each), so that the local engine and an OpenAI-compatible endpoint run the
same steps. The paper publishes no prompt: every template (templates/*.yaml) is the project's text,
and every choice the paper leaves open is named here and in the config:

1. Questions (Self-Instruct over the framework, Wang et al. 2022): per topic, `per_topic` questions,
   the three types taking turns (scenario-based, value-oriented, open-ended). Each topic's pool starts
   from the seed questions (seed_questions.yaml: the project's, one per type; the paper publishes none)
   and grows with every question the topic keeps; each prompt shows `examples` questions drawn from the
   pool as it stands. Rounds of at most `batch` prompts per topic (one batched call for all topics): a
   round's prompts draw from the pool as the round began, and its answers are filtered one by one, each
   against the pool including the answers kept before it. A generation that is empty, too short, or
   too close to a question of the pool (ROUGE-L F >= `novelty`, 0.7 as in Self-Instruct; the
   rouge-score package) is dropped with its reason (kept in the output, counted per reason).
2. Role-play responses: every culture answers every question (system prompt naming the culture).
3. Question adaptation (chain of thought): the model compares the cultures' responses (turn 1, the
   reasoning, kept) and then rewrites the question for the target culture (turn 2).
4. Distinctive responses: every culture answers the target's adapted question in isolation; then the
   target answers again with `cct_others` other cultures' answers shown (Cognitive Conflict Theory;
   the others drawn with a seeded generator). The final sample is (adapted question, CCT answer).
"""

from __future__ import annotations

import random
import re
from importlib import resources

import yaml

from ...prompts import Templates, chat

TEMPLATES = Templates(__package__)
NOVELTY = 0.7  # Self-Instruct (Wang et al., 2022): a new instruction is kept when its ROUGE-L with every
               # instruction of the pool is below 0.7


def seed_questions() -> dict[str, str]:
    """The seed pool (seed_questions.yaml): question type -> one question of that type."""
    data = yaml.safe_load((resources.files(__package__) / "seed_questions.yaml").read_text(encoding="utf-8"))
    return data["questions"]

QUESTION_TYPES = {  # §3.2: "three types that often appear in practical usage"
    "scenario": ("scenario-based", "describe a concrete everyday situation and ask what one would do or think in it."),
    "value": ("value-oriented", "ask directly about what one values, believes is right, or considers important."),
    "open": ("open-ended", "ask for an opinion or an explanation in the answerer's own words."),
}
MIN_QUESTION_CHARS = 15
_LEAD = re.compile(r"^\s*(?:(?:\d+[.)]|[-*])\s*)?(?:\*\*)?(?:question\s*\d*\s*[:.-]\s*)?(?:\*\*)?\s*", re.I)


def question_prompt(topic: dict, qtype: str, examples: list[str]) -> list[dict]:
    name, description = QUESTION_TYPES[qtype]
    shown = "".join(f"Example question: {q}\n" for q in examples)
    return chat(None, TEMPLATES.render("question", topic=topic["name"], description=topic["description"],
                                       qtype=name, qtype_description=description, examples=shown))


def parse_question(text: str) -> tuple[str | None, str | None]:
    """(question, None) or (None, reason): the first non-empty line that is not a lead-in ending
    with a colon, without a list marker, a 'Question:' label or quotes."""
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    while len(lines) > 1 and lines[0].rstrip().endswith(":"):  # a lead-in ("Here is the question:")
        lines = lines[1:]
    if not lines:
        return None, "empty"
    question = _LEAD.sub("", lines[0]).strip().strip('"').strip("*").strip()
    if len(question) < MIN_QUESTION_CHARS:
        return None, "too-short"
    return question, None


def _missing_types(kept: list[dict], per_topic: int) -> list[str]:
    """The types still owed to a topic: per_topic questions, the types taking turns, less the types kept."""
    kinds = list(QUESTION_TYPES)
    owed = [kinds[j % len(kinds)] for j in range(per_topic)]
    for q in kept:
        if q["type"] in owed:
            owed.remove(q["type"])
    return owed


def generate_questions(generate, topics: list[dict], per_topic: int, examples: int, max_rounds: int,
                       seed: int, batch: int = 20, novelty: float = NOVELTY, seeds: dict[str, str] | None = None) -> dict:
    """Self-Instruct rounds (module docstring, step 1) until every topic has `per_topic` questions or
    `max_rounds` rounds have run. Returns {questions, dropped, raw, counts, seeds}."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rougeL"])
    seeds = seed_questions() if seeds is None else seeds
    rng = random.Random(seed)
    kept: dict[int, list[dict]] = {t: [] for t in range(len(topics))}
    pool: dict[int, list[str]] = {t: list(seeds.values()) for t in range(len(topics))}
    dropped, raw = [], []
    for round_index in range(max_rounds):
        plan = [(t, qtype) for t in kept for qtype in _missing_types(kept[t], per_topic)[:batch]]
        if not plan:
            break
        conversations = [question_prompt(topics[t], qtype, rng.sample(pool[t], min(examples, len(pool[t]))))
                         for t, qtype in plan]
        texts = generate(conversations, round_index)
        for (t, qtype), conv, text in zip(plan, conversations, texts):
            raw.append({"round": round_index, "topic": topics[t]["name"], "type": qtype, "messages": conv, "text": text})
            question, reason = parse_question(text)
            closest = None
            if question is not None:
                closest = max(((scorer.score(p, question)["rougeL"].fmeasure, p) for p in pool[t]), default=(0.0, None))
                if closest[0] >= novelty:
                    question, reason = None, "similar"
            if question is None:
                entry = {"topic": topics[t]["name"], "type": qtype, "text": text, "reason": reason}
                if reason == "similar":
                    entry.update(rouge_l=round(closest[0], 4), closest=closest[1])
                dropped.append(entry)
            elif len(kept[t]) < per_topic and qtype in _missing_types(kept[t], per_topic):
                kept[t].append({"topic": topics[t]["name"], "level": topics[t]["level"], "type": qtype,
                                "question": question, "round": round_index})
                pool[t].append(question)
    questions = []
    for t in kept:
        for j, q in enumerate(kept[t]):
            questions.append({"id": f"t{t:02d}q{j:03d}", **q})
    reasons: dict[str, int] = {}
    for d in dropped:
        reasons[d["reason"]] = reasons.get(d["reason"], 0) + 1
    counts = {"generations": len(raw), "kept": len(questions), "dropped": reasons,
              "rounds": len({r["round"] for r in raw}),
              "topics_short": sorted(topics[t]["name"] for t in kept if len(kept[t]) < per_topic)}
    return {"questions": questions, "dropped": dropped, "raw": raw, "counts": counts, "seeds": seeds,
            "novelty": {"metric": "ROUGE-L F (rouge-score)", "threshold": novelty}}


def roleplay(culture: str, question: str) -> list[dict]:
    return chat(TEMPLATES.render("roleplay_system", culture=culture), question)


def _answers_block(responses: dict[str, str]) -> str:
    return "\n".join(f"Answer from {culture}: {' '.join(text.split())}" for culture, text in responses.items())


def analysis_prompt(question: str, responses: dict[str, str]) -> list[dict]:
    return chat(None, TEMPLATES.render("adaptation_analysis", question=question, responses=_answers_block(responses)))


def refine_prompt(analysis: list[dict], reasoning: str, target: str) -> list[dict]:
    """The second turn of the adaptation conversation."""
    return [*analysis, {"role": "assistant", "content": reasoning},
            {"role": "user", "content": TEMPLATES.render("adaptation_refine", target=target)}]


def cct_prompt(culture: str, question: str, others: dict[str, str]) -> list[dict]:
    return chat(TEMPLATES.render("roleplay_system", culture=culture),
                TEMPLATES.render("cct", question=question, others=_answers_block(others), culture=culture))


def cct_others(cultures: list[str], target: str, k: int, rng: random.Random) -> list[str]:
    """The `k` other cultures whose answers the target sees (all others when fewer), drawn with `rng`."""
    others = [c for c in cultures if c != target]
    return sorted(rng.sample(others, min(k, len(others))), key=others.index)
