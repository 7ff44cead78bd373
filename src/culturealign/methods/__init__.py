"""Methods beside the three papers': every module in this folder is imported when culturealign.papers
is (after the papers' own), so one method registered in one file here with
culturealign.registry.register_method reaches the registry, the leaderboard's rules and its table
(results/leaderboard.csv) with no other edit. How to write one: docs/leaderboard.md."""

import importlib
import pkgutil

for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    importlib.import_module(f"{__name__}.{_module}")
