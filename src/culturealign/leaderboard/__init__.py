"""One leaderboard across the three papers (results/leaderboard.csv; docs/leaderboard.md): every method
of CNCA, CultureSPA and CAReDiO, and every method registered beside them (culturealign.methods), on one
model (`leaderboard.model`), one question set, one score.

- WVS questions: CNCA's evaluated test questions (results/data/split.json, cnca.evaluation.topics and
  test_per_topic). CNCA's trained methods and ICL read the training questions of the same split, so
  only its test questions are unseen by every method. CultureSPA asks every WVS question (a superset);
  CAReDiO asks none. CultureSPA's P3 picks its examples among the training questions only (the paper
  ranks every other question, which would show a test question's answer for the country).
- Countries: `leaderboard.countries`, by default those of cnca.countries that are also in
  culturespa.countries and among caredio.cultures: CNCA's predictions, CultureSPA's country-specific
  adapters and CAReDiO's adapters and benchmark items exist for those only.
- Score: CNCA eq. 3 (scoring.alignment_score, also CultureSPA's) per country and seed, every row decoded
  with cnca.sampling under cnca.seeds; each answer read by its paper's answer rule (CultureSPA's rows:
  culturespa.evaluation.parser; every other: CNCA's `option` rule).
- CAReDiO's GlobalOpinionQA and CulturalBench-Hard (mean over the same countries): every row whose
  method is its system prompt and adapter (registry option `system_only`), so every fine-tuned row and
  the backbone; a method whose message carries WVS context (ICL's answered questions, CNCA's mined
  norms, P3's examples) has no such context for those items, and its row says so.

Reuse: the CNCA rows read CNCA's own prediction files (the same jobs as Tables 3 and 4), the CAReDiO
rows CAReDiO's own benchmark predictions (Table 2's jobs); the rest are the leaderboard's own jobs.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from types import SimpleNamespace

from ..papers.caredio import artifacts as caredio_paths
from ..papers.caredio import grid as caredio_grid
from ..papers.caredio import inputs as caredio_inputs
from ..papers.cnca import artifacts as cnca_paths
from ..papers.cnca import grid as cnca_grid
from ..papers.culturespa import artifacts as culturespa_paths
from ..papers.culturespa import grid as culturespa_grid
from ..registry import METHODS, get_method
from ..schema import ConfigError
from . import methods as _caredio_wvs_methods  # noqa: F401  (registers CAREDIO_WVS_METHODS)

SECTION = "leaderboard"
PAPERS = ("cnca", "culturespa", "caredio")
PAPER_LABELS = {"cnca": "CNCA", "culturespa": "CultureSPA", "caredio": "CAReDiO"}
CAREDIO_WVS_METHODS = ("caredio-backbone", "caredio-role-play")  # leaderboard/methods.py
KEY_PATTERN = re.compile(r"[A-Za-z0-9._-]+")  # a row's key is a path component and a wildcard value
BENCHMARKS = ("globalopinionqa", "culturalbench-hard")
TABLE = "results/leaderboard.csv"
FIGURE = ("results/leaderboard.png", "results/leaderboard.pdf", "results/leaderboard.json")
PREDICTION = "results/leaderboard/predictions/{model}/{row}/seed{seed}.jsonl"
BENCHMARK_PREDICTION = "results/leaderboard/benchmarks/{model}/{row}.json"
# What a method's message carries that a GlobalOpinionQA or CulturalBench-Hard item has not.
WVS_CONTEXT = {"icl": "the country's answers to the topic's WVS training questions",
               "norms": "norms mined from the topic's WVS training questions",
               "p3": "the country's answers to similar WVS questions (P3)"}


@dataclass(frozen=True)
class Row:
    key: str                 # unique; the {row} wildcard of the leaderboard's own jobs
    paper: str               # cnca | culturespa | caredio | the registering module's paper
    label: str               # the method's name in its paper
    kind: str                # prompting | fine-tuned
    method: str              # the registered method that builds its WVS prompt (and system prompt)
    adapters: dict           # country (ISO3) -> LoRA adapter directory; empty: the base model
    wvs: str                 # whose WVS predictions: "cnca" (CNCA's own files) | "leaderboard"
    benchmarks: str          # whose GlobalOpinionQA/CulturalBench-Hard predictions: caredio | leaderboard | ""
    parser: str = "option"   # the answer rule (parsing.PARSERS)
    caredio_method: str = ""  # CAReDiO's method name (its prediction file)
    benchmark_note: str = ""  # why no benchmark scores ("" when it has them)
    reason: str = ""         # why the method cannot run on this model ("" when it runs)

    def as_dict(self) -> dict:
        return asdict(self)


def _s(cfg):
    return cfg[SECTION]


def model(cfg) -> str:
    return _s(cfg)["model"] or cfg["cnca"]["evaluation"]["models"][0]


def candidate_countries(cfg) -> list[str]:
    """cnca.countries (in that order) that culturespa.countries and caredio.cultures also hold."""
    caredio = {caredio_grid.iso3(c) for c in cfg["caredio"]["cultures"]}
    spa = set(cfg["culturespa"]["countries"])
    return [c for c in cfg["cnca"]["countries"] if c in spa and c in caredio]


def available(cfg) -> bool:
    """Whether the leaderboard can be made under this config (`rule all` leaves it out otherwise)."""
    return bool(_s(cfg)["countries"] or candidate_countries(cfg))


def check(cfg) -> None:
    """What the leaderboard needs of the papers' sections, each missing piece named by its key."""
    countries(cfg)
    missing = [b for b in BENCHMARKS if b not in cfg["caredio"]["evaluation"]["benchmarks"]]
    if missing:
        raise ConfigError(f"config key 'caredio.evaluation.benchmarks': {missing} missing; the leaderboard reads "
                          f"CAReDiO's own {' and '.join(BENCHMARKS)} predictions of its rows")


