"""CNCA: Wang, Zhu, Sang, "Reasoning Shapes Alignment: Investigating Cultural Alignment in Large
Reasoning Models with Cultural Norms". Norm mining and in-context alignment (Tables 1, 3, 7,
Figures 4, 5), the fine-tuning track (Tables 4, 6) and CDEval (Table 5)."""

from . import methods, norms  # noqa: F401  (register the methods)

PAPER = "cnca"
