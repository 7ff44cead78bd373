"""CNCA cultural-norm mining (paper section "Cultural Norm Mining", Figure 2) and in-context alignment
with the mined norms (Table 2, "Cultural Norms" instruction).

Three mining methods, from the m = 5 training questions of each topic:
- `t`     (CNCA-T): topic and country only -> m numbered norms;
- `tq-ta` (CNCA-TQ, top-1 answer): each training question with the country's majority answer -> one
          low-level norm per question (Figure 2 b);
- `tq-ra` (CNCA-TQ, ranked answers): each question with every option ranked by the country's shares
          -> one low-level norm per question (Figure 2 c).
Then, for CNCA-TQ, the low-level norms of a topic are aggregated into one high-level norm (Figure 2 d);
CNCA-T is step (a) only and has no high-level norm (Figure 2 caption).
Each stage is one batched engine call for all topics of a country.
"""

from __future__ import annotations

import re

from ...engine import Sampling
from ...parsing import UNCLOSED_THINK, final_text, think_closed
from ...prompts import chat, render_options
from ...registry import METHODS, MethodContext, register_method
from ...wvs import COUNTRY_NAMES, TOPIC_NAMES, Question, train_questions
from .methods import PAPER, TEMPLATES, system_prompt

MINING_METHODS = ("t", "tq-ta", "tq-ra")

_LIST_ITEM = re.compile(r"^\s*(?:\d+\s*[.):]|[-*•])\s*(.+?)\s*$")
_LABEL = re.compile(r"^(?:\*\*)?(?:(?:high|low)[- ]level\s+)?(?:cultural\s+)?norm\s*(?:\d+)?\s*:\s*(?:\*\*)?\s*", re.I)


def _clean(line: str) -> str:
    line = _LABEL.sub("", line.strip()).strip().strip("*").strip()
    if len(line) >= 2 and line[0] in "\"'“" and line[-1] in "\"'”":
        line = line[1:-1].strip()
    return line


def extract_norm(raw: str, reasoning: bool = False) -> str | None:
    """One norm from a miner's answer: the think part dropped, the first non-empty paragraph, labels
    such as "Norm:" and surrounding quotes removed. None when nothing usable is left, or when a
    reasoning miner's think block never closed (parsing.py's rule: the text is unfinished reasoning)."""
    text = final_text(raw, reasoning)
    if text is None:
        return None
    for paragraph in re.split(r"\n\s*\n", text):
        lines = [_clean(l) for l in paragraph.splitlines() if _clean(l)]
        if lines:
            return " ".join(lines)
    return None


def extract_norm_list(raw: str, m: int, reasoning: bool = False) -> list[str]:
    """Up to m norms from a numbered or bulleted list; a text with no list items counts as one norm."""
    text = final_text(raw, reasoning)
    if text is None:
        return []
    items = [_clean(match.group(1)) for line in text.splitlines() if (match := _LIST_ITEM.match(line))]
    items = [item for item in items if item]
    if not items:
        single = extract_norm(raw, reasoning)
        items = [single] if single else []
    return items[:m]


def ranked_options(record: dict, country: str) -> list[str]:
    """Option texts in descending order of the country's shares. Ties go to the option the shares file
    lists first: the one rule of the ground truth (wvs.ground_truth), TQ (TA) and ICL; options nobody
    chose come last, by id."""
    shares = record["shares"].get(country, {})
    listed = {oid: i for i, oid in enumerate(shares)}
    options = sorted(record["options"], key=lambda o: (-shares.get(str(o["id"]), 0.0),
                                                       listed.get(str(o["id"]), len(listed)), o["id"]))
    return [o["text"] for o in options]


def majority_answer(record: dict, country: str) -> str | None:
    truth = record["ground_truth"].get(country)
    if truth is None:
        return None
    return next(o["text"] for o in record["options"] if o["id"] == truth)


def mining_messages(user: str) -> list[dict[str, str]]:
    return chat(TEMPLATES.render("mining_system"), user)


def low_level_prompts(mining: str, country: str, topic_id: int, questions: dict, split: dict, m: int):
    """[(qid or None, user prompt)] of the first mining stage for one topic; a question without ground
    truth for the country yields (qid, None): it cannot be mined and is recorded as such."""
    name, topic = COUNTRY_NAMES[country], TOPIC_NAMES[topic_id]
    if mining == "t":
        return [(None, TEMPLATES.render("mining_t", country=name, topic=topic, m=m))]
    out = []
    for qid in train_questions(split, topic_id):
        record = questions[qid]
        if mining == "tq-ta":
            answer = majority_answer(record, country)
            prompt = None if answer is None else TEMPLATES.render("mining_tq_ta", country=name, topic=topic,
                                                         question=record["question"], answer=answer)
        elif mining == "tq-ra":
            prompt = None if not record["shares"].get(country) else TEMPLATES.render(
                "mining_tq_ra", country=name, topic=topic, question=record["question"],
                ranked=" > ".join(ranked_options(record, country)))
        else:
            raise ValueError(f"unknown mining method {mining!r}; valid: {list(MINING_METHODS)}")
        out.append((qid, prompt))
    return out


