"""The World Values Survey (wave 7) as the CNCA and CultureSPA papers use it.

Every fact here comes from resources/wvs/README.md (the shared data README): the questions used,
the 13 topics, the zero-based questions, the ground truth and the 18 studied countries.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

QUESTIONS_FILE = "wvs_questions.json"
PROPORTIONS_FILE = "proportions_group_by_country.json"
SIMILARITY_FILE = "country_similarity.json"

# (topic id, name, first question number, last question number); Q234A belongs to topic 12.
TOPICS: tuple[tuple[int, str, int, int], ...] = (
    (1, "Social Values, Attitudes & Stereotypes", 1, 45),
    (2, "Happiness and Well-being", 46, 56),
    (3, "Social Capital, Trust & Organizational Membership", 57, 105),
    (4, "Economic Values", 106, 111),
    (5, "Corruption", 112, 120),
    (6, "Migration", 121, 130),
    (7, "Security", 131, 151),
    (8, "Postmaterialist Index", 152, 157),
    (9, "Science & Technology", 158, 163),
    (10, "Religious Values", 164, 175),
    (11, "Ethical Values and Norms", 176, 198),
    (12, "Political Interest & Political Participation", 199, 234),
    (13, "Political Culture & Political Regimes", 235, 259),
)
TOPIC_NAMES: dict[int, str] = {tid: name for tid, name, _, _ in TOPICS}

# Demographic block and the party-vote question with placeholder options are not used.
EXCLUDED = {f"Q{n}" for n in range(260, 291)} | {"Q223"}

# Options of these questions are numbered from 0 (0 is option_lst[0]); all others from 1.
ZERO_BASED = (
    {f"Q{n}" for n in range(94, 106)}
    | {"Q119"}
    | {f"Q{n}" for n in range(122, 130)}
    | {f"Q{n}" for n in range(241, 250)}
)

# The 18 studied countries: ISO code -> (article, adjective) used in the Table 2 system prompt.
COUNTRIES: dict[str, tuple[str, str]] = {
    "USA": ("an", "American"),
    "CAN": ("a", "Canadian"),
    "BOL": ("a", "Bolivian"),
    "BRA": ("a", "Brazilian"),
    "GBR": ("a", "British"),
    "NLD": ("a", "Dutch"),
    "DEU": ("a", "German"),
    "UKR": ("a", "Ukrainian"),
    "CHN": ("a", "Chinese"),
    "RUS": ("a", "Russian"),
    "IND": ("an", "Indian"),
    "THA": ("a", "Thai"),
    "KEN": ("a", "Kenyan"),
    "NGA": ("a", "Nigerian"),
    "ETH": ("an", "Ethiopian"),
    "ZWE": ("a", "Zimbabwean"),
    "AUS": ("an", "Australian"),
    "NZL": ("a", "New Zealand"),
}
COUNTRY_NAMES: dict[str, str] = {
    "USA": "the United States", "CAN": "Canada", "BOL": "Bolivia", "BRA": "Brazil",
    "GBR": "the United Kingdom", "NLD": "the Netherlands", "DEU": "Germany", "UKR": "Ukraine",
    "CHN": "China", "RUS": "Russia", "IND": "India", "THA": "Thailand", "KEN": "Kenya",
    "NGA": "Nigeria", "ETH": "Ethiopia", "ZWE": "Zimbabwe", "AUS": "Australia",
    "NZL": "New Zealand",
}

_QID = re.compile(r"^Q(\d+)([A-Z]?)$")


class WVSDataError(ValueError):
    """The survey files do not have the shape the papers' data has."""


def qid_key(qid: str) -> tuple[int, str]:
    """Natural order of question ids: Q2 < Q10 < Q234 < Q234A < Q235."""
    match = _QID.match(qid)
    if not match:
        raise WVSDataError(f"malformed question id {qid!r} (expected Q<number>[letter])")
    return int(match.group(1)), match.group(2)


def topic_of(qid: str) -> int:
    number, _ = qid_key(qid)
    for tid, _, first, last in TOPICS:
        if first <= number <= last:
            return tid
    raise WVSDataError(f"question {qid} is outside the 13 WVS topics (Q1-Q259)")


def first_option_id(qid: str) -> int:
    return 0 if qid in ZERO_BASED else 1


@dataclass(frozen=True)
class Question:
    qid: str
    topic_id: int
    text: str
    options: tuple[tuple[int, str], ...]  # (option id as shown in prompts, option text)

    @property
    def topic(self) -> str:
        return TOPIC_NAMES[self.topic_id]


def ground_truth(shares: dict[str, float]) -> int | None:
    """The country's majority answer: the FIRST option listed in its shares; empty -> None.

    proportions_group_by_country.json lists each country's options by descending share, and the data
    source's code (CultureSPA, utils.py: `list(gold_dict[country][qid].keys())[0]`) takes the first
    key, so on an exact tie (e.g. BOL Q50, NLD Q110, NZL Q35) the option listed first wins, whatever
    its id. CNCA, CultureSPA and CAReDiO numbers are all computed with this rule. `shares` must keep
    the file's key order (json.load does).
    """
    for oid in shares:
        return int(oid)
    return None


