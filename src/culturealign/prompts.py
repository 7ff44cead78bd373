"""Prompt templates are data: one YAML file per template under each paper's package
(culturealign/papers/<paper>/templates/<name>.yaml), named after the paper table it comes from, and
the few that several papers share word for word under culturealign/templates/. This module loads,
checks and fills them; it holds no prompt text itself."""

from __future__ import annotations

import string
from functools import lru_cache
from importlib import resources

import yaml

from .wvs import COUNTRIES


class TemplateError(KeyError):
    pass


class Templates:
    """The prompt templates of one package (its `templates/` folder)."""

    def __init__(self, package: str):
        self.package = package

    def folder(self):
        return resources.files(self.package) / "templates"

    def text(self, name: str) -> str:
        return _load(self.package, name)

    def render(self, name: str, **fields) -> str:
        return self.text(name).format(**fields)


@lru_cache(maxsize=None)
def _load(package: str, name: str) -> str:
    """The text of template `name` of `package`; a missing file, a malformed file or fields that
    differ from the declared ones raise TemplateError naming the file."""
    folder = resources.files(package) / "templates"
    path = folder / f"{name}.yaml"
    if not path.is_file():
        available = sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))
        raise TemplateError(f"no prompt template {name!r} in {package}; available: {available}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        text = data["template"]
        declared = set(data.get("fields", []))
        used = {f for _, f, _, _ in string.Formatter().parse(text) if f}
    except (yaml.YAMLError, TypeError, KeyError, ValueError) as exc:
        raise TemplateError(f"template file {path}: malformed ({type(exc).__name__}: {exc}); it needs a "
                            "`template` string and a `fields` list") from None
    if used != declared:
        raise TemplateError(f"template file {path}: fields used {sorted(used)} != declared {sorted(declared)}")
    return text


def render_options(question) -> str:
    """WVS option rendering of CNCA Table 2 and of CultureSPA's code: `1.Very important 2.Rather
    important ...` (id, dot, text, space-separated)."""
    return " ".join(f"{oid}.{text}" for oid, text in question.options)


def chat(system: str | None, user: str) -> list[dict[str, str]]:
    """A conversation: the system prompt (when there is one), then the user message."""
    return ([{"role": "system", "content": system}] if system is not None else []) + [
        {"role": "user", "content": user}]


CORE = Templates("culturealign")


def culture_aware_system(country: str) -> str:
    """The culture-aware system prompt of CNCA Table 2 and CultureSPA Table 9 (one template)."""
    if country not in COUNTRIES:
        raise KeyError(f"unknown country {country!r}; valid: {sorted(COUNTRIES)}")
    article, adjective = COUNTRIES[country]
    return CORE.render("culture_aware_system", article=article, adjective=adjective)
