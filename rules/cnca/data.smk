rule cnca_split:
    input:
        "results/data/wvs_questions.json",
    output:
        cnca_paths.SPLIT,
    log:
        "logs/data/cnca_split.log",
    localrule: True
    conda:
        "../../envs/data.yaml"
    params:
        **config_params(split=lambda c, w: c["cnca"]["split"]),
    script:
        "../../scripts/cnca/cnca_split.py"
