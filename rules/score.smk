rule score:
    input:
        questions="results/data/wvs_questions.json",
        predictions=prediction_files,
    output:
        "results/scores/{model}/{method}.csv",
    log:
        "logs/scores/{model}/{method}.log",
    wildcard_constraints:
        method=PLAIN_METHODS,
    conda:
        "../envs/data.yaml"
    script:
        "../scripts/score.py"


rule score_with_norms:
    input:
        questions="results/data/wvs_questions.json",
        predictions=norm_prediction_files,
    output:
        "results/scores/{model}/{method}/miner-{miner}/k{k}.csv",
    log:
        "logs/scores/{model}/{method}/miner-{miner}/k{k}.log",
    wildcard_constraints:
        method=NORM_METHOD_RE,
    conda:
        "../envs/data.yaml"
    script:
        "../scripts/score.py"
