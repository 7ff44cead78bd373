# CNCA's fine-tuning track: self-distilled chains -> training sets -> LoRA adapters (SFT, CoT-SFT,
# CNCA-SFT, CNCA-DPO). Recipes: recipes/<method>.yaml; sampling budgets: config `cnca.finetune`.


rule cnca_distill:
    input:
        manifest=config_input(cnca_inputs.model_manifest),
        questions="results/data/wvs_questions.json",
        split=cnca_paths.SPLIT,
        norms=config_input(cnca_inputs.distill_norms),
    output:
        cnca_paths.DISTILL,
    log:
        "logs/distill/{model}/{variant}/{country}.log",
    benchmark:
        "benchmarks/distill/{model}/{variant}/{country}.tsv"
    conda:
        inference_env
    threads: engine_threads(config)
    resources:
        **MODEL_JOB,
    params:
        **config_params(
            cnca_inputs.distill_norms,
            spec=lambda c, w: c["models"][w.model],
            distill=lambda c, w: c["cnca"]["finetune"]["distill"],
            engine=lambda c, w: c["engine"],
            topics=lambda c, w: c["cnca"]["finetune"]["topics"],
            train_per_topic=lambda c, w: c["cnca"]["finetune"]["train_per_topic"],
        ),
    script:
        "../../scripts/cnca/distill.py"


rule cnca_dpo_pairs:
    input:
        manifest=config_input(cnca_inputs.model_manifest),
        questions="results/data/wvs_questions.json",
        split=cnca_paths.SPLIT,
        adapter=config_input(cnca_inputs.dpo_adapter),
    output:
        cnca_paths.DPO,
    log:
        "logs/dpo/{model}/{country}.log",
    benchmark:
        "benchmarks/dpo/{model}/{country}.tsv"
    conda:
        inference_env
    threads: engine_threads(config)
    resources:
        **MODEL_JOB,
    params:
        **config_params(
            cnca_inputs.dpo_adapter,
            spec=lambda c, w: c["models"][w.model],
            distill=lambda c, w: c["cnca"]["finetune"]["distill"],
            dpo=lambda c, w: c["cnca"]["finetune"]["dpo"],
            engine=lambda c, w: c["engine"],
            topics=lambda c, w: c["cnca"]["finetune"]["topics"],
            train_per_topic=lambda c, w: c["cnca"]["finetune"]["train_per_topic"],
        ),
    script:
        "../../scripts/cnca/dpo_pairs.py"


rule cnca_training_data:
    input:
        questions="results/data/wvs_questions.json",
        split=cnca_paths.SPLIT,
        sources=config_input(cnca_inputs.training_sources, CNCA_RECIPES),
    output:
        cnca_paths.TRAINING_SET,
    log:
        "logs/train/{model}/{method}/{scope}.log",
    localrule: True
    conda:
        "../../envs/data.yaml"
    params:
        **config_params(
            lambda c, w: cnca_inputs.training_sources(c, w, cnca_recipes(c)),
            recipe=lambda c, w: cnca_recipes(c)[w.method],
            countries=lambda c, w: cnca_grid.scope_countries(c["cnca"], w.scope),
            topics=lambda c, w: c["cnca"]["finetune"]["topics"],
            train_per_topic=lambda c, w: c["cnca"]["finetune"]["train_per_topic"],
        ),
    script:
        "../../scripts/cnca/training_data.py"


rule cnca_train_adapter:
    input:
        manifest=config_input(cnca_inputs.model_manifest),
        data=cnca_paths.TRAINING_SET,
        recipe=lambda w: recipe_file(config, w.method),
        init=config_input(cnca_inputs.init_adapter, CNCA_RECIPES),
    output:
        directory(cnca_paths.ADAPTER),
    log:
        "logs/adapters/{model}/{method}/{scope}.log",
    benchmark:
        "benchmarks/adapters/{model}/{method}/{scope}.tsv"
    conda:
        "../../envs/inference.yaml"
    threads: engine_threads(config)
    resources:
        **TRAIN_JOB,
    params:
        **config_params(recipe=lambda c, w: cnca_recipes(c)[w.method]),
    script:
        "../../scripts/core/train_adapter.py"
