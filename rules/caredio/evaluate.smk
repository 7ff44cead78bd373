# CAReDiO §4.1-§4.2: the benchmarks (pinned downloads or local copies), the predictions of every
# backbone x method x culture, their scores, and Tables 2-6 and Figures 2-3 beside the published numbers.


rule caredio_benchmark_data:
    output:
        caredio_paths.BENCHMARK,
    log:
        "logs/caredio/benchmarks/{benchmark}.{ext}.log",
    wildcard_constraints:
        benchmark="globalopinionqa|culturalbench-hard|culturebank|prism",
        ext="csv|jsonl",
    conda:
        "../../envs/data.yaml"
    params:
        **config_params(
            data=lambda c, w: c["caredio"]["benchmarks"][w.benchmark],
        ),
    script:
        "../../scripts/caredio/benchmark_data.py"


# §4.2 (3), the CultureSPA baseline (its input functions: common.smk): CultureSPA's data for the
# culture, cut to the largest budget (§5.1: the same 1,000 per culture for every baseline).
rule caredio_culturespa_training_data:
    input:
        data=config_input(caredio_culturespa_training),
    output:
        caredio_paths.CULTURESPA_TRAINING_SET,
    log:
        "logs/caredio/sft/{model}/culturespa-data/{culture}/training.log",
    wildcard_constraints:
        culture=CAREDIO_SLUG,
    localrule: True
    conda:
        "../../envs/data.yaml"
    params:
        **config_params(
            caredio_culturespa_training,
            budget=lambda c, w: (
                max(c["caredio"]["finetune"]["budgets"])
                if c["caredio"]["finetune"]["culturespa_data"]["cap"]
                else None
            ),
            seed=lambda c, w: c["caredio"]["finetune"]["culturespa_data"]["seed"],
        ),
    script:
        "../../scripts/caredio/culturespa_training_data.py"


rule caredio_train_culturespa_data:
    input:
        manifest=config_input(caredio_inputs.model_manifest),
        data=caredio_paths.CULTURESPA_TRAINING_SET,
        recipe=lambda w: config["caredio"]["finetune"]["recipes"]["sft"],
    output:
        directory(caredio_paths.CULTURESPA_ADAPTER),
    log:
        "logs/caredio/sft/{model}/culturespa-data/{culture}/adapter.log",
    benchmark:
        "benchmarks/caredio/sft/{model}/culturespa-data/{culture}.tsv"
    wildcard_constraints:
        culture=CAREDIO_SLUG,
    conda:
        "../../envs/inference.yaml"
    threads: engine_threads(config)
    resources:
        **TRAIN_JOB,
    params:
        **config_params(
            recipe=lambda c, w: caredio_recipes(c)["sft"],
            on_empty=lambda c, w: c["culturespa"]["finetune"]["on_empty"],
        ),
    script:
        "../../scripts/core/train_adapter.py"


rule caredio_predict:
    input:
        unpack(
            lambda w: {
                f"data_{b.replace('-', '_')}": f
                for b, f in caredio_inputs.benchmark_files(config, w).items()
            }
        ),
        manifest=config_input(caredio_inputs.model_manifest),
        adapters=lambda w: list(caredio_method_adapters(config, w).values()),
    output:
        caredio_paths.PREDICTION,
    log:
        "logs/caredio/predictions/{model}/{method}.log",
    benchmark:
        "benchmarks/caredio/predictions/{model}/{method}.tsv"
    wildcard_constraints:
        method=CAREDIO_METHODS,
    conda:
        inference_env
    threads: engine_threads(config)
    resources:
        **{**MODEL_JOB, "runtime": caredio_predict_runtime},
    params:
        **config_params(
            caredio_inputs.benchmark_files,
            adapters=caredio_method_adapters,
            spec=lambda c, w: c["models"][w.model],
            engine=lambda c, w: c["engine"],
            benchmarks=lambda c, w: c["caredio"]["evaluation"]["benchmarks"],
            cultures=lambda c, w: c["caredio"]["cultures"],
            per_culture=lambda c, w: c["caredio"]["evaluation"]["per_culture"],
            open_ended=lambda c, w: caredio_inputs.open_ended_answering(c),
            # the in-context variant's validation split, left out of the test set (or None)
            held_out=lambda c, w: (
                c["caredio"]["selection"]["in_context"]
                if c["caredio"]["selection"]["in_context"]["held_out"]
                else None
            ),
        ),
    script:
        "../../scripts/caredio/predict.py"


# §4.1: the judge rates each CultureBank and Prism answer 1-5 (a local model or an OpenAI-compatible
# endpoint, its key only ever in the environment); an answer that is not a rating is kept as invalid.
rule caredio_judge:
    input:
        unpack(config_input(caredio_inputs.judge_inputs)),
    output:
        caredio_paths.JUDGEMENTS,
    log:
        "logs/caredio/judgements/{model}/{method}/{judge}.log",
    benchmark:
        "benchmarks/caredio/judgements/{model}/{method}/{judge}.tsv"
    wildcard_constraints:
        method=CAREDIO_METHODS,
        judge="[A-Za-z0-9._-]+",
    conda:
        inference_env
    threads: engine_threads(config)
    resources:
        **{**MODEL_JOB, "runtime": caredio_judge_runtime},  # the judge's: none for an endpoint
    params:
        **config_params(
            caredio_inputs.judge_inputs,
            judging=lambda c, w: {
                k: c["caredio"]["evaluation"]["open_ended"][k]
                for k in ("judge_max_new_tokens", "seed")
            },
            models=lambda c, w: {k: v for k, v in c["models"].items() if k == w.judge},
            endpoints=lambda c, w: {
                k: v for k, v in c["endpoints"].items() if k == w.judge
            },
            engine=lambda c, w: c["engine"],
        ),
    script:
        "../../scripts/caredio/judge.py"