def countries(cfg) -> list[str]:
    """The leaderboard's countries; an error naming the keys when there is none."""
    chosen = list(_s(cfg)["countries"]) or candidate_countries(cfg)
    if not chosen:
        raise ConfigError(
            f"config key '{SECTION}.countries': no country is in all of cnca.countries {list(cfg['cnca']['countries'])}, "
            f"culturespa.countries {list(cfg['culturespa']['countries'])} and caredio.cultures "
            f"{list(cfg['caredio']['cultures'])} (as ISO3 codes); the leaderboard needs one in all three")
    return chosen


def culture(iso3: str) -> str:
    """CAReDiO's culture name of a WVS country code."""
    return caredio_grid.culture_name(iso3)


def in_rule_all(artifact, cfg) -> bool:
    """`rule all`'s artifacts: those declared `default`, the leaderboard's only when the papers share a
    country (otherwise every other target still runs, and asking for the leaderboard names the keys)."""
    return artifact.default and (artifact.paper != SECTION or available(cfg))


def resolve(config: dict) -> None:
    """Check the section's explicit values (the empty defaults are resolved when a leaderboard job is
    asked for: a config whose papers share no country runs every other target)."""
    s = config[SECTION]
    if s["model"] and s["model"] not in config["models"]:
        raise ConfigError(f"config key '{SECTION}.model': {s['model']!r} is not a model of `models`; "
                          f"valid values: {sorted(config['models'])}")
    if s["countries"]:
        sets = {"cnca.countries": list(config["cnca"]["countries"]),
                "culturespa.countries": list(config["culturespa"]["countries"]),
                "caredio.cultures": [caredio_grid.iso3(c) for c in config["caredio"]["cultures"]]}
        for key, valid in sets.items():
            missing = [c for c in s["countries"] if c not in valid]
            if missing:
                raise ConfigError(f"config key '{SECTION}.countries': {missing} not in {key} ({valid}); every "
                                  f"leaderboard country must be in cnca.countries, culturespa.countries and "
                                  f"caredio.cultures")


# --- rows -----------------------------------------------------------------------------------------


def _benchmark_note(method: str) -> str:
    entry = get_method(method)
    if entry.options.get("system_only"):
        return ""
    what = (WVS_CONTEXT["norms"] if "norms" in entry.needs else WVS_CONTEXT["p3"] if entry.options.get("p3")
            else WVS_CONTEXT.get(method, "WVS context"))
    return f"not asked: its message carries {what}, which their items do not have"


def _cnca_rows(cfg, mdl: str, recipes: dict, shared: list[str]) -> list[Row]:
    c = cfg["cnca"]
    reasoning = bool(cfg["models"][mdl].get("reasoning"))
    rows = []
    for name in (m.name for m in METHODS.values() if m.paper == "cnca"):
        entry = METHODS[name]
        tuned = "adapter" in entry.needs
        reason = ""
        if tuned and recipes[name]["data"] != "answer" and not reasoning and not c["finetune"]["distill"]["accept_untagged"]:
            reason = (f"CNCA distils its training chains from the model's own <think> reasoning; {mdl} is not a "
                      f"reasoning model (models.{mdl}.reasoning) and cnca.finetune.distill.accept_untagged is false")
        adapters = {k: cnca_grid.adapter_dir(c, mdl, name, k) for k in shared} if tuned else {}
        note = _benchmark_note(name)
        rows.append(Row(name, "cnca", entry.label, "fine-tuned" if tuned else "prompting", name, adapters, "cnca",
                        "" if note else "leaderboard", benchmark_note=note, reason=reason))
    return rows