CUT_OFF = "cut-off"
_SENTENCE_END = ('.', '!', '?', '"', "'", '”', '’', ')', ']', '。')


def cut_off(raw: str, norm: str | None, reasoning: bool = False) -> bool:
    """A norm that stops without finishing its sentence: it ends the generation, and the generation
    does not end a sentence (the token budget ran out mid-norm, "...referred to as the "d")."""
    text = final_text(raw, reasoning)
    if not norm or text is None:
        return False
    end = text.rstrip().rstrip("*").rstrip()
    return not end.endswith(_SENTENCE_END) and end.endswith(norm.rstrip().rstrip('*"”').rstrip()[-12:])


def numbered(norms: list[str]) -> str:
    return "\n".join(f"{i}. {norm}" for i, norm in enumerate(norms, start=1))


def _status(norm, raw: str, reasoning: bool) -> str:
    if norm:
        return CUT_OFF if cut_off(raw, norm, reasoning) else "ok"
    return "no-usable-norm" if think_closed(raw, reasoning) else UNCLOSED_THINK


def _item(qid, norm, raw: str, prompt, reasoning: bool) -> dict:
    """A mined norm with its status; a cut-off norm keeps its text under `cut_off_text`, not as a norm
    (the prompts use only whole norms, and count the rest as missing)."""
    status = _status(norm, raw, reasoning)
    if status == CUT_OFF:
        return {"qid": qid, "norm": None, "cut_off_text": norm, "status": status, "prompt": prompt, "raw": raw}
    return {"qid": qid, "norm": norm, "status": status, "prompt": prompt, "raw": raw}


def has_high_level(mining: str) -> bool:
    """CNCA-T is step (a) only: "Methods TQ (TA) and TQ (RA) mine low-level cultural norms, which are
    then abstracted into higher-level norms" (Figure 2 caption; step d). CNCA-T gets no high-level norm."""
    return mining != "t"


def mine_norms(engine, *, miner: str, mining: str, country: str, questions: dict, split: dict,
               topics: list[int], m: int, sampling: Sampling, reasoning: bool = False) -> dict:
    """Mine the norms of every topic for one country: one batched call for all low-level norms, one for
    all high-level aggregations (CNCA-TQ only). Raw generations (think parts included) are kept beside
    each norm; `reasoning`: the miner is a reasoning model (parsing.py's think-block rule)."""
    stage1 = []  # (topic, qid, prompt)
    record = {"miner": miner, "mining": mining, "country": country, "m": m, "sampling": sampling.as_dict(),
              "reasoning": reasoning, "topics": {}}
    for tid in topics:
        record["topics"][str(tid)] = {"name": TOPIC_NAMES[tid], "low_level": [], "high_level": None}
        for qid, prompt in low_level_prompts(mining, country, tid, questions, split, m):
            if prompt is None:
                record["topics"][str(tid)]["low_level"].append(
                    {"qid": qid, "norm": None, "status": "no-survey-answer", "prompt": None, "raw": None})
            else:
                stage1.append((tid, qid, prompt))
    outputs = engine.generate([mining_messages(p) for _, _, p in stage1], sampling) if stage1 else []
    for (tid, qid, prompt), samples in zip(stage1, outputs):
        raw = samples[0]
        low = record["topics"][str(tid)]["low_level"]
        if mining == "t":
            norms = extract_norm_list(raw, m, reasoning)
            low.extend({"qid": None, "norm": n, "status": "ok", "prompt": prompt, "raw": raw} for n in norms[:-1])
            if norms:  # only the last item of a list can be the one the budget cut
                low.append(_item(None, norms[-1], raw, prompt, reasoning))
            else:
                low.append({"qid": None, "norm": None, "status": _status(None, raw, reasoning), "prompt": prompt,
                            "raw": raw})
        else:
            low.append(_item(qid, extract_norm(raw, reasoning), raw, prompt, reasoning))
    if mining != "t":  # keep the training-question order within each topic
        for tid, topic in record["topics"].items():
            order = {q: i for i, q in enumerate(train_questions(split, int(tid)))}
            topic["low_level"].sort(key=lambda item: order[item["qid"]])
    if has_high_level(mining):
        _aggregate(engine, record, topics, country, sampling, reasoning)
    record["counts"] = norm_counts(record)
    return record


