"""CultureSPA's tables and figures, each declared once (see culturealign.artifacts), and the path of
every intermediate file, written once: the rules' outputs and the input functions both use these."""

from __future__ import annotations

from ...artifacts import Artifact

PAPER = "culturespa"
PUBLISHED = "resources/paper/culturespa.csv"             # Tables 2 and 3 (per country)
PUBLISHED_TABLES = "resources/paper/culturespa-tables.csv"  # Tables 1, 4 and 5 (table,row,column,published)

ARTIFACTS = (
    Artifact("culturespa-table2", "results/culturespa/table2.csv", PAPER, "report/culturespa/table2.rst",
             PUBLISHED, "2 3", default=True,
             what="alignment score per country: prompting baselines and fine-tuned rows"),
    Artifact("culturespa-figure1", "results/culturespa/figure1.png", PAPER, "report/culturespa/figure1.rst",
             PUBLISHED, "2", default=True,
             what="culture-unaware vs culture-aware score per country"),
    Artifact("culturespa-figure5", "results/culturespa/figure5.png", PAPER, "report/culturespa/figure5.rst",
             default=True,
             what="cross-cultural alignment matrices, WVS vs model"),
    Artifact("culturespa-table3", "results/culturespa/table3.csv", PAPER, "report/culturespa/table3.rst",
             PUBLISHED, "3", default=True,
             what="Mistral with P1: Baseline, CultureSPA, CultureSPA (CCT)"),
    Artifact("culturespa-table4", "results/culturespa/table4.csv", PAPER, "report/culturespa/table4.rst",
             PUBLISHED_TABLES, "4", default=True,
             what="culture-joint vs culture-specific SFT by data proportion"),
    Artifact("culturespa-table1", "results/culturespa/table1.csv", PAPER, "report/culturespa/table1.rst",
             PUBLISHED_TABLES, "1", default=True,
             what="quality of the generated questions, judged"),
    Artifact("culturespa-table5", "results/culturespa/table5.csv", PAPER, "report/culturespa/table5.rst",
             PUBLISHED_TABLES, "5",
             what="culture score and MMLU/GSM8K/IFEval"),  # not in `all`: its benchmarks download at run time
    Artifact("culturespa-figure3", "results/culturespa/figure3.png", PAPER, "report/culturespa/figure3.rst",
             default=True,
             what="CRQPC examples per topic and country"),
    Artifact("culturespa-figure4", "results/culturespa/figure4.png", PAPER, "report/culturespa/figure4.rst",
             default=True,
             what="CRQPC vs RDS vs CDS, change in score per country"),
)

# Intermediate files ({wildcards} filled by Snakemake or by str.format).
RANKING = "results/culturespa/data/p3_ranking.json"
# One prediction file per (model, method, run) holds every configured country (one job: the model is
# loaded once, not once per country).
PREDICTION = "results/culturespa/predictions/{model}/{method}/run{run}.jsonl"
UNAWARE_PREDICTION = "results/culturespa/predictions/{model}/culture-unaware/run{run}.jsonl"
SCORE = "results/culturespa/scores/{model}/{method}.csv"
GENERATED_TOPIC = "results/culturespa/generated/{model}/{seeds}/topic{topic}.json"
FILTERED = "results/culturespa/generated/{model}/{seeds}/questions.json"
DROPPED = "results/culturespa/generated/{model}/{seeds}/dropped.json"
GENERATION_COUNTS = "results/culturespa/generated/{model}/{seeds}/counts.json"
OUTPUT = "results/culturespa/outputs/{model}/{seeds}/{method}/{country}.jsonl"
UNAWARE_OUTPUT = "results/culturespa/outputs/{model}/{seeds}/culture-unaware.jsonl"
SELECTION = "results/culturespa/train/{model}/{seeds}/{variant}.json"
# §4.4 fine-tuning: a training set and adapter per (data, variant, rule, scope = all | country, percent),
# and the predictions and scores of a fine-tuned model ({strategy}: joint | specific).
TRAINING_SET = "results/culturespa/train/{model}/{seeds}/{variant}/{rule}/{scope}/p{pct}.jsonl"
ADAPTER = "results/culturespa/adapters/{model}/{seeds}/{variant}/{rule}/{scope}/p{pct}"
QUALITY = "results/culturespa/quality/{model}/{seeds}/{judge}.jsonl"  # Table 1's verdicts
TUNED = "sft/{seeds}/{variant}/{rule}/{strategy}/p{pct}"
TUNED_PREDICTION = "results/culturespa/predictions/{model}/" + TUNED + "/{method}/run{run}.jsonl"
TUNED_SCORE = "results/culturespa/scores/{model}/" + TUNED + "/{method}.csv"
GENERAL_BASE = "results/culturespa/general/{model}/base/{bench}.json"  # Table 5: lm_eval per benchmark
GENERAL_TUNED = "results/culturespa/general/{model}/" + TUNED + "/{bench}.json"
TABLE2 = ARTIFACTS[0].path
FIGURE1 = ("results/culturespa/figure1.png", "results/culturespa/figure1.pdf", "results/culturespa/figure1.csv")
FIGURE5 = ("results/culturespa/figure5.png", "results/culturespa/figure5.pdf", "results/culturespa/figure5.csv")
FIGURE3 = ("results/culturespa/figure3.png", "results/culturespa/figure3.pdf", "results/culturespa/figure3.csv")
FIGURE4 = ("results/culturespa/figure4.png", "results/culturespa/figure4.pdf", "results/culturespa/figure4.csv")