def _culturespa_rows(cfg, mdl: str, shared: list[str]) -> list[Row]:
    c = cfg["culturespa"]
    parser = c["evaluation"]["parser"]
    rows = []
    for name in (m.name for m in METHODS.values() if m.paper == "culturespa"):
        note = _benchmark_note(name)
        rows.append(Row(name, "culturespa", METHODS[name].label, "prompting", name, {}, "leaderboard",
                        "" if note else "leaderboard", parser=parser, benchmark_note=note))
    # the fine-tuned models (§4.4, Table 3), asked with P1 as Table 3 asks them: CRQPC data, all of it
    seeds = c["generation"]["seeds"]
    for key, label, tuned in [
        ("culturespa-joint", "CultureSPA (joint)", culturespa_grid.Tuned(seeds, "aware", "crqpc", "joint", 100)),
        ("culturespa-specific", "CultureSPA (specific)", culturespa_grid.Tuned(seeds, "aware", "crqpc", "specific", 100)),
        ("culturespa-cct", "CultureSPA (CCT)", culturespa_grid.Tuned(seeds, "cct", "crqpc", "joint", 100)),
    ]:
        adapters = {k: culturespa_grid.adapter_dir(mdl, tuned, k) for k in shared}
        rows.append(Row(key, "culturespa", label, "fine-tuned", "p1", adapters, "leaderboard", "leaderboard",
                        parser=parser))
    return rows


def _caredio_rows(cfg, mdl: str, shared: list[str]) -> list[Row]:
    rows = []
    for key, method, caredio_method, label in [
        ("caredio-backbone", "caredio-backbone", "backbone", "Backbone"),
        ("caredio-role-play", "caredio-role-play", "role-play", "Role-Playing"),
        ("caredio-cluster", "caredio-backbone", "caredio-cluster", "CAReDiO - Cluster"),
        ("caredio-in-context", "caredio-backbone", "caredio-in-context", "CAReDiO - In context"),
    ]:
        by_slug = caredio_inputs.adapters(cfg, SimpleNamespace(model=mdl, method=caredio_method))
        adapters = {k: by_slug[caredio_grid.slug(culture(k))] for k in shared} if by_slug else {}
        rows.append(Row(key, "caredio", label, "fine-tuned" if adapters else "prompting", method, adapters,
                        "leaderboard", "caredio", caredio_method=caredio_method))
    return rows


def _other_rows(mdl: str) -> list[Row]:
    """Methods registered beside the papers' (culturealign.methods): prompting methods run; one that
    needs what only a paper's pipeline makes (an adapter, mined norms) has its row with the reason."""
    rows = []
    for entry in METHODS.values():
        if entry.paper in ("cnca", "culturespa") or entry.name in CAREDIO_WVS_METHODS:
            continue  # the papers' own rows (a method registered under cnca or culturespa is one of theirs)
        if not KEY_PATTERN.fullmatch(entry.name):
            raise ValueError(f"registered method {entry.name!r} (paper {entry.paper!r}): a leaderboard row's key "
                             f"must match {KEY_PATTERN.pattern} (it names the row's files)")
        reason = (f"needs {', '.join(entry.needs)}, which the leaderboard makes only for the papers' methods"
                  if entry.needs else "")
        note = "" if entry.options.get("system_only") else (
            "not asked: the method is not registered `system_only` (its message may carry WVS context)")
        rows.append(Row(entry.name, entry.paper, entry.label, "prompting", entry.name, {}, "leaderboard",
                        "" if note else "leaderboard", benchmark_note=note, reason=reason))
    return rows


def rows(cfg, recipes: dict) -> list[Row]:
    """Every row, papers first (CNCA, CultureSPA, CAReDiO: each paper's prompting rows, then its
    fine-tuned ones), then the methods of culturealign.methods. `recipes`: CNCA's recipes by method."""
    mdl, shared = model(cfg), countries(cfg)
    out = [*_cnca_rows(cfg, mdl, recipes, shared), *_culturespa_rows(cfg, mdl, shared),
           *_caredio_rows(cfg, mdl, shared), *_other_rows(mdl)]
    keys = [r.key for r in out]
    if len(set(keys)) != len(keys):
        raise ValueError(f"leaderboard rows with the same key: {sorted(k for k in keys if keys.count(k) > 1)}")
    order = {"prompting": 0, "fine-tuned": 1}
    papers = {p: i for i, p in enumerate(PAPERS)}
    return sorted(out, key=lambda r: (papers.get(r.paper, len(PAPERS)), order[r.kind]))


