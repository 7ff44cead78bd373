"""The alignment score of CNCA eq. 3 (also CultureSPA's), per country, over countries and over seeds.

score_c = 100 * (1 - ||a - r||_2 / max_distance), max_distance = sqrt(sum_q (n_options_q - 1)^2),
over the questions of country c answered validly; a and r are ground-truth and model option ids.
"""

from __future__ import annotations

import json
import math
import random
import statistics
from collections import defaultdict
from dataclasses import dataclass

from .parsing import UNCLOSED_THINK, get_parser


def alignment_score(truth: list[int], answers: list[int], n_options: list[int]) -> float:
    """CNCA eq. 3. NaN when there is no valid answer (nothing to score)."""
    if not (len(truth) == len(answers) == len(n_options)):
        raise ValueError("truth, answers and n_options must have the same length")
    if not truth:
        return math.nan
    distance = math.sqrt(sum((a - r) ** 2 for a, r in zip(truth, answers)))
    max_distance = math.sqrt(sum((n - 1) ** 2 for n in n_options))
    return 100.0 * (1.0 - distance / max_distance)


# Draws of the uniform random answerer whose mean score is reported (seeded: the same number every run).
RANDOM_DRAWS = 2000


def trivial_scores(truth: list[int], option_ids: list[list[int]], seed: int) -> tuple[float, float]:
    """Eq. 3 of two answerers that read nothing, on the same questions: always the first listed option,
    and a uniform random option (the mean over RANDOM_DRAWS seeded draws). What a method must beat: on
    a few questions eq. 3's normaliser is dominated by the 10-point items, and these scores swing with
    which questions are drawn."""
    if not truth:
        return math.nan, math.nan
    n = [len(ids) for ids in option_ids]
    first = alignment_score(truth, [ids[0] for ids in option_ids], n)
    rng = random.Random(seed)
    draws = [alignment_score(truth, [rng.choice(ids) for ids in option_ids], n) for _ in range(RANDOM_DRAWS)]
    return first, statistics.fmean(draws)


@dataclass
class CountryScore:
    seed: int
    country: str
    n_valid: int
    n_invalid: int
    n_no_truth: int
    score: float
    n_norms_missing: int = 0
    n_unclosed_think: int = 0  # of n_invalid: a reasoning model's think block never closed
    n_strict: int = 0  # of n_valid: the answer starts with its option id (parsing.py)
    first_option: float = math.nan  # eq. 3 of "always the first option" on the questions asked
    uniform_random: float = math.nan  # eq. 3 of a uniform random answerer (mean of seeded draws)

    def as_dict(self) -> dict:
        def num(x):
            return None if math.isnan(x) else round(x, 6)

        return {"seed": self.seed, "country": self.country, "n_valid": self.n_valid,
                "n_invalid": self.n_invalid, "n_no_truth": self.n_no_truth, "score": num(self.score),
                "n_norms_missing": self.n_norms_missing, "n_unclosed_think": self.n_unclosed_think,
                "n_strict": self.n_strict, "first_option": num(self.first_option),
                "uniform_random": num(self.uniform_random)}


class PredictionFormatError(ValueError):
    pass


def read_predictions(paths) -> list[dict]:
    records = []
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            for lineno, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise PredictionFormatError(f"{path}:{lineno}: not JSON ({exc.msg})") from None
                missing = [k for k in ("qid", "country", "response") if k not in record]
                if missing:
                    raise PredictionFormatError(f"{path}:{lineno}: record lacks {missing}")
                records.append(record)
    return records


def score_records(records: list[dict], questions: dict[str, dict], parser: str = "option") -> list[CountryScore]:
    """Score raw responses against the vendored ground truth, per (seed, country).

    The response is re-parsed here (not trusted from the file), so any prediction file scores the same.
    A question with no ground truth for the country is left out and counted in n_no_truth. A record
    with `"reasoning": true` (a reasoning model's) is parsed by the think-block rule of parsing.py.
    `parser`: the answer rule (parsing.PARSERS): `option` (CNCA), `first-integer` (CultureSPA).
    """
    parse = get_parser(parser)
    groups: dict[tuple[int, str], dict] = defaultdict(
        lambda: {"t": [], "a": [], "n": [], "inv": 0, "nt": 0, "nm": 0, "uc": 0, "strict": 0, "asked": {}})
    for rec in records:
        qid, country = rec["qid"], rec["country"]
        if qid not in questions:
            raise PredictionFormatError(f"unknown question id {qid!r} in predictions")
        q = questions[qid]
        if country not in q["ground_truth"]:
            raise PredictionFormatError(f"country {country!r} is not in the questions file")
        g = groups[(int(rec.get("seed", 0)), country)]
        truth = q["ground_truth"][country]
        if truth is None:
            g["nt"] += 1
            continue
        g["nm"] += bool(rec.get("norms_missing"))  # over the questions scored (with ground truth) only
        ids = [o["id"] for o in q["options"]]
        g["asked"][qid] = (int(truth), ids)
        parsed = parse(rec["response"], ids, bool(rec.get("reasoning")))
        if not parsed.valid:
            g["inv"] += 1
            g["uc"] += parsed.reason == UNCLOSED_THINK
            continue
        g["t"].append(int(truth))
        g["a"].append(parsed.answer)
        g["n"].append(len(q["options"]))
        g["strict"] += parsed.how == "strict"
    out = []
    for (seed, country), g in sorted(groups.items()):
        asked = [g["asked"][q] for q in sorted(g["asked"])]
        first, uniform = trivial_scores([t for t, _ in asked], [ids for _, ids in asked], seed)
        out.append(CountryScore(seed, country, len(g["t"]), g["inv"], g["nt"], alignment_score(g["t"], g["a"], g["n"]),
                                g["nm"], g["uc"], g["strict"], first, uniform))
    return out


def summarise(scores: list[CountryScore]) -> dict:
    """Mean over countries per seed, then mean and sample standard deviation over seeds.
    A country with no valid answer has no score and is left out of the mean (and counted)."""
    per_seed: dict[int, list[float]] = defaultdict(list)
    n_valid = n_invalid = 0
    for s in scores:
        n_valid += s.n_valid
        n_invalid += s.n_invalid
        if not math.isnan(s.score):
            per_seed[s.seed].append(s.score)
    seed_means = {seed: statistics.fmean(v) for seed, v in sorted(per_seed.items()) if v}
    values = list(seed_means.values())
    total = n_valid + n_invalid

    def over_seeds(field: str) -> float:  # a trivial answerer's score, averaged as the method's
        by_seed: dict[int, list[float]] = defaultdict(list)
        for s in scores:
            if not math.isnan(getattr(s, field)):
                by_seed[s.seed].append(getattr(s, field))
        means = [statistics.fmean(v) for v in by_seed.values() if v]
        return statistics.fmean(means) if means else math.nan

    n_strict = sum(s.n_strict for s in scores)
    return {
        "first_option": over_seeds("first_option"),
        "uniform_random": over_seeds("uniform_random"),
        "strict_share": n_strict / total if total else math.nan,
        "lenient_share": (n_valid - n_strict) / total if total else math.nan,
        "score": statistics.fmean(values) if values else math.nan,
        "std": statistics.stdev(values) if len(values) > 1 else math.nan,
        "per_seed": seed_means,
        "n_valid": n_valid,
        "n_invalid": n_invalid,
        "invalid_rate": n_invalid / total if total else math.nan,
        "countries_without_score": sorted({s.country for s in scores if math.isnan(s.score)}),
    }

