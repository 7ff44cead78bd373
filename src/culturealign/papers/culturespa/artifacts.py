"""CultureSPA's tables and figures, each declared once (see culturealign.artifacts), and the path of
every intermediate file, written once: the rules' outputs and the input functions both use these."""

from __future__ import annotations

from ...artifacts import Artifact

PAPER = "culturespa"
PUBLISHED = "resources/paper/culturespa.csv"

ARTIFACTS = (
    Artifact("culturespa-table2", "results/culturespa/table2.csv", PAPER, "report/culturespa/table2.rst",
             PUBLISHED, "2 3", default=True),
    Artifact("culturespa-figure1", "results/culturespa/figure1.png", PAPER, "report/culturespa/figure1.rst",
             PUBLISHED, "2", default=True),
    Artifact("culturespa-figure5", "results/culturespa/figure5.png", PAPER, "report/culturespa/figure5.rst",
             default=True),
)

# Intermediate files ({wildcards} filled by Snakemake or by str.format).
RANKING = "results/culturespa/data/p3_ranking.json"
PREDICTION = "results/culturespa/predictions/{model}/{method}/{country}/run{run}.jsonl"
UNAWARE_PREDICTION = "results/culturespa/predictions/{model}/culture-unaware/run{run}.jsonl"
SCORE = "results/culturespa/scores/{model}/{method}.csv"
GENERATED_TOPIC = "results/culturespa/generated/{model}/{seeds}/topic{topic}.json"
FILTERED = "results/culturespa/generated/{model}/{seeds}/questions.json"
DROPPED = "results/culturespa/generated/{model}/{seeds}/dropped.json"
GENERATION_COUNTS = "results/culturespa/generated/{model}/{seeds}/counts.json"
OUTPUT = "results/culturespa/outputs/{model}/{seeds}/{method}/{country}.jsonl"
UNAWARE_OUTPUT = "results/culturespa/outputs/{model}/{seeds}/culture-unaware.jsonl"
SELECTION = "results/culturespa/train/{model}/{seeds}/{variant}.json"
TABLE2 = ARTIFACTS[0].path
FIGURE1 = ("results/culturespa/figure1.png", "results/culturespa/figure1.pdf", "results/culturespa/figure1.csv")
FIGURE5 = ("results/culturespa/figure5.png", "results/culturespa/figure5.pdf", "results/culturespa/figure5.csv")
