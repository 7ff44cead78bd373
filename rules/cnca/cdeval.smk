# CDEval (CNCA Table 5): the out-of-distribution evaluation on Hofstede's dimensions.


rule cnca_cdeval_data:
    output:
        cnca_paths.CDEVAL_DATA,
    log:
        "logs/data/cdeval.log",
    localrule: True
    conda:
        "../../envs/data.yaml"
    params:
        **config_params(
            url=lambda c, w: c["cnca"]["cdeval"]["url"],
            sha256=lambda c, w: c["cnca"]["cdeval"]["sha256"],
            local=lambda c, w: c["cnca"]["cdeval"]["local"],
        ),
    script:
        "../../scripts/cnca/cdeval_data.py"


rule cnca_cdeval_predict:
    input:
        manifest=config_input(cnca_inputs.model_manifest),
        data=cnca_paths.CDEVAL_DATA,
        adapters=config_input(cnca_inputs.cdeval_adapters, CNCA_ADAPTERS),
    output:
        cnca_paths.CDEVAL_PREDICTION,
    log:
        "logs/cdeval/predictions/{model}/{method}/seed{seed}.log",
    benchmark:
        "benchmarks/cdeval/{model}/{method}/seed{seed}.tsv"
    wildcard_constraints:
        method=CNCA_STANDARD,
    conda:
        inference_env
    threads: engine_threads(config)
    resources:
        **MODEL_JOB,
    params:
        **config_params(
            lambda c, w: cnca_inputs.cdeval_adapters(c, w, CNCA_ADAPTERS),
            spec=lambda c, w: c["models"][w.model],
            max_new_tokens=lambda c, w: cnca_inputs.eval_max_new_tokens(
                c, w, cnca_recipes(c), CNCA_ADAPTERS
            ),
            sampling=lambda c, w: c["cnca"]["sampling"],
            engine=lambda c, w: c["engine"],
            cdeval=lambda c, w: c["cnca"]["cdeval"],
            per_country=lambda c, w: c["cnca"]["finetune"]["per_country"],
        ),
    script:
        "../../scripts/cnca/cdeval_predict.py"


rule cnca_cdeval_score:
    input:
        sums="resources/hofstede/SHA256SUMS",
        hofstede="resources/hofstede/6-dimensions-for-website-2015-08-16.csv",
        predictions=config_input(cnca_inputs.cdeval_predictions),
    output:
        cnca_paths.CDEVAL_SCORE,
    log:
        "logs/cdeval/scores/{model}/{method}.log",
    localrule: True
    conda:
        "../../envs/data.yaml"
    params:
        **config_params(
            cnca_inputs.cdeval_predictions,
            threshold=lambda c, w: c["cnca"]["cdeval"]["threshold"],
            countries=lambda c, w: c["cnca"]["cdeval"]["countries"],
        ),
    script:
        "../../scripts/cnca/cdeval_score.py"
