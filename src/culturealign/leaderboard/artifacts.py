"""The leaderboard's declared artifacts (results/leaderboard.*) and intermediate paths."""

from ..artifacts import Artifact
from . import FIGURE, TABLE

PAPER = "leaderboard"
ARTIFACTS = (
    Artifact("leaderboard", TABLE, PAPER, "report/leaderboard/table.rst", default=True, title="Leaderboard",
             what="every method of the three papers on one model, questions, countries and score, with cost"),
    Artifact("leaderboard-figure", FIGURE[0], PAPER, "report/leaderboard/figure.rst", default=True,
             title="Leaderboard figure", what="the leaderboard's three scores per method"),
)
SCORES = "results/leaderboard/scores.csv"  # every row's eq. 3 per (seed, country): the paired tests' data