def _aggregate(engine, record: dict, topics: list[int], country: str, sampling: Sampling, reasoning: bool) -> None:
    """Figure 2 (d): the usable low-level norms of each topic -> one high-level norm, one batched call."""
    stage2 = []
    for tid in topics:
        topic = record["topics"][str(tid)]
        usable = [item["norm"] for item in topic["low_level"] if item["norm"]]
        if not usable:
            topic["high_level"] = {"norm": None, "status": "no-low-level-norms", "prompt": None, "raw": None}
            continue
        stage2.append((tid, TEMPLATES.render("mining_aggregate", country=COUNTRY_NAMES[country],
                                   topic=TOPIC_NAMES[tid], low=numbered(usable))))
    outputs = engine.generate([mining_messages(p) for _, p in stage2], sampling) if stage2 else []
    for (tid, prompt), samples in zip(stage2, outputs):
        item = _item(None, extract_norm(samples[0], reasoning), samples[0], prompt, reasoning)
        record["topics"][str(tid)]["high_level"] = {k: v for k, v in item.items() if k != "qid"}


def norm_counts(record: dict) -> dict:
    low = [item for t in record["topics"].values() for item in t["low_level"]]
    counts = {"low_level_ok": sum(1 for i in low if i["norm"]),
              "low_level_missing": sum(1 for i in low if not i["norm"]),
              "cut_off": sum(1 for i in low if i["status"] == CUT_OFF),
              "unclosed_think": sum(1 for i in low if i["status"] == UNCLOSED_THINK)}
    if has_high_level(record["mining"]):
        high = [t["high_level"] for t in record["topics"].values()]
        counts.update(high_level_ok=sum(1 for h in high if h and h["norm"]),
                      high_level_missing=sum(1 for h in high if not (h and h["norm"])))
        counts["unclosed_think"] += sum(1 for h in high if h and h["status"] == UNCLOSED_THINK)
        counts["cut_off"] += sum(1 for h in high if h and h["status"] == CUT_OFF)
    return counts


def norms_for_prompt(norms: dict, topic_id: int, k: int) -> tuple[str, str | None, int, bool]:
    """(low-level text, high-level text, number of low-level norms used, whether any norm was missing)
    for the test question's topic: the first k usable low-level norms, numbered, and the high-level
    norm (None for CNCA-T, which has none)."""
    topic = norms["topics"].get(str(topic_id))
    if topic is None:
        raise KeyError(f"norms of {norms['miner']}/{norms['mining']}/{norms['country']} have no topic {topic_id}")
    low = [item["norm"] for item in topic["low_level"] if item["norm"]][:k]
    if not has_high_level(norms["mining"]):
        return numbered(low) if low else "(none)", None, len(low), len(low) < k
    high = topic["high_level"]["norm"] if topic["high_level"] else None
    missing = len(low) < k or high is None
    return numbered(low) if low else "(none)", high or "(none)", len(low), missing


def _norms_instruction(question: Question, country: str, ctx: MethodContext) -> str:
    low, high, _, _ = norms_for_prompt(ctx.extras["norms"], question.topic_id, ctx.extras["n_low"])
    lines = [TEMPLATES.render("table2_norms_low", low=low)]
    if high is not None:
        lines.append(TEMPLATES.render("table2_norms_high", high=high))
    return TEMPLATES.render("table2_norms", norms="\n".join(lines), question=question.text,
                            options=render_options(question))


def norm_fields(ctx: MethodContext, question: dict, country: str | None) -> dict:
    """Each prediction of a norm method says whose norms, how many low-level ones, and whether any was missing."""
    norms, n_low = ctx.extras["norms"], ctx.extras["n_low"]
    _, _, used, missing = norms_for_prompt(norms, int(question["topic_id"]), n_low)
    return {"miner": norms["miner"], "mining": norms["mining"], "norms_given": n_low, "n_low_level": used,
            "norms_missing": missing}


for _name, _label, _mining in [("cnca-t", "CNCA-T", "t"), ("cnca-tq-ta", "CNCA-TQ (TA)", "tq-ta"),
                               ("cnca-tq-ra", "CNCA-TQ (RA)", "tq-ra")]:
    register_method(_name, _label, PAPER, system_prompt, needs=("norms",), options={"mining": _mining},
                    record_fields=norm_fields)(_norms_instruction)

# In-context methods -> the mining method whose norms they put in the prompt (from the registry).
NORM_METHODS = {m.name: m.options["mining"] for m in METHODS.values() if "norms" in m.needs}
