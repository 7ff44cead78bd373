# CNCA's WVS predictions and scores: the prompt methods (Vanilla, ICL, the fine-tuned models with
# the Standard instruction) and the norm methods (CNCA-T, CNCA-TQ), which also name the miner and the
# number of low-level norms given. One prediction job per (model, method, seed) answers for every
# country (the model loaded once; one output file per country, each country's questions one engine
# call with the run's seed, so its answers do not depend on the other countries).


rule cnca_predict:
    input:
        manifest=config_input(cnca_inputs.model_manifest),
        questions="results/data/wvs_questions.json",
        split=cnca_paths.SPLIT,
        adapter=config_input(cnca_inputs.adapter_inputs, CNCA_ADAPTERS),
    output:
        expand(cnca_paths.PREDICTION, country=CNCA_COUNTRIES, allow_missing=True),
    log:
        "logs/predictions/{model}/{method}/seed{seed}.log",
    benchmark:
        "benchmarks/predictions/{model}/{method}/seed{seed}.tsv"
    wildcard_constraints:
        method=CNCA_PLAIN,
    conda:
        inference_env
    threads: engine_threads(config)
    resources:
        **{**MODEL_JOB, "runtime": cnca_predict_runtime},
    params:
        **config_params(
            lambda c, w: cnca_inputs.adapter_inputs(c, w, CNCA_ADAPTERS),
            spec=lambda c, w: c["models"][w.model],
            countries=lambda c, w: c["cnca"]["countries"],
            adapters=lambda c, w: cnca_inputs.country_adapters(c, w, CNCA_ADAPTERS),
            max_new_tokens=lambda c, w: cnca_inputs.eval_max_new_tokens(
                c, w, cnca_recipes(c), CNCA_ADAPTERS
            ),
            sampling=lambda c, w: c["cnca"]["sampling"],
            engine=lambda c, w: c["engine"],
            test_per_topic=lambda c, w: c["cnca"]["evaluation"]["test_per_topic"],
            topics=lambda c, w: c["cnca"]["evaluation"]["topics"],
        ),
    script:
        "../../scripts/core/predict.py"


use rule cnca_predict as cnca_predict_with_norms with:
    input:
        manifest=config_input(cnca_inputs.model_manifest),
        questions="results/data/wvs_questions.json",
        split=cnca_paths.SPLIT,
        norms=config_input(cnca_inputs.norms_files),
    output:
        expand(cnca_paths.NORM_PREDICTION, country=CNCA_COUNTRIES, allow_missing=True),
    log:
        "logs/predictions/{model}/{method}/miner-{miner}/k{n_low}/seed{seed}.log",
    benchmark:
        "benchmarks/predictions/{model}/{method}/miner-{miner}/k{n_low}/seed{seed}.tsv"
    wildcard_constraints:
        method=CNCA_NORM_METHODS,


rule cnca_score:
    input:
        questions="results/data/wvs_questions.json",
        predictions=config_input(cnca_inputs.prediction_files),
    output:
        cnca_paths.SCORE,
    log:
        "logs/scores/{model}/{method}.log",
    wildcard_constraints:
        method=CNCA_PLAIN,
    localrule: True
    conda:
        "../../envs/data.yaml"
    params:
        **config_params(cnca_inputs.prediction_files),
    script:
        "../../scripts/core/score.py"


use rule cnca_score as cnca_score_with_norms with:
    input:
        questions="results/data/wvs_questions.json",
        predictions=config_input(cnca_inputs.norm_prediction_files),
    output:
        cnca_paths.NORM_SCORE,
    log:
        "logs/scores/{model}/{method}/miner-{miner}/k{n_low}.log",
    wildcard_constraints:
        method=CNCA_NORM_METHODS,
    localrule: True
    params:
        **config_params(cnca_inputs.norm_prediction_files),
