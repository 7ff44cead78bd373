# CultureSPA §4.1 and Appendix C: questions generated per WVS topic by self-instruct (Table 7), then
# filtered as its code does (exact duplicates and the two format errors of Table 15).


rule culturespa_generate:
    input:
        manifest=config_input(culturespa_inputs.model_manifest),
        questions="results/data/wvs_questions.json",
    output:
        culturespa_paths.GENERATED_TOPIC,
    log:
        "logs/culturespa/generated/{model}/{seeds}/topic{topic}.log",
    benchmark:
        "benchmarks/culturespa/generated/{model}/{seeds}/topic{topic}.tsv"
    wildcard_constraints:
        seeds="|".join(DATA_VARIANTS),
        topic="[0-9]+",
    conda:
        inference_env
    threads: engine_threads(config)
    resources:
        **MODEL_JOB,
    params:
        **config_params(
            spec=lambda c, w: c["models"][w.model],
            engine=lambda c, w: c["engine"],
            generation=lambda c, w: {
                k: c["culturespa"]["generation"][k]
                for k in (
                    "per_topic",
                    "batch",
                    "max_rounds",
                    "temperature",
                    "top_p",
                    "top_k",
                    "max_new_tokens",
                    "seed",
                    "json",
                    "prefill",
                )
            },
        ),
    script:
        "../../scripts/culturespa/generate.py"


# `seeds: released`: the authors' released generations instead of culturespa_generate, one topic file
# each, downloaded at the pinned commit (or copied from `local`), checked, read with their merged ids.
rule culturespa_released_topic:
    output:
        released="results/culturespa/generated/{model}/{seeds}/topic{topic}.released.json",
        topic=culturespa_paths.GENERATED_TOPIC,
    log:
        "logs/culturespa/generated/{model}/{seeds}/topic{topic}.log",
    wildcard_constraints:
        seeds=RELEASED,
        topic="[0-9]+",
    localrule: True
    conda:
        "../../envs/data.yaml"
    params:
        **config_params(
            released=lambda c, w: c["culturespa"]["generation"]["released"],
        ),
    script:
        "../../scripts/culturespa/released_topic.py"


rule culturespa_filter:
    input:
        questions="results/data/wvs_questions.json",
        topics=config_input(culturespa_inputs.generated_topics),
        exceptions="resources/culturespa/filter_exceptions.csv",
    output:
        kept=culturespa_paths.FILTERED,
        dropped=culturespa_paths.DROPPED,
        counts=culturespa_paths.GENERATION_COUNTS,
    log:
        "logs/culturespa/generated/{model}/{seeds}/filter.log",
    wildcard_constraints:
        seeds=QUESTION_SETS,
    localrule: True
    conda:
        "../../envs/data.yaml"
    params:
        **config_params(
            max_chars=lambda c, w: c["culturespa"]["generation"]["max_chars"],
            option_range=lambda c, w: c["culturespa"]["generation"]["option_range"],
        ),
    script:
        "../../scripts/culturespa/filter.py"


rule culturespa_outputs:
    input:
        manifest=config_input(culturespa_inputs.model_manifest),
        generated=config_input(culturespa_inputs.filtered_questions),
        similarity="resources/wvs/country_similarity.json",
    output:
        culturespa_paths.OUTPUT,
    log:
        "logs/culturespa/outputs/{model}/{seeds}/{method}/{country}.log",
    benchmark:
        "benchmarks/culturespa/outputs/{model}/{seeds}/{method}/{country}.tsv"
    wildcard_constraints:
        seeds=QUESTION_SETS,
        method="p1|p2",
    conda:
        inference_env
    threads: engine_threads(config)
    resources:
        **MODEL_JOB,
    params:
        **config_params(
            spec=lambda c, w: c["models"][w.model],
            sampling=lambda c, w: c["culturespa"]["sampling"],
            engine=lambda c, w: c["engine"],
        ),
        seed=culturespa_grid.seed_of(0),
    script:
        "../../scripts/culturespa/outputs.py"


use rule culturespa_outputs as culturespa_outputs_unaware with:
    input:
        manifest=config_input(culturespa_inputs.model_manifest),
        generated=config_input(culturespa_inputs.filtered_questions),
    output:
        culturespa_paths.UNAWARE_OUTPUT,
    log:
        "logs/culturespa/outputs/{model}/{seeds}/culture-unaware.log",
    benchmark:
        "benchmarks/culturespa/outputs/{model}/{seeds}/culture-unaware.tsv"


rule culturespa_select:
    input:
        unpack(config_input(culturespa_inputs.selection_outputs)),
    output:
        culturespa_paths.SELECTION,
    log:
        "logs/culturespa/train/{model}/{seeds}/{variant}.log",
    wildcard_constraints:
        seeds=QUESTION_SETS,
        variant="|".join(culturespa_grid.VARIANTS),
    localrule: True
    conda:
        "../../envs/data.yaml"
    params:
        **config_params(
            culturespa_inputs.selection_outputs,
            seed=lambda c, w: c["culturespa"]["generation"]["seed"],
            countries=lambda c, w: c["culturespa"]["countries"],
        ),
    script:
        "../../scripts/culturespa/select.py"
