rule score:
    input:
        questions="results/data/wvs_questions.json",
        predictions=prediction_files,
    output:
        "results/scores/{model}/{method}.csv",
    log:
        "logs/scores/{model}/{method}.log",
    conda:
        "../envs/data.yaml"
    script:
        "../scripts/score.py"
