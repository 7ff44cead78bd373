"""CDEval, the out-of-distribution evaluation of CNCA (Table 5, eqs. 4 and 5).

The model answers each CDEval question as a person of country c (two options; Option 1 is the HIGH
pole of the question's Hofstede dimension). A sample scores 1 when the chosen option is the pole of
c's tendency on that dimension: Option 1 when c's Hofstede score is above the threshold (50), else
Option 2 (eq. 4). A dimension's score is the mean over its samples and over the countries, in percent;
the average is the mean over the six dimensions (eq. 5). An invalid answer chooses no pole: it scores
0 and is counted.

The data set has no license: it is downloaded at run time from its published location and pinned by
SHA-256 (or copied from a local file given in the config), never committed.
"""

from __future__ import annotations

import csv
import json
import math
import random
import statistics
from collections import defaultdict
from pathlib import Path

from ...checksums import ChecksumError
from ...fetch import fetch_pinned
from ...io import write_jsonl
from ...parsing import parse_answer
from ...prompts import chat
from ...wvs import COUNTRIES
from .methods import TEMPLATES

DIMENSIONS = ("LTO", "MAS", "PDI", "IDV", "IVR", "UAI")  # CNCA Table 5 column order
# CDEval dimension -> column of the Hofstede file.
HOFSTEDE_COLUMNS = {"PDI": "pdi", "IDV": "idv", "MAS": "mas", "UAI": "uai", "LTO": "ltowvs", "IVR": "ivr"}
# ISO 3166 alpha-3 (the project's country codes) -> the Hofstede file's own codes.
HOFSTEDE_CODES = {
    "USA": "USA", "CAN": "CAN", "BRA": "BRA", "GBR": "GBR", "NLD": "NET", "DEU": "GER", "UKR": "UKR",
    "CHN": "CHI", "RUS": "RUS", "IND": "IND", "THA": "THA", "NGA": "NIG", "ETH": "ETH", "ZWE": "ZIM",
    "AUS": "AUL", "NZL": "NZL",
}
REQUIRED_KEYS = ("Dimension", "Domain", "Question", "Option 1", "Option 2")
CDEVAL_URL = "https://huggingface.co/datasets/Rykeryuhang/CDEval/resolve/main/CDEval.json"
CDEVAL_SHA256 = "975125cacfd603d5f1bc29c92cbfb661603d341b89f3a7d8f2b8b014342211b3"


class CDEvalError(ValueError):
    pass


def fetch(url: str, sha256: str, local: str | None, out: str | Path) -> dict:
    """Copy `local` (when given) or download `url` to `out`, after checking its SHA-256."""
    try:
        return fetch_pinned(url, sha256, local, out, "cdeval", check=load)
    except ChecksumError as exc:
        raise CDEvalError(f"CDEval: {exc}") from None


def load(path: str | Path) -> list[dict]:
    try:
        records = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise CDEvalError(f"{path}: not JSON ({exc.msg})") from None
    if not isinstance(records, list):
        raise CDEvalError(f"{path}: expected a JSON list of questions")
    for i, rec in enumerate(records):
        missing = [k for k in REQUIRED_KEYS if k not in rec]
        if missing:
            raise CDEvalError(f"{path}: record {i} lacks {missing}")
        if rec["Dimension"] not in DIMENSIONS:
            raise CDEvalError(f"{path}: record {i} has unknown dimension {rec['Dimension']!r}; valid: {list(DIMENSIONS)}")
    return records


def select(records: list[dict], per_dimension: int | None, seed: int) -> list[dict]:
    """All questions, or `per_dimension` per dimension drawn with `seed`; each gets a stable id
    (its index in the file)."""
    by_dim = defaultdict(list)
    for i, rec in enumerate(records):
        by_dim[rec["Dimension"]].append({"id": i, **rec})
    out = []
    for dim in DIMENSIONS:
        items = by_dim[dim]
        if per_dimension is not None and per_dimension < len(items):
            items = sorted(random.Random(f"{seed}:{dim}").sample(items, per_dimension), key=lambda r: r["id"])
        out.extend(items)
    return out


def load_hofstede(path: str | Path) -> dict[str, dict[str, float | None]]:
    """Hofstede file code -> dimension -> score (None where the file has #NULL!)."""
    out = {}
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            out[row["ctr"]] = {dim: (None if row[col].strip() in ("#NULL!", "") else float(row[col]))
                               for dim, col in HOFSTEDE_COLUMNS.items()}
    return out


