# CultureSPA §4.4: training sets from the CRQPC / CDS / RDS selections, LoRA adapters (joint: scope
# `all`; specific: one per country) from recipes/culturespa-{joint,specific}.yaml, and the predictions
# and scores of the fine-tuned models under every prompting method.


rule culturespa_training_data:
    input:
        unpack(config_input(culturespa_inputs.training_inputs)),
    output:
        culturespa_paths.TRAINING_SET,
    log:
        "logs/culturespa/train/{model}/{seeds}/{variant}/{rule}/{scope}/p{pct}.log",
    wildcard_constraints:
        **CULTURESPA_TUNED,
    localrule: True
    conda:
        "../../envs/data.yaml"
    params:
        **config_params(
            seed=lambda c, w: c["culturespa"]["finetune"]["subset_seed"],
            on_empty=lambda c, w: c["culturespa"]["finetune"]["on_empty"],
        ),
    script:
        "../../scripts/culturespa/training_data.py"


rule culturespa_train_adapter:
    input:
        manifest=config_input(culturespa_inputs.model_manifest),
        data=culturespa_paths.TRAINING_SET,
        recipe=lambda w: culturespa_recipe_file(config, culturespa_strategy(w.scope)),
    output:
        directory(culturespa_paths.ADAPTER),
    log:
        "logs/culturespa/adapters/{model}/{seeds}/{variant}/{rule}/{scope}/p{pct}.log",
    benchmark:
        "benchmarks/culturespa/adapters/{model}/{seeds}/{variant}/{rule}/{scope}/p{pct}.tsv"
    wildcard_constraints:
        **CULTURESPA_TUNED,
    conda:
        "../../envs/inference.yaml"
    threads: engine_threads(config)
    resources:
        **TRAIN_JOB,
    params:
        **config_params(
            recipe=lambda c, w: culturespa_recipes(c)[culturespa_strategy(w.scope)],
            on_empty=lambda c, w: c["culturespa"]["finetune"]["on_empty"],
        ),
    script:
        "../../scripts/core/train_adapter.py"


use rule culturespa_predict as culturespa_predict_tuned with:
    input:
        manifest=config_input(culturespa_inputs.model_manifest),
        questions="results/data/wvs_questions.json",
        similarity="resources/wvs/country_similarity.json",
        ranking=config_input(culturespa_inputs.ranking),
        adapters=config_input(culturespa_inputs.tuned_adapters),
    output:
        culturespa_paths.TUNED_PREDICTION,
    log:
        "logs/culturespa/predictions/{model}/sft/{seeds}/{variant}/{rule}/{strategy}/p{pct}/{method}/run{run}.log",
    benchmark:
        "benchmarks/culturespa/predictions/{model}/sft/{seeds}/{variant}/{rule}/{strategy}/p{pct}/{method}/run{run}.tsv"
    wildcard_constraints:
        **CULTURESPA_TUNED,
        method=CULTURESPA_COUNTRY_METHODS,


use rule culturespa_score as culturespa_score_tuned with:
    input:
        questions="results/data/wvs_questions.json",
        predictions=config_input(culturespa_inputs.tuned_prediction_files),
    output:
        culturespa_paths.TUNED_SCORE,
    log:
        "logs/culturespa/scores/{model}/sft/{seeds}/{variant}/{rule}/{strategy}/p{pct}/{method}.log",
    wildcard_constraints:
        **CULTURESPA_TUNED,
        method=CULTURESPA_COUNTRY_METHODS,
    localrule: True
    params:
        **config_params(
            culturespa_inputs.tuned_prediction_files,
            parser=lambda c, w: c["culturespa"]["evaluation"]["parser"],
            countries=lambda c, w: c["culturespa"]["countries"],
        ),


# Table 5 (§6.3): general abilities through lm-evaluation-harness, the adapter applied by its hf model.
rule culturespa_general:
    input:
        manifest=config_input(culturespa_inputs.model_manifest),
        adapter=config_input(culturespa_inputs.general_adapter),
    output:
        culturespa_paths.GENERAL_TUNED,
    log:
        "logs/culturespa/general/{model}/sft/{seeds}/{variant}/{rule}/{strategy}/p{pct}/{bench}.log",
    benchmark:
        "benchmarks/culturespa/general/{model}/sft/{seeds}/{variant}/{rule}/{strategy}/p{pct}/{bench}.tsv"
    wildcard_constraints:
        **{**CULTURESPA_TUNED, "strategy": "joint"},
        bench="[A-Za-z0-9_-]+",
    conda:
        "../../envs/inference.yaml"
    threads: engine_threads(config)
    resources:
        **MODEL_JOB,
    params:
        **config_params(
            general=lambda c, w: {
                k: v for k, v in c["culturespa"]["general"].items() if k != "data"
            },
            spec=lambda c, w: c["models"][w.model],
        ),
    script:
        "../../scripts/culturespa/general.py"


use rule culturespa_general as culturespa_general_base with:
    input:
        manifest=config_input(culturespa_inputs.model_manifest),
    output:
        culturespa_paths.GENERAL_BASE,
    log:
        "logs/culturespa/general/{model}/base/{bench}.log",
    benchmark:
        "benchmarks/culturespa/general/{model}/base/{bench}.tsv"
