"""CNCA's tables and figures, each declared once (see culturealign.artifacts), and the path of
every intermediate file, written once: the rules' outputs and the input functions both use these."""

from __future__ import annotations

from ...artifacts import Artifact

PUBLISHED = "resources/paper/cnca.csv"
PUBLISHED_TABLE5 = "resources/paper/cnca_table5.csv"

ARTIFACTS = (
    Artifact("table3", "results/table3.csv", "cnca", "report/cnca/table3.rst", PUBLISHED, "3", default=True,
             what="WVS alignment score per model and method, t-test against Vanilla"),
    Artifact("table7", "results/table7.csv", "cnca", "report/cnca/table7.rst", PUBLISHED, "7", default=True,
             what="reasoning vs non-reasoning models, without and with CNCA-TQ (TA) norms"),
    Artifact("table1", "results/table1.md", "cnca", "report/cnca/table1.rst", default=True,
             what="the low- and high-level norms mined for one country and topic"),
    Artifact("figure4", "results/figure4.png", "cnca", "report/cnca/figure4.rst", default=True,
             what="alignment score vs number of low-level norms (TA, RA)"),
    Artifact("figure5", "results/figure5.png", "cnca", "report/cnca/figure5.rst", PUBLISHED, "figure5", default=True,
             what="alignment score with norms mined by other models"),
    Artifact("table4", "results/table4.csv", "cnca", "report/cnca/table4.rst", PUBLISHED, "4",
             what="fine-tuned models: SFT, CoT-SFT, CNCA-SFT, CNCA-DPO"),
    Artifact("table5", "results/table5.csv", "cnca", "report/cnca/table5.rst", PUBLISHED_TABLE5, "5",
             what="CDEval alignment per Hofstede dimension (needs CDEval)"),
    Artifact("table6", "results/table6.md", "cnca", "report/cnca/table6.rst",
             what="one test question answered by each fine-tuned model"),
)

# Intermediate files ({wildcards} filled by Snakemake or by str.format).
SPLIT = "results/data/split.json"
NORMS = "results/norms/{miner}/{mining}/{country}.json"  # mined once (norms.seed), shared by every seed
NORMS_PER_SEED = "results/norms/{miner}/{mining}/seed{seed}/{country}.json"  # norms.per_seed: one per run
PREDICTION = "results/predictions/{model}/{method}/{country}/seed{seed}.jsonl"
NORM_PREDICTION = "results/predictions/{model}/{method}/miner-{miner}/k{n_low}/{country}/seed{seed}.jsonl"
SCORE = "results/scores/{model}/{method}.csv"
NORM_SCORE = "results/scores/{model}/{method}/miner-{miner}/k{n_low}.csv"
DISTILL = "results/distill/{model}/{variant}/{country}.jsonl"
DPO = "results/dpo/{model}/{country}.jsonl"
TRAINING_SET = "results/train/{model}/{method}/{scope}.jsonl"
ADAPTER = "results/adapters/{model}/{method}/{scope}"
CDEVAL_DATA = "results/data/cdeval.json"
CDEVAL_PREDICTION = "results/cdeval/predictions/{model}/{method}/seed{seed}.jsonl"
CDEVAL_SCORE = "results/cdeval/scores/{model}/{method}.json"