def row(cfg, key: str, recipes: dict) -> Row:
    every = rows(cfg, recipes)
    for r in every:
        if r.key == key:
            return r
    raise KeyError(f"no leaderboard row {key!r}; valid: {[r.key for r in every]}")


def own_rows(cfg, recipes: dict) -> list[str]:
    """The keys whose WVS predictions are the leaderboard's own jobs."""
    return [r.key for r in rows(cfg, recipes) if r.wvs == "leaderboard"]


# --- the files of each row ------------------------------------------------------------------------


def wvs_files(cfg, r: Row) -> list[str]:
    """The prediction files a row's WVS score reads (none for a row that cannot run)."""
    if r.reason:
        return []
    mdl, c = model(cfg), cfg["cnca"]
    if r.wvs == "leaderboard":
        return [PREDICTION.format(model=mdl, row=r.key, seed=s) for s in c["seeds"]]
    if "norms" in get_method(r.method).needs:
        miner = cnca_grid.miner_for(c["norms"]["table_miner"], mdl)
        return [cnca_paths.NORM_PREDICTION.format(model=mdl, method=r.method, miner=miner, n_low=c["norms"]["m"],
                                                  country=k, seed=s) for k in countries(cfg) for s in c["seeds"]]
    return [cnca_paths.PREDICTION.format(model=mdl, method=r.method, country=k, seed=s)
            for k in countries(cfg) for s in c["seeds"]]


def benchmark_file(cfg, r: Row) -> str | None:
    if r.reason or not r.benchmarks:
        return None
    if r.benchmarks == "caredio":
        return caredio_paths.PREDICTION.format(model=model(cfg), method=r.caredio_method)
    return BENCHMARK_PREDICTION.format(model=model(cfg), row=r.key)


def prediction_inputs(cfg, key: str, recipes: dict) -> dict:
    """The inputs of a leaderboard WVS prediction job (wildcard `row`)."""
    r = row(cfg, key, recipes)
    out = {"manifest": f"results/models/{model(cfg)}/manifest.json", "questions": "results/data/wvs_questions.json",
           "split": cnca_paths.SPLIT, "adapters": sorted(set(r.adapters.values()))}
    if r.paper == "culturespa":
        out["similarity"] = "resources/wvs/country_similarity.json"
        if get_method(r.method).options.get("p3"):
            out["ranking"] = culturespa_paths.RANKING
    return out


def benchmark_inputs(cfg, key: str, recipes: dict) -> dict:
    """The inputs of a leaderboard benchmark job: CAReDiO's copies of the two benchmarks."""
    r = row(cfg, key, recipes)
    out = {f"data_{b.replace('-', '_')}": caredio_paths.benchmark_path(b) for b in BENCHMARKS}
    out.update({"manifest": f"results/models/{model(cfg)}/manifest.json", "questions": "results/data/wvs_questions.json",
                "split": cnca_paths.SPLIT, "adapters": sorted(set(r.adapters.values()))})
    if r.paper == "culturespa":
        out["similarity"] = "resources/wvs/country_similarity.json"
    return out


def p3_candidates(ranking: dict[str, list[str]], split: dict) -> dict[str, list[str]]:
    """CultureSPA P3's ranking cut to CNCA's training questions (in the ranking's order): no test
    question's answer is shown as an example for another test question."""
    from ..wvs import train_questions

    train = {q for tid in split["topics"] for q in train_questions(split, int(tid))}
    return {q: [o for o in ranked if o in train] for q, ranked in ranking.items()}


def input_name(kind: str, key: str) -> str:
    """The table's input name of a row's files: wvs_<key> or bench_<key> (- and . as _)."""
    return f"{kind}_{re.sub(r'[^A-Za-z0-9_]', '_', key)}"


def table_inputs(cfg, recipes: dict) -> dict:
    """Every file the table reads, named per row (input_name)."""
    check(cfg)
    out = {"questions": "results/data/wvs_questions.json", "split": cnca_paths.SPLIT}
    for r in rows(cfg, recipes):
        if wvs_files(cfg, r):
            out[input_name("wvs", r.key)] = wvs_files(cfg, r)
        if benchmark_file(cfg, r):
            out[input_name("bench", r.key)] = benchmark_file(cfg, r)
    return out
