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
        pairs=table3_rows(),
    script:
        "../scripts/table3.py"


rule table7:
    input:
        scores=table7_scores,
        published="resources/paper/cnca.csv",
    output:
        report(
            "results/table7.csv",
            caption="../report/table7.rst",
            category="Tables",
        ),
    log:
        "logs/tables/table7.log",
    conda:
        "../envs/data.yaml"
    params:
        models=MODELS,
        rows=table7_rows(),
    script:
        "../scripts/table7.py"


rule table1:
    input:
        table1_norms,
    output:
        report(
            "results/table1.md",
            caption="../report/table1.rst",
            category="Tables",
        ),
    log:
        "logs/tables/table1.log",
    conda:
        "../envs/data.yaml"
    params:
        topic=FIGURES["table1"]["topic"],
        models=MODELS,
    script:
        "../scripts/table1.py"
