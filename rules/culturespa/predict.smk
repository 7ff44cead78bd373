# CultureSPA's WVS predictions (all questions, no split; run r samples with seed 42 - r) and scores
# (eq. 1 with its code's answer rule). One prediction job and file per (model, method, run) answers for
# every configured country (the model is loaded once); the culture-unaware prompt names no country, so
# its file is scored against every country.


rule culturespa_p3_ranking:
    input:
        questions="results/data/wvs_questions.json",
    output:
        culturespa_paths.RANKING,
    log:
        "logs/culturespa/p3_ranking.log",
    benchmark:
        "benchmarks/culturespa/p3_ranking.tsv"
    localrule: True
    conda:
        "../../envs/data.yaml"
    params:
        **config_params(),  # all 259 questions, whatever the config says
    script:
        "../../scripts/culturespa/p3_ranking.py"


rule culturespa_predict:
    input:
        manifest=config_input(culturespa_inputs.model_manifest),
        questions="results/data/wvs_questions.json",
        similarity="resources/wvs/country_similarity.json",
        ranking=config_input(culturespa_inputs.ranking),
    output:
        culturespa_paths.PREDICTION,
    log:
        "logs/culturespa/predictions/{model}/{method}/run{run}.log",
    benchmark:
        "benchmarks/culturespa/predictions/{model}/{method}/run{run}.tsv"
    wildcard_constraints:
        method=CULTURESPA_COUNTRY_METHODS,
    conda:
        inference_env
    threads: engine_threads(config)
    resources:
        **{**MODEL_JOB, "runtime": culturespa_predict_runtime},
    params:
        **config_params(
            spec=lambda c, w: c["models"][w.model],
            sampling=lambda c, w: c["culturespa"]["sampling"],
            engine=lambda c, w: c["engine"],
            topics=lambda c, w: c["culturespa"]["evaluation"]["topics"],
            per_topic=lambda c, w: c["culturespa"]["evaluation"]["per_topic"],
            parser=lambda c, w: c["culturespa"]["evaluation"]["parser"],
            countries=culturespa_inputs.predicted_countries,
            adapters=culturespa_inputs.country_adapters,
        ),
        seed=lambda w: culturespa_grid.seed_of(w.run),
    script:
        "../../scripts/culturespa/predict.py"


use rule culturespa_predict as culturespa_predict_unaware with:
    input:
        manifest=config_input(culturespa_inputs.model_manifest),
        questions="results/data/wvs_questions.json",
    output:
        culturespa_paths.UNAWARE_PREDICTION,
    log:
        "logs/culturespa/predictions/{model}/culture-unaware/run{run}.log",
    benchmark:
        "benchmarks/culturespa/predictions/{model}/culture-unaware/run{run}.tsv"


rule culturespa_score:
    input:
        questions="results/data/wvs_questions.json",
        predictions=config_input(culturespa_inputs.prediction_files),
    output:
        culturespa_paths.SCORE,
    log:
        "logs/culturespa/scores/{model}/{method}.log",
    wildcard_constraints:
        method="|".join(CULTURESPA_METHODS),
    localrule: True
    conda:
        "../../envs/data.yaml"
    params:
        **config_params(
            culturespa_inputs.prediction_files,
            parser=lambda c, w: c["culturespa"]["evaluation"]["parser"],
            countries=lambda c, w: c["culturespa"]["countries"],
        ),
    script:
        "../../scripts/culturespa/score.py"