rule caredio_score:
    input:
        unpack(config_input(caredio_inputs.score_inputs)),
    output:
        caredio_paths.SCORE,
    log:
        "logs/caredio/scores/{model}/{method}.log",
    wildcard_constraints:
        method=CAREDIO_METHODS,
    localrule: True
    conda:
        "../../envs/data.yaml"
    params:
        **config_params(caredio_inputs.score_inputs),
    script:
        "../../scripts/caredio/score.py"


rule caredio_table2:
    input:
        scores=config_input(caredio_inputs.table_scores),
        selections=config_input(caredio_inputs.table_selections),
        published=caredio_paths.PUBLISHED,
    output:
        report(
            CAREDIO_ARTIFACTS["caredio-table2"].path,
            caption=f"../../{CAREDIO_ARTIFACTS['caredio-table2'].caption}",
            category="CAReDiO",
        ),
    log:
        "logs/caredio/table2.log",
    localrule: True
    conda:
        "../../envs/data.yaml"
    params:
        **config_params(
            cultures=lambda c, w: c["caredio"]["cultures"],
            budget=lambda c, w: caredio_grid.budget(c["caredio"]),
            models=lambda c, w: model_labels(c, c["caredio"]["evaluation"]["models"]),
            trainer=lambda c, w: c["caredio"]["finetune"]["trainer"],
            culturespa_note=caredio_culturespa_note,
        ),
        config_id=CONFIG_ID,
    script:
        "../../scripts/caredio/tables.py"


use rule caredio_table2 as caredio_table3 with:
    output:
        report(
            CAREDIO_ARTIFACTS["caredio-table3"].path,
            caption=f"../../{CAREDIO_ARTIFACTS['caredio-table3'].caption}",
            category="CAReDiO",
        ),
    log:
        "logs/caredio/table3.log",
    localrule: True


use rule caredio_table2 as caredio_table4 with:
    output:
        report(
            CAREDIO_ARTIFACTS["caredio-table4"].path,
            caption=f"../../{CAREDIO_ARTIFACTS['caredio-table4'].caption}",
            category="CAReDiO",
        ),
    log:
        "logs/caredio/table4.log",
    localrule: True


use rule caredio_table2 as caredio_table5 with:
    output:
        report(
            CAREDIO_ARTIFACTS["caredio-table5"].path,
            caption=f"../../{CAREDIO_ARTIFACTS['caredio-table5'].caption}",
            category="CAReDiO",
        ),
    log:
        "logs/caredio/table5.log",
    localrule: True


use rule caredio_table2 as caredio_table6 with:
    output:
        report(
            CAREDIO_ARTIFACTS["caredio-table6"].path,
            caption=f"../../{CAREDIO_ARTIFACTS['caredio-table6'].caption}",
            category="CAReDiO",
        ),
    log:
        "logs/caredio/table6.log",
    localrule: True


rule caredio_figure3:
    input:
        unpack(config_input(caredio_inputs.figure3_inputs)),
    output:
        png=report(
            CAREDIO_ARTIFACTS["caredio-figure3"].path,
            caption=f"../../{CAREDIO_ARTIFACTS['caredio-figure3'].caption}",
            category="CAReDiO",
        ),
        pdf=caredio_paths.FIGURE3[1],
        csv=caredio_paths.FIGURE3[2],
    log:
        "logs/caredio/figure3.log",
    localrule: True
    conda:
        "../../envs/plot.yaml"
    params:
        **config_params(
            caredio_inputs.figure3_inputs,
            budget=lambda c, w: caredio_grid.budget(c["caredio"]),
            generator=lambda c, w: c["caredio"]["generator"],
            embedding=lambda c, w: c["caredio"]["embedding"],
        ),
    script:
        "../../scripts/caredio/figure3.py"


rule caredio_figure2:
    input:
        scores=config_input(caredio_inputs.figure2_scores),
    output:
        png=report(
            CAREDIO_ARTIFACTS["caredio-figure2"].path,
            caption=f"../../{CAREDIO_ARTIFACTS['caredio-figure2'].caption}",
            category="CAReDiO",
        ),
        pdf=caredio_paths.FIGURE2[1],
        csv=caredio_paths.FIGURE2[2],
    log:
        "logs/caredio/figure2.log",
    localrule: True
    conda:
        "../../envs/plot.yaml"
    params:
        **config_params(
            budgets=lambda c, w: c["caredio"]["finetune"]["budgets"],
            cultures=lambda c, w: c["caredio"]["cultures"],
        ),
    script:
        "../../scripts/caredio/figure2.py"
