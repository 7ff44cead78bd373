"""Prompt templates are data: one YAML file per template under culturealign/templates/, named after
the paper table it comes from. This module loads and fills them; it holds no prompt text itself."""

from __future__ import annotations

import string
from functools import lru_cache
from importlib import resources

import yaml

from .wvs import COUNTRIES, Question


class TemplateError(KeyError):
    pass


@lru_cache(maxsize=None)
def template(name: str) -> str:
    """The text of template `name` (file templates/<name>.yaml, key `template`)."""
    path = resources.files("culturealign") / "templates" / f"{name}.yaml"
    if not path.is_file():
        available = sorted(p.name[:-5] for p in (resources.files("culturealign") / "templates").iterdir())
        raise TemplateError(f"no prompt template {name!r}; available: {available}")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    text = data["template"]
    declared = set(data.get("fields", []))
    used = {f for _, f, _, _ in string.Formatter().parse(text) if f}
    if used != declared:
        raise TemplateError(f"template {name}: fields used {sorted(used)} != declared {sorted(declared)}")
    return text


def render(name: str, **fields) -> str:
    return template(name).format(**fields)


def render_options(question: Question) -> str:
    """CNCA Table 2 option rendering: `1.Very important 2.Rather important ...` (id, dot, text)."""
    return " ".join(f"{oid}.{text}" for oid, text in question.options)


def system_prompt(country: str) -> str:
    if country not in COUNTRIES:
        raise TemplateError(f"unknown country {country!r}; valid: {sorted(COUNTRIES)}")
    article, adjective = COUNTRIES[country]
    return render("table2_system", article=article, adjective=adjective)


def chat(country: str, user: str) -> list[dict[str, str]]:
    return [{"role": "system", "content": system_prompt(country)}, {"role": "user", "content": user}]
