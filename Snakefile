# Cultural alignment of LLMs, end to end: the table of contents. Shared rules (survey data, models,
# the resolved config, report pages) are in rules/core.smk; each paper's are in rules/<paper>/, its
# logic in src/culturealign/papers/<paper>/, its tables and figures declared once in
# src/culturealign/papers/<paper>/artifacts.py. Every output gets a lineage record
# (provenance/<output>.json). The default config is the embedded model on CPU; the papers' grid is
# configs/paper.yaml.
from snakemake.utils import min_version

min_version("9.0")


# One run, one config: config.yaml (the embedded default) when no --configfile is given; otherwise
# exactly the --configfile(s), merged in the order given, WITHOUT config.yaml underneath (Snakemake
# would merge them over it key by key, and embedded-only settings such as
# cnca.finetune.recipe_overrides would leak into the paper grid). --config KEY=VALUE applies on top.
if not workflow.overwrite_configfiles:

    configfile: "config.yaml"


report: "report/workflow.rst"


include: "rules/common/config.smk"
include: "rules/common/resources.smk"


from culturealign.artifacts import by_name
from culturealign.papers.caredio.artifacts import (
    ARTIFACTS as CAREDIO_TABLES_AND_FIGURES,
)
from culturealign.papers.cnca.artifacts import ARTIFACTS as CNCA_TABLES_AND_FIGURES
from culturealign.papers.culturespa.artifacts import (
    ARTIFACTS as CULTURESPA_TABLES_AND_FIGURES,
)
from culturealign.leaderboard.artifacts import (
    ARTIFACTS as LEADERBOARD_TABLES_AND_FIGURES,
)

# CNCA (Wang, Zhu, Sang): Tables 1, 3-7, Figures 4-5 (results/*).
CNCA_ARTIFACTS = by_name(CNCA_TABLES_AND_FIGURES)
# CultureSPA (Xu et al., NAACL 2025): Table 2 (with Table 3), Figures 1 and 5 (results/culturespa/*).
CULTURESPA_ARTIFACTS = by_name(CULTURESPA_TABLES_AND_FIGURES)
# CAReDiO (Yao et al.): Tables 2-6, Figures 2-3 (results/caredio/*). The leaderboard across the three
# (results/leaderboard.*): rules/leaderboard/, culturealign/leaderboard/.
CAREDIO_ARTIFACTS = by_name(CAREDIO_TABLES_AND_FIGURES)
ARTIFACTS = by_name(
    [
        *CNCA_TABLES_AND_FIGURES,
        *CULTURESPA_TABLES_AND_FIGURES,
        *CAREDIO_TABLES_AND_FIGURES,
        *LEADERBOARD_TABLES_AND_FIGURES,
    ]
)


include: "rules/core.smk"
include: "rules/cnca/common.smk"
include: "rules/cnca/data.smk"
include: "rules/cnca/norms.smk"
include: "rules/cnca/predict.smk"
include: "rules/cnca/finetune.smk"
include: "rules/cnca/cdeval.smk"
include: "rules/cnca/tables.smk"
include: "rules/cnca/figures.smk"
include: "rules/culturespa/common.smk"
include: "rules/culturespa/predict.smk"
include: "rules/culturespa/generate.smk"
include: "rules/culturespa/finetune.smk"
include: "rules/culturespa/tables.smk"
include: "rules/caredio/common.smk"
include: "rules/caredio/synthesis.smk"
include: "rules/caredio/evaluate.smk"
include: "rules/leaderboard/common.smk"
include: "rules/leaderboard/leaderboard.smk"


# `snakemake` with no target: every artifact declared `default` and its report page.
rule all:
    default_target: True
    input:
        [a.path for a in ARTIFACTS.values() if leaderboard.in_rule_all(a, config)],
        [a.page for a in ARTIFACTS.values() if leaderboard.in_rule_all(a, config)],
    localrule: True
