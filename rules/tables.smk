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
        config_id=CONFIG_ID,
        models=MODELS,
        pairs=table3_rows(),
        table="3",
        test=config["evaluation"]["paired_test"],
    script:
        "../scripts/alignment_table.py"


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
        config_id=CONFIG_ID,
        models=MODELS,
        rows=table7_rows(),
        test=config["evaluation"]["paired_test"],
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
        config_id=CONFIG_ID,
        topic=FIGURES["table1"]["topic"],
        models=MODELS,
    script:
        "../scripts/table1.py"


rule table4:
    input:
        scores=table4_scores,
        published="resources/paper/cnca.csv",
    output:
        report(
            "results/table4.csv",
            caption="../report/table4.rst",
            category="Tables",
        ),
    log:
        "logs/tables/table4.log",
    conda:
        "../envs/data.yaml"
    params:
        config_id=CONFIG_ID,
        models=MODELS,
        pairs=table4_rows(),
        table="4",
        test=config["evaluation"]["paired_test"],
    script:
        "../scripts/alignment_table.py"


rule table5:
    input:
        scores=table5_scores,
        published="resources/paper/cnca_table5.csv",
    output:
        report(
            "results/table5.csv",
            caption="../report/table5.rst",
            category="Tables",
        ),
    log:
        "logs/tables/table5.log",
    conda:
        "../envs/data.yaml"
    params:
        config_id=CONFIG_ID,
        models=MODELS,
        pairs=table5_rows(),
    script:
        "../scripts/table5.py"


rule table6:
    input:
        questions="results/data/wvs_questions.json",
        split="results/data/split.json",
        predictions=table6_predictions,
    output:
        report(
            "results/table6.md",
            caption="../report/table6.rst",
            category="Tables",
        ),
    log:
        "logs/tables/table6.log",
    conda:
        "../envs/data.yaml"
    params:
        config_id=CONFIG_ID,
        table6=config["table6"],
        rows=[(m, k) for m in FINETUNE["models"] for k in config["table6"]["methods"]],
        topics=config["evaluation"]["topics"],
        test_per_topic=config["evaluation"]["test_per_topic"],
    script:
        "../scripts/table6.py"