def tendencies(hofstede: dict, countries: list[str], threshold: float) -> dict[str, dict[str, int | None]]:
    """Country -> dimension -> the pole option of its tendency (1 = high, score > threshold; 2 = low);
    None where Hofstede has no score for that country and dimension."""
    out = {}
    for c in countries:
        code = HOFSTEDE_CODES.get(c)
        if code is None or code not in hofstede:
            raise CDEvalError(f"cdeval.countries: no Hofstede scores for {c!r}; valid: {sorted(HOFSTEDE_CODES)}")
        out[c] = {dim: (None if s is None else (1 if s > threshold else 2)) for dim, s in hofstede[code].items()}
    return out


def conversation(item: dict, country: str) -> list[dict[str, str]]:
    if country not in COUNTRIES:
        raise CDEvalError(f"unknown country {country!r}")
    article, adjective = COUNTRIES[country]
    return chat(TEMPLATES.render("cdeval_system", article=article, adjective=adjective),
                TEMPLATES.render("cdeval_question", question=item["Question"], option1=item["Option 1"],
                                 option2=item["Option 2"]))


def score(records: list[dict], poles: dict[str, dict[str, int | None]]) -> dict:
    """Eqs. 4 and 5 over prediction records ({"id", "dimension", "country", "response"}):
    per (country, dimension) accuracy, per dimension the mean over countries, and the average."""
    cells = defaultdict(lambda: {"aligned": 0, "n": 0, "invalid": 0})
    for rec in records:
        pole = poles[rec["country"]][rec["dimension"]]
        if pole is None:
            continue
        parsed = parse_answer(rec["response"], [1, 2], bool(rec.get("reasoning")))
        cell = cells[(rec["country"], rec["dimension"])]
        cell["n"] += 1
        cell["invalid"] += not parsed.valid
        cell["aligned"] += parsed.answer == pole
    per_cell = {f"{c}/{d}": {**v, "score": 100.0 * v["aligned"] / v["n"]} for (c, d), v in sorted(cells.items())}
    per_dim = {}
    for dim in DIMENSIONS:
        values = [100.0 * v["aligned"] / v["n"] for (c, d), v in cells.items() if d == dim and v["n"]]
        per_dim[dim] = statistics.fmean(values) if values else math.nan
    valid_dims = [v for v in per_dim.values() if not math.isnan(v)]
    return {"per_country_dimension": per_cell, "dimensions": per_dim,
            "average": statistics.fmean(valid_dims) if valid_dims else math.nan,
            "n": sum(v["n"] for v in cells.values()), "n_invalid": sum(v["invalid"] for v in cells.values()),
            "skipped_no_hofstede_score": sorted(f"{c}/{d}" for c, p in poles.items() for d, v in p.items()
                                                if v is None)}


def predict(*, items_all: list[dict], cdeval: dict, model: str, method: str, spec: dict, model_dir: str,
            adapters: list[str], per_country: bool, sampling: dict, seed: int, max_new_tokens: int,
            engine_options: dict, out) -> dict:
    """Every selected CDEval question as a person of each configured country, through the same engine
    as the WVS predictions (one batched call per adapter: one for all countries unless per-country
    adapters are configured). Records keep the raw text; scoring re-parses it."""
    from ...engine import Sampling, load_engine

    items = select(items_all, cdeval["per_dimension"], cdeval["seed"])
    countries = list(cdeval["countries"])
    if adapters and per_country:
        by_adapter = {a: [c for c in countries if Path(a).name == c] for a in adapters}
    else:
        by_adapter = {(adapters[0] if adapters else None): countries}
    params = Sampling(temperature=sampling["temperature"], top_p=sampling.get("top_p", 1.0), n=sampling.get("n", 1),
                      seed=seed, max_new_tokens=max_new_tokens)
    records, determinism = [], None
    for adapter, group in by_adapter.items():
        engine = load_engine(spec["backend"], model_dir, spec, adapter=adapter, **engine_options)
        determinism = engine.determinism()
        jobs = [(c, item) for c in group for item in items]
        outputs = engine.generate([conversation(item, c) for c, item in jobs], params)
        for (c, item), samples in zip(jobs, outputs):
            for k, text in enumerate(samples):
                parsed = parse_answer(text, [1, 2], bool(spec.get("reasoning")))
                records.append({"model": model, "method": method, "country": c, "seed": seed, "id": item["id"],
                                "dimension": item["Dimension"], "domain": item["Domain"], "sample": k,
                                "response": text, "answer": parsed.answer, "parse": parsed.how,
                                "invalid_reason": parsed.reason, "reasoning": bool(spec.get("reasoning")),
                                "adapter": adapter})
    records.sort(key=lambda r: (countries.index(r["country"]), r["id"], r["sample"]))
    write_jsonl(out, records)
    return {"questions": len(items), "countries": countries, "records": len(records), "sampling": params.as_dict(),
            "determinism": determinism}
