"""Self-distilled reasoning chains (CNCA, "Comparison methods" and "Cultural Alignment Methods").

CoT-SFT: "We perform 10 rounds of sampling, generating 10 responses per round. If no valid reasoning
leading to the correct answer is found within the predefined rounds, the standard data format is used
without reasoning steps." CNCA-SFT does the same with the question's low-level CNCA-TQ (TA) norm in the
distillation prompt (the training example omits it, eq. 1). CNCA-DPO samples the CNCA-SFT model the
same way, without norms, and keeps correct (y+) and incorrect (y-) chains (eq. 2).

Every round is ONE batched engine call over the questions still unsolved, n samples each; after each
round the state is checkpointed, so a resumed job skips the questions already solved. Round r samples
with seed `seed + r`, so a resumed run writes the same bytes as an uninterrupted one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ...engine import Sampling
from ...io import write_text
from ...parsing import CLOSE, OPEN, UNCLOSED_THINK, parse_answer
from ...prompts import render_options
from ...wvs import as_question
from .methods import TEMPLATES, persona_chat, standard_prompt

log = logging.getLogger(__name__)

VARIANTS = ("cot", "cnca")
_OPEN, _CLOSE = OPEN, CLOSE
# An untagged chain must end with a stated answer: "... So the answer is 3." / "I choose option 2".
_FINAL = re.compile(r"(?:answer|option|choose|chose|choice|select(?:ed)?)\b[^0-9\n]{0,20}?(?<!\d)(\d+)(?!\d)", re.I)
MIN_REASONING_WORDS = 3  # words of letters ("1 and 2" is not reasoning)
_WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True)
class Chain:
    """One sampled response judged against the ground truth."""
    answer: int | None
    format: str       # "think-tags" | "untagged" | "none"
    reasoning: str    # the reasoning text (empty when none)
    status: str       # "correct" | "wrong-answer" | "no-answer" | "no-reasoning" | "unclosed-think"

    @property
    def valid(self) -> bool:
        return self.status == "correct"

    @property
    def has_reasoning_and_answer(self) -> bool:
        return self.status in ("correct", "wrong-answer")

    def as_dict(self) -> dict:
        return {"answer": self.answer, "format": self.format, "reasoning": self.reasoning, "status": self.status}


def judge_chain(text: str, option_ids, truth: int | None, accept_untagged: bool = False,
                reasoning_model: bool = False) -> Chain:
    """Does `text` hold reasoning that leads to `truth`?

    - think-tags: reasoning inside `<think>...</think>` (or before a lone `</think>`, when the chat
      template opened the block), the answer after it (strict or lenient parse, parsing.py);
    - untagged (only with `accept_untagged`, for small non-reasoning models that ignore the tags):
      the last statement of the form "answer/option/choose ... N" is the answer, the text before its
      line the reasoning;
    - a reasoning model's response without `</think>`, or a `<think>` never closed: unclosed-think
      (parsing.py's rule: unfinished reasoning is never a chain).
    A chain needs at least MIN_REASONING_WORDS words (of letters) of reasoning and a valid option id.
    """
    text = text or ""
    valid_ids = {int(o) for o in option_ids}
    if _CLOSE in text:
        head, tail = text.rsplit(_CLOSE, 1)
        reasoning = head.split(_OPEN, 1)[1] if _OPEN in head else head
        fmt = "think-tags"
        parsed = parse_answer(tail, valid_ids)
        answer = parsed.answer
    elif _OPEN in text or reasoning_model:
        # parsing.py's rule: a think block that never closed is unfinished reasoning, not a chain.
        return Chain(None, "think-tags", text.split(_OPEN, 1)[-1].strip(), UNCLOSED_THINK)
    elif accept_untagged:
        matches = [m for m in _FINAL.finditer(text) if int(m.group(1)) in valid_ids]
        if not matches:
            return Chain(None, "none", "", "no-answer")
        last = matches[-1]
        line_start = text.rfind("\n", 0, last.start()) + 1
        reasoning, answer, fmt = text[:line_start], int(last.group(1)), "untagged"
    else:
        return Chain(None, "none", "", "no-reasoning")
    reasoning = reasoning.strip()
    if len(_WORD.findall(reasoning)) < MIN_REASONING_WORDS:
        return Chain(answer, fmt, reasoning, "no-reasoning")
    if answer is None:
        return Chain(None, fmt, reasoning, "no-answer")
    return Chain(answer, fmt, reasoning, "correct" if answer == truth else "wrong-answer")


def chain_target(reasoning: str, answer: int) -> dict:
    """The assistant turn a chain is trained as: the reasoning inside think tags, then the number
    (untagged chains are normalised to the same form)."""
    return {"reasoning": reasoning, "answer": int(answer)}


def answer_instruction(reasoning_model: bool) -> str:
    return TEMPLATES.render("standard_closing") if reasoning_model else TEMPLATES.render("distill_think")


def distill_prompt(variant: str, record: dict, country: str, reasoning_model: bool, norm: str | None) -> list[dict]:
    """The distillation conversation of one training question. CNCA-SFT puts the question's low-level
    norm in it; without a usable norm (the miner produced none) it falls back to the CoT prompt."""
    q = as_question(record)
    fields = {"question": q.text, "options": render_options(q), "answer_instruction": answer_instruction(reasoning_model)}
    if variant == "cnca" and norm:
        return persona_chat(country, TEMPLATES.render("distill_cnca", norm=norm, **fields))
    if variant not in VARIANTS:
        raise ValueError(f"unknown distillation variant {variant!r}; valid: {list(VARIANTS)}")
    return persona_chat(country, TEMPLATES.render("distill_cot", **fields))


def training_prompt(record: dict, country: str) -> list[dict]:
    """Eq. 1 and 2: every training example (and every evaluation) uses the Standard instruction, no norms."""
    return persona_chat(country, standard_prompt(as_question(record)))


# --- the round loop -------------------------------------------------------------------------------


def fingerprint(data) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def load_checkpoint(path: Path, key: str) -> dict:
    """Completed rounds of an earlier attempt with the same inputs (else nothing)."""
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        log.warning("ignoring unreadable checkpoint %s (%s)", path, exc)
        return {}
    if data.get("key") != key:
        log.info("checkpoint %s was written for other inputs; starting afresh", path)
        return {}
    return data


def save_checkpoint(path: Path, key: str, state: dict, rounds_done: int) -> None:
    write_text(path, json.dumps({"key": key, "rounds_done": rounds_done, "state": state}, ensure_ascii=False))


def sample_rounds(engine, items: list[dict], *, rounds: int, n: int, sampling: Sampling,
                  judge: Callable[[dict, str], Chain], done: Callable[[list[dict]], bool],
                  checkpoint: Path | None = None, key: str = "") -> dict[str, list[dict]]:
    """Sample `n` responses per item per round, re-asking only the items not yet `done`.

    items: [{"id", "messages"}]; judge(item, text) -> Chain; done(samples so far) -> bool.
    Returns id -> [{"round", "sample", "text", **chain}] in sampling order.
    """
    resumed = load_checkpoint(checkpoint, key) if checkpoint else {}
    state: dict[str, list[dict]] = resumed.get("state") or {item["id"]: [] for item in items}
    first = int(resumed.get("rounds_done", 0)) + 1
    if resumed:
        log.info("resuming after round %d: %d of %d items already done", first - 1,
                 sum(done(state[i["id"]]) for i in items), len(items))
    for rnd in range(first, rounds + 1):
        todo = [item for item in items if not done(state[item["id"]])]
        if not todo:
            break
        params = Sampling(temperature=sampling.temperature, top_p=sampling.top_p, n=n,
                          seed=sampling.seed + rnd, max_new_tokens=sampling.max_new_tokens)
        outputs = engine.generate([item["messages"] for item in todo], params)
        for item, texts in zip(todo, outputs):
            for k, text in enumerate(texts):
                state[item["id"]].append({"round": rnd, "sample": k, "text": text, **judge(item, text).as_dict()})
        log.info("round %d: asked %d items x %d samples; %d of %d done", rnd, len(todo), n,
                 sum(done(state[i["id"]]) for i in items), len(items))
        if checkpoint:
            save_checkpoint(checkpoint, key, state, rnd)
    return state


def first_correct(samples: list[dict]) -> dict | None:
    return next((s for s in samples if s["status"] == "correct"), None)


def distill_country(engine, *, variant: str, country: str, questions: dict, qids: list[str], norms: dict | None,
                    reasoning_model: bool, accept_untagged: bool, rounds: int, n: int, sampling: Sampling,
                    checkpoint: Path | None = None) -> list[dict]:
    """One record per training question: its prompt, every sampled chain, the kept one (the first
    correct chain, in round then sample order) or why none was kept."""
    low_norms = low_level_norms(norms) if variant == "cnca" else {}
    items, records = [], {}
    for qid in qids:
        record = questions[qid]
        if variant == "cnca" and str(record["topic_id"]) not in norms["topics"]:
            raise ValueError(f"the CNCA-TQ (TA) norms of {norms['miner']}/{norms['country']} do not cover topic "
                             f"{record['topic_id']} of training question {qid}; mine every topic trained on")
        truth = record["ground_truth"].get(country)
        norm = low_norms.get(qid)
        messages = distill_prompt(variant, record, country, reasoning_model, norm)
        records[qid] = {"qid": qid, "country": country, "variant": variant, "ground_truth": truth,
                        "norm": norm if variant == "cnca" else None, "distill_messages": messages}
        if truth is not None:
            items.append({"id": qid, "messages": messages,
                          "options": [o["id"] for o in record["options"]], "truth": truth})
    key = fingerprint({"variant": variant, "country": country, "items": items, "sampling": sampling.as_dict(),
                       "n": n, "accept_untagged": accept_untagged})
    state = sample_rounds(engine, items, rounds=rounds, n=n, sampling=sampling,
                          judge=lambda item, text: judge_chain(text, item["options"], item["truth"], accept_untagged,
                                                               reasoning_model),
                          done=lambda samples: first_correct(samples) is not None, checkpoint=checkpoint, key=key)
    out = []
    for qid in qids:
        rec = records[qid]
        samples = state.get(qid, [])
        kept = first_correct(samples)
        if rec["ground_truth"] is None:
            rec.update(status="no-ground-truth", kept=None, round=None, samples=[])
        elif kept:
            rec.update(status="found", round=kept["round"], samples=samples,
                       kept={"round": kept["round"], "sample": kept["sample"],
                             "why": f"first correct chain ({kept['format']}) in sampling order",
                             **chain_target(kept["reasoning"], kept["answer"])})
        else:
            rec.update(status="not-found", round=None, samples=samples, kept=None,
                       fallback={"why": f"no valid reasoning leading to the correct answer in {rounds} rounds x "
                                        f"{n} samples: the standard format without reasoning is used",
                                 "answer": rec["ground_truth"]})
        out.append(rec)
    return out


def low_level_norms(norms: dict | None) -> dict[str, str]:
    """qid -> its low-level norm (CNCA-TQ mining: one norm per training question)."""
    if norms is None:
        raise ValueError("CNCA-SFT distillation needs the CNCA-TQ (TA) norms file")
    if norms.get("mining") != "tq-ta":
        raise ValueError(f"CNCA-SFT distillation uses CNCA-TQ (TA) norms, got mining {norms.get('mining')!r}")
    return {item["qid"]: item["norm"] for topic in norms["topics"].values() for item in topic["low_level"]
            if item["qid"] and item["norm"]}


def distill_counts(records: list[dict]) -> dict:
    counts = {"found": 0, "not-found": 0, "no-ground-truth": 0}
    for rec in records:
        counts[rec["status"]] += 1
    return counts


# --- CNCA-DPO preference pairs (eq. 2) -------------------------------------------------------------


def dpo_country(engine, *, country: str, questions: dict, qids: list[str], reasoning_model: bool,
                accept_untagged: bool, rounds: int, n: int, sampling: Sampling, pairs_per_question: int,
                checkpoint: Path | None = None) -> list[dict]:
    """Sample the CNCA-SFT model "under similar settings" as the distillation, "again excluding norms
    from instructions": the CoT distillation prompt (no norm; for a model that does not emit <think>
    by itself it asks for the reasoning), until each question has `pairs_per_question` correct AND
    incorrect chains or the rounds run out; then pair the i-th correct chain with the i-th incorrect
    one, in sampling order (build_pairs). The pairs are trained on the Standard prompt (eq. 2)."""
    items = []
    for qid in qids:
        record = questions[qid]
        truth = record["ground_truth"].get(country)
        if truth is not None:
            items.append({"id": qid, "messages": distill_prompt("cot", record, country, reasoning_model, None),
                          "train_messages": training_prompt(record, country),
                          "options": [o["id"] for o in record["options"]], "truth": truth})
    key = fingerprint({"dpo": True, "country": country, "items": items, "sampling": sampling.as_dict(), "n": n,
                       "accept_untagged": accept_untagged, "pairs": pairs_per_question})

    def enough(samples):
        return len(build_pairs(samples, pairs_per_question)) >= pairs_per_question

    state = sample_rounds(engine, items, rounds=rounds, n=n, sampling=sampling,
                          judge=lambda item, text: judge_chain(text, item["options"], item["truth"], accept_untagged,
                                                               reasoning_model),
                          done=enough, checkpoint=checkpoint, key=key)
    out = []
    for item in items:
        samples = state[item["id"]]
        pairs = build_pairs(samples, pairs_per_question)
        out.append({"qid": item["id"], "country": country, "ground_truth": item["truth"],
                    "sampling_messages": item["messages"], "messages": item["train_messages"],
                    "pairs": pairs, "samples": samples,
                    "status": "paired" if pairs else
                    ("no-correct-chain" if not any(s["status"] == "correct" for s in samples) else "no-incorrect-chain")})
    return out


def build_pairs(samples: list[dict], limit: int) -> list[dict]:
    """(y+, y-) pairs: the i-th correct chain with the i-th incorrect chain (a wrong answer reached
    with reasoning), in (round, sample) order, at most `limit` pairs."""
    good = [s for s in samples if s["status"] == "correct"]
    bad = [s for s in samples if s["status"] == "wrong-answer"]
    return [{"chosen": chain_target(g["reasoning"], g["answer"]), "rejected": chain_target(b["reasoning"], b["answer"]),
             "chosen_from": [g["round"], g["sample"]], "rejected_from": [b["round"], b["sample"]]}
            for g, b in zip(good[:limit], bad[:limit])]


def training_qids(split: dict, topics: list[int], per_topic: int | None) -> list[str]:
    """The training questions fine-tuning uses: the first `per_topic` (all when None) of each topic."""
    from ...wvs import train_questions

    return [qid for t in topics for qid in train_questions(split, t)[:per_topic]]
