rule table3:
    input:
        scores=table3_scores,
        published="resources/paper/cnca.csv",
    output:
        report(
            "results/table3.csv",
            caption="../report/table3.rst",
            category="Tables",
        ),
    log:
        "logs/tables/table3.log",
    conda:
        "../envs/data.yaml"
    params:
        models=MODELS,
        pairs=[(m, k) for m in EVAL_MODELS for k in EVAL_METHODS],
    script:
        "../scripts/table3.py"
