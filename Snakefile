# Cultural alignment of LLMs, end to end: WVS -> split -> models -> predictions -> scores -> tables.
# Stages, in order; each lives in rules/<stage>.smk. The default config is the embedded model on CPU;
# the papers' grid is configs/paper.yaml.
from snakemake.utils import min_version

min_version("9.0")


configfile: "config.yaml"


report: "report/workflow.rst"


include: "rules/common.smk"
include: "rules/data.smk"
include: "rules/models.smk"
include: "rules/predict.smk"
include: "rules/score.smk"
include: "rules/tables.smk"


rule all:
    default_target: True
    input:
        "results/table3.csv",
