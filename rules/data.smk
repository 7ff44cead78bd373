rule wvs_questions:
    input:
        sums="resources/wvs/SHA256SUMS",
        questions="resources/wvs/wvs_questions.json",
        proportions="resources/wvs/proportions_group_by_country.json",
    output:
        "results/data/wvs_questions.json",
    log:
        "logs/data/wvs_questions.log",
    conda:
        "../envs/data.yaml"
    script:
        "../scripts/wvs_questions.py"


rule cnca_split:
    input:
        "results/data/wvs_questions.json",
    output:
        "results/data/split.json",
    log:
        "logs/data/cnca_split.log",
    conda:
        "../envs/data.yaml"
    params:
        strategy=config["split"]["strategy"],
        seed=config["split"]["seed"],
        train_per_topic=config["split"]["train_per_topic"],
    script:
        "../scripts/cnca_split.py"
