# CAReDiO §3.2-§3.4: questions over the 38-topic framework, role-play responses, question adaptation,
# distinctive (CCT) responses; embeddings; selection by representativeness x distinctiveness; one
# LoRA SFT adapter per culture. {model} is the generator up to the selection, the backbone after.


rule caredio_questions:
    input:
        manifest=config_input(caredio_inputs.generator_manifest),
        framework="resources/caredio/framework.yaml",
    output:
        caredio_paths.QUESTIONS,
    log:
        "logs/caredio/data/{model}/questions.log",
    benchmark:
        "benchmarks/caredio/data/{model}/questions.tsv"
    conda:
        inference_env
    threads: engine_threads(config)
    resources:
        **MODEL_JOB,
    params:
        **config_params(**CAREDIO_SYNTHESIS),
    script:
        "../../scripts/caredio/questions.py"


rule caredio_roleplay:
    input:
        manifest=config_input(caredio_inputs.generator_manifest),
        questions=caredio_paths.QUESTIONS,
    output:
        caredio_paths.ROLEPLAY,
    log:
        "logs/caredio/data/{model}/roleplay/{culture}.log",
    benchmark:
        "benchmarks/caredio/data/{model}/roleplay/{culture}.tsv"
    wildcard_constraints:
        culture=CAREDIO_SLUG,
    conda:
        inference_env
    threads: engine_threads(config)
    resources:
        **MODEL_JOB,
    params:
        **config_params(**CAREDIO_SYNTHESIS),
    script:
        "../../scripts/caredio/roleplay.py"


rule caredio_adapt:
    input:
        manifest=config_input(caredio_inputs.generator_manifest),
        questions=caredio_paths.QUESTIONS,
        roleplay=config_input(caredio_inputs.roleplay_files),
    output:
        caredio_paths.ADAPTED,
    log:
        "logs/caredio/data/{model}/adapted/{culture}.log",
    benchmark:
        "benchmarks/caredio/data/{model}/adapted/{culture}.tsv"
    wildcard_constraints:
        culture=CAREDIO_SLUG,
    conda:
        inference_env
    threads: engine_threads(config)
    resources:
        **MODEL_JOB,
    params:
        **config_params(**CAREDIO_SYNTHESIS),
    script:
        "../../scripts/caredio/adapt.py"


rule caredio_samples:
    input:
        manifest=config_input(caredio_inputs.generator_manifest),
        adapted=caredio_paths.ADAPTED,
    output:
        caredio_paths.SAMPLES,
    log:
        "logs/caredio/data/{model}/samples/{culture}.log",
    benchmark:
        "benchmarks/caredio/data/{model}/samples/{culture}.tsv"
    wildcard_constraints:
        culture=CAREDIO_SLUG,
    conda:
        inference_env
    threads: engine_threads(config)
    resources:
        **MODEL_JOB,
    params:
        **config_params(**CAREDIO_SYNTHESIS),
    script:
        "../../scripts/caredio/samples.py"


rule caredio_embed:
    input:
        samples=caredio_paths.SAMPLES,
    output:
        caredio_paths.EMBEDDINGS,
    log:
        "logs/caredio/embeddings/{model}/{culture}.log",
    benchmark:
        "benchmarks/caredio/embeddings/{model}/{culture}.tsv"
    wildcard_constraints:
        culture=CAREDIO_SLUG,
    conda:
        "../../envs/inference.yaml"
    threads: engine_threads(config)
    params:
        **config_params(
            embedding=lambda c, w: c["caredio"]["embedding"],
            endpoints=lambda c, w: {
                k: v
                for k, v in c["endpoints"].items()
                if k == c["caredio"]["embedding"]["endpoint"]
            },
            cultures=lambda c, w: c["caredio"]["cultures"],
        ),
    script:
        "../../scripts/caredio/embed.py"


rule caredio_select:
    input:
        embeddings=caredio_paths.EMBEDDINGS,
        # selection.scope `all`: the other cultures' samples are clustered with this culture's
        pool=config_input(caredio_inputs.selection_pool),
    output:
        caredio_paths.SELECTION,
    log:
        "logs/caredio/selection/{model}/{measure}/{culture}.log",
    wildcard_constraints:
        culture=CAREDIO_SLUG,
        measure="cluster",
    localrule: True
    conda:
        "../../envs/data.yaml"
    params:
        **config_params(
            selection=lambda c, w: {
                k: c["caredio"]["selection"][k]
                for k in ("theta", "linkage", "others", "seed", "scope")
            },
        ),
    script:
        "../../scripts/caredio/select.py"


# §3.3's in-context variant: the cluster selection's centres re-scored (r) by a backbone's few-shot
# performance on a CulturalBench validation split (papers/caredio/incontext.py).
rule caredio_select_in_context:
    input:
        unpack(config_input(caredio_inputs.in_context_inputs)),
    output:
        caredio_paths.SELECTION_IN_CONTEXT,
    log:
        "logs/caredio/selection/{model}/in-context/{scorer}/{culture}.log",
    benchmark:
        "benchmarks/caredio/selection/{model}/in-context/{scorer}/{culture}.tsv"
    wildcard_constraints:
        culture=CAREDIO_SLUG,
        scorer="[A-Za-z0-9._-]+",
    conda:
        inference_env
    threads: engine_threads(config)
    resources:
        **MODEL_JOB,  # the scorer's (resources.smk)
    params:
        **config_params(
            caredio_inputs.in_context_inputs,
            in_context=lambda c, w: c["caredio"]["selection"]["in_context"],
            spec=lambda c, w: c["models"][w.scorer],
            engine=lambda c, w: c["engine"],
        ),
    script:
        "../../scripts/caredio/select_in_context.py"


rule caredio_training_data:
    input:
        selection=config_input(caredio_inputs.selection),
        samples=config_input(caredio_inputs.samples),
    output:
        caredio_paths.TRAINING_SET,
    log:
        "logs/caredio/{trainer}/{model}/{measure}/n{budget}/{culture}/training.log",
    wildcard_constraints:
        **CAREDIO_TUNED,
    localrule: True
    conda:
        "../../envs/data.yaml"
    params:
        **config_params(
            caredio_inputs.selection,
            caredio_inputs.samples,
            cultures=lambda c, w: c["caredio"]["cultures"],
            seed=lambda c, w: c["caredio"]["selection"]["seed"],
        ),
    script:
        "../../scripts/caredio/training_data.py"


rule caredio_train_adapter:
    input:
        manifest=config_input(caredio_inputs.model_manifest),
        data=caredio_paths.TRAINING_SET,
        recipe=lambda w: config["caredio"]["finetune"]["recipes"][w.trainer],
    output:
        directory(caredio_paths.ADAPTER),
    log:
        "logs/caredio/{trainer}/{model}/{measure}/n{budget}/{culture}/adapter.log",
    benchmark:
        "benchmarks/caredio/{trainer}/{model}/{measure}/n{budget}/{culture}.tsv"
    wildcard_constraints:
        **CAREDIO_TUNED,
    conda:
        "../../envs/inference.yaml"
    threads: engine_threads(config)
    resources:
        **TRAIN_JOB,
    params:
        **config_params(recipe=lambda c, w: caredio_recipes(c)[w.trainer]),
    script:
        "../../scripts/core/train_adapter.py"
