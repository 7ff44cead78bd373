"""CAReDiO's grid from its config section (`caredio`): cultures and their names in each benchmark
(countries.csv, one vendored table), the generator, the rows of Tables 2-6, and the resolution and
cross-checks of the section. Every function takes the config as a mapping (a recording view in the
workflow)."""

from __future__ import annotations

import csv
import io
from functools import lru_cache
from importlib import resources

from ...schema import ConfigError

SECTION = "caredio"
BENCHMARK_COLUMNS = ("globalopinionqa", "culturalbench", "culturebank", "prism")
METHOD_LABELS = {"backbone": "Backbone", "role-play": "Role-Playing", "caredio-cluster": "CAReDiO - Cluster",
                 "caredio-in-context": "CAReDiO - In context", "culturespa-data": "CultureSPA"}
# §4.2 (3): CultureSPA's data (built by the workflow's CultureSPA section) fine-tuned under CAReDiO's recipe
CULTURESPA_DATA = "culturespa-data"
# Tables 3-6 print CAReDiO's row as "Ours" (its Averages are Table 2's CAReDiO - Cluster numbers); the
# in-context variant has no per-culture numbers in the paper.
PER_CULTURE_LABELS = {**METHOD_LABELS, "caredio-cluster": "Ours"}
BENCHMARK_LABELS = {"globalopinionqa": "GlobalOpinionQA", "culturalbench-hard": "CulturalBench-Hard",
                    "culturebank": "CultureBank", "prism": "Prism"}
BENCHMARK_TABLES = {"globalopinionqa": "3", "culturalbench-hard": "4", "culturebank": "5", "prism": "6"}  # Appendix C.1
# Digits as printed: percentages with 2; the 1-5 ratings with 4 in Table 2 and 3 in Tables 5-6
TABLE2_DIGITS = {"CultureBank": 4, "Prism": 4}
PER_CULTURE_DIGITS = {"culturebank": 3, "prism": 3}
TUNED_METHODS = {"caredio-cluster": "cluster", "caredio-in-context": "in-context"}  # method -> selection variant


def tuned_method(method: str) -> tuple[str | None, int | None]:
    """(selection variant, budget) of a method name: `caredio-cluster` or `caredio-in-context` (Table 2's
    budget: None), `caredio-cluster-n<budget>` (Figure 2's points); (None, None) for the untuned methods."""
    base, _, budget = method.rpartition("-n")
    if not budget.isdigit():
        base, budget = method, ""
    if base not in TUNED_METHODS:
        return None, None
    return TUNED_METHODS[base], int(budget) if budget else None


def figure2_method(budgets: list[int], budget: int) -> str:
    """The method whose predictions are Figure 2's point at `budget` (Table 2's at its own budget)."""
    return "caredio-cluster" if budget == max(budgets) else f"caredio-cluster-n{budget}"


@lru_cache(maxsize=1)
def countries() -> dict[str, dict]:
    """culture name -> {slug, globalopinionqa: [names], culturalbench: [...], ...} (countries.csv)."""
    text = (resources.files(__package__) / "countries.csv").read_text(encoding="utf-8")
    out = {}
    for row in csv.DictReader(io.StringIO(text)):
        out[row["culture"]] = {"slug": row["slug"], "iso3": row["iso3"],
                               **{k: row[k].split("|") for k in BENCHMARK_COLUMNS}}
    return out


def slug(culture: str) -> str:
    return countries()[culture]["slug"]


def iso3(culture: str) -> str:
    """The culture's ISO 3166 alpha-3 code (the WVS country codes CultureSPA uses)."""
    return countries()[culture]["iso3"]


def culture_name(iso3_: str) -> str:
    """The culture's name in countries.csv for a WVS country code (ISO3)."""
    for name, row in countries().items():
        if row["iso3"] == iso3_:
            return name
    raise KeyError(f"country {iso3_!r} is not a CAReDiO culture (countries.csv); valid: "
                   f"{sorted(r['iso3'] for r in countries().values())}")


def culture_of(slug_: str) -> str:
    for name, row in countries().items():
        if row["slug"] == slug_:
            return name
    raise KeyError(f"no culture with slug {slug_!r} in countries.csv; valid: {sorted(r['slug'] for r in countries().values())}")


def slugs(c) -> list[str]:
    return [slug(x) for x in c["cultures"]]


def models(cfg) -> list[str]:
    return list(cfg[SECTION]["evaluation"]["models"])


def budget(c) -> int:
    """Table 2's training budget: the largest of finetune.budgets."""
    return max(c["finetune"]["budgets"])


def resolve(config: dict) -> None:
    """Fill the section's sentinels (evaluation.models, generator) and check its cross-references;
    each error names the key."""
    c = config[SECTION]
    known = countries()
    for culture in c["cultures"]:
        if culture not in known:
            raise ConfigError(f"config key 'caredio.cultures': {culture!r} is not in "
                              f"culturealign/papers/caredio/countries.csv; valid: {sorted(known)}")
    ev = c["evaluation"]
    if not ev["models"]:
        ev["models"] = list(config["models"])
    for m in ev["models"]:
        if m not in config["models"]:
            raise ConfigError(f"config key 'caredio.evaluation.models': {m!r} is not a key of models "
                              f"({sorted(config['models'])})")
    if c["generator"] is None:
        c["generator"] = ev["models"][0]
    oe = ev["open_ended"]
    if oe["judge"] is None:
        oe["judge"] = ev["models"][0]
    if oe["judge"] not in config["models"] and oe["judge"] not in config["endpoints"]:
        raise ConfigError(f"config key 'caredio.evaluation.open_ended.judge': {oe['judge']!r} is neither a key of "
                          f"models ({sorted(config['models'])}) nor of endpoints ({sorted(config['endpoints'])})")
    if c["generator"] not in config["models"] and c["generator"] not in config["endpoints"]:
        raise ConfigError(f"config key 'caredio.generator': {c['generator']!r} is neither a key of models "
                          f"({sorted(config['models'])}) nor of endpoints ({sorted(config['endpoints'])})")
    emb = c["embedding"]
    if emb["backend"] == "endpoint" and emb["endpoint"] not in config["endpoints"]:
        raise ConfigError(f"config key 'caredio.embedding.endpoint': {emb['endpoint']!r} is not a key of "
                          f"endpoints ({sorted(config['endpoints'])})")
    for name, data in c["benchmarks"].items():
        if not data.get("url") and not data.get("local"):
            raise ConfigError(f"config key 'caredio.benchmarks.{name}': neither url nor local is set")
    for method in ev["methods"]:
        if method in TUNED_METHODS and TUNED_METHODS[method] not in c["selection"]["variants"]:
            raise ConfigError(f"config key 'caredio.evaluation.methods': {method} needs selection variant "
                              f"{TUNED_METHODS[method]!r} in caredio.selection.variants")
