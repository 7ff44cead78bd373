"""CultureSPA (Xu et al., NAACL 2025, "Self-Pluralising Culture Alignment for Large Language Models"):
its prompting methods (methods), grid (grid), inputs (inputs), paths and declared artifacts
(artifacts), Table 2 (tables) and Figures 1 and 5 (figures)."""

from . import methods  # noqa: F401  (registers CultureSPA's methods)