def normalise(wvs_dir: str | Path, countries: list[str] | None = None) -> dict:
    """Read the vendored survey files into one record: questions, options with real ids,
    per-country shares and ground truth for the 18 studied countries."""
    wvs_dir = Path(wvs_dir)
    raw_questions = json.loads((wvs_dir / QUESTIONS_FILE).read_text())
    proportions = json.loads((wvs_dir / PROPORTIONS_FILE).read_text())
    countries = list(countries or COUNTRIES)
    missing = [c for c in countries if c not in proportions]
    if missing:
        raise WVSDataError(f"{wvs_dir / PROPORTIONS_FILE} has no answers for {missing}")

    questions = []
    for item in raw_questions:
        qid = item["Q_id"]
        if qid in EXCLUDED:
            continue
        start = first_option_id(qid)
        options = [{"id": start + i, "text": text} for i, text in enumerate(item["option_lst"])]
        valid = {o["id"] for o in options}
        shares, truth = {}, {}
        for country in countries:
            if qid not in proportions[country]:  # an empty entry means "no answers"; a missing one is an error
                raise WVSDataError(f"{wvs_dir / PROPORTIONS_FILE}: country {country} has no entry for question "
                                   f"{qid} (a question without answers has an empty entry {{}})")
            entry = proportions[country][qid]
            bad = [k for k in entry if int(k) not in valid]
            if bad:
                raise WVSDataError(
                    f"{PROPORTIONS_FILE}: {country} {qid} has option ids {bad} outside {sorted(valid)}"
                )
            shares[country] = {str(k): float(v) for k, v in entry.items()}
            truth[country] = ground_truth(entry)
        questions.append(
            {
                "qid": qid,
                "topic_id": topic_of(qid),
                "topic": TOPIC_NAMES[topic_of(qid)],
                "question": item["question"],
                "options": options,
                "ground_truth": truth,
                "shares": shares,
            }
        )
    questions.sort(key=lambda q: qid_key(q["qid"]))
    return {"countries": countries, "topics": dict(TOPIC_NAMES), "questions": questions}


def load_questions(path: str | Path) -> dict[str, dict]:
    """qid -> normalised question record from the questions file the workflow writes."""
    data = json.loads(Path(path).read_text())
    return {q["qid"]: q for q in data["questions"]}


def as_question(record: dict) -> Question:
    return Question(
        qid=record["qid"],
        topic_id=int(record["topic_id"]),
        text=record["question"],
        options=tuple((int(o["id"]), o["text"]) for o in record["options"]),
    )


SPLIT_STRATEGIES = ("first", "seeded")


def make_split(questions: list[dict], seed: int, train_per_topic: int = 5, strategy: str = "first") -> dict:
    """The CNCA split: for every topic, `train_per_topic` training questions, the rest test questions.

    - `first` (the default, and every config's: the paper's reading): the first `train_per_topic`
      questions of each topic in question order (CNCA Table 1's norms are those of Q164-Q168, the
      first five Religious Values questions); the test questions follow in question order.
    - `seeded`: drawn with `seed`; the test questions are stored in the same seeded (shuffled) order,
      so that taking the first k test questions of a topic is itself a seeded random subset.
    """
    if strategy not in SPLIT_STRATEGIES:
        raise WVSDataError(f"unknown split strategy {strategy!r}; valid: {list(SPLIT_STRATEGIES)}")
    by_topic: dict[int, list[str]] = {}
    for q in questions:
        by_topic.setdefault(int(q["topic_id"]), []).append(q["qid"])
    rng = random.Random(seed)
    topics = {}
    for tid in sorted(by_topic):
        qids = sorted(by_topic[tid], key=qid_key)
        if len(qids) <= train_per_topic:
            raise WVSDataError(
                f"topic {tid} has {len(qids)} questions; cannot hold out {train_per_topic} for training"
            )
        ordered = qids[:]
        if strategy == "seeded":
            rng.shuffle(ordered)
        topics[str(tid)] = {
            "name": TOPIC_NAMES[tid],
            "train": sorted(ordered[:train_per_topic], key=qid_key),
            "test": ordered[train_per_topic:],
        }
    return {"strategy": strategy, "seed": seed if strategy == "seeded" else None,
            "train_per_topic": train_per_topic, "topics": topics}


def evaluation_questions(split: dict, per_topic: int | None = None, topics=None) -> list[str]:
    """The evaluated test questions of `topics` (default all): all, or the first `per_topic` of each
    topic's test list (question order under the `first` split, the seeded order under `seeded`)."""
    out = []
    for tid in sorted(split["topics"], key=int):
        if topics and int(tid) not in set(topics):
            continue
        test = split["topics"][tid]["test"]
        out.extend(test if per_topic is None else test[:per_topic])
    return out


def train_questions(split: dict, topic_id: int) -> list[str]:
    return list(split["topics"][str(topic_id)]["train"])
