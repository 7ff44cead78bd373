"""CAReDiO's two prompting baselines (§4.2 (1), (2)) asked WVS survey questions, for the leaderboard:
CAReDiO evaluates on its own benchmarks only and publishes no survey
prompt, so the question is CNCA's Standard instruction (the leaderboard's shared questions are CNCA's
test questions) and the method is the system prompt, as on CAReDiO's benchmarks (evaluate.py):

- backbone: no system prompt, no culture named: one set of answers, scored against every country;
- role-play: CAReDiO's role-play system prompt (templates/roleplay_system.yaml) for the country.

The fine-tuned CAReDiO models answer the backbone's prompt with the culture's adapter. They live here,
not in papers/caredio, because they join two papers (CNCA's instruction, CAReDiO's system prompt) and
each paper stands alone (pyproject's import contract)."""

from __future__ import annotations

from ..papers.caredio.grid import culture_name
from ..papers.caredio.synthesis import TEMPLATES
from ..papers.cnca.methods import standard_prompt
from ..registry import MethodContext, register_method
from ..wvs import Question

PAPER = "caredio"


def no_system(country: str | None, ctx: MethodContext | None = None) -> None:
    return None


def roleplay_system(country: str, ctx: MethodContext | None = None) -> str:
    return TEMPLATES.render("roleplay_system", culture=culture_name(country))


def _standard(question: Question, country: str | None, ctx: MethodContext) -> str:
    return standard_prompt(question)


register_method("caredio-backbone", "Backbone", PAPER, no_system,
                options={"country_free": True, "system_only": True})(_standard)
register_method("caredio-role-play", "Role-Playing", PAPER, roleplay_system, options={"system_only": True})(_standard)
