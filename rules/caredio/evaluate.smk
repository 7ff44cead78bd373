# CAReDiO §4.1-§4.2: the benchmarks (pinned downloads or local copies), the predictions of every
# backbone x method x culture, their scores, and Tables 2-4 beside the published numbers.


rule caredio_benchmark_data:
    output:
        caredio_paths.BENCHMARK,
    log:
        "logs/caredio/benchmarks/{benchmark}.log",
    wildcard_constraints:
        benchmark="globalopinionqa|culturalbench-hard",
    conda:
        "../../envs/data.yaml"
    params:
        **config_params(
            data=lambda c, w: c["caredio"]["benchmarks"][w.benchmark],
        ),
    script:
        "../../scripts/caredio/benchmark_data.py"


rule caredio_predict:
    input:
        unpack(
            lambda w: {
                f"data_{b.replace('-', '_')}": f
                for b, f in caredio_inputs.benchmark_files(config, w).items()
            }
        ),
        manifest=config_input(caredio_inputs.model_manifest),
        adapters=lambda w: list(caredio_inputs.adapters(config, w).values()),
    output:
        caredio_paths.PREDICTION,
    log:
        "logs/caredio/predictions/{model}/{method}.log",
    benchmark:
        "benchmarks/caredio/predictions/{model}/{method}.tsv"
    wildcard_constraints:
        method="backbone|role-play|caredio-(cluster|in-context)(-n[0-9]+)?",
    conda:
        inference_env
    threads: engine_threads(config)
    resources:
        **MODEL_JOB,
    params:
        **config_params(
            caredio_inputs.benchmark_files,
            adapters=lambda c, w: caredio_inputs.adapters(c, w),
            spec=lambda c, w: c["models"][w.model],
            engine=lambda c, w: c["engine"],
            benchmarks=lambda c, w: c["caredio"]["evaluation"]["benchmarks"],
            cultures=lambda c, w: c["caredio"]["cultures"],
            per_culture=lambda c, w: c["caredio"]["evaluation"]["per_culture"],
        ),
    script:
        "../../scripts/caredio/predict.py"


rule caredio_score:
    input:
        prediction=caredio_paths.PREDICTION,
    output:
        caredio_paths.SCORE,
    log:
        "logs/caredio/scores/{model}/{method}.log",
    wildcard_constraints:
        method="backbone|role-play|caredio-(cluster|in-context)(-n[0-9]+)?",
    conda:
        "../../envs/data.yaml"
    params:
        **config_params(),
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
    conda:
        "../../envs/data.yaml"
    params:
        **config_params(
            cultures=lambda c, w: c["caredio"]["cultures"],
            budget=lambda c, w: caredio_grid.budget(c["caredio"]),
            models=lambda c, w: model_labels(c, c["caredio"]["evaluation"]["models"]),
            trainer=lambda c, w: c["caredio"]["finetune"]["trainer"],
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


use rule caredio_table2 as caredio_table4 with:
    output:
        report(
            CAREDIO_ARTIFACTS["caredio-table4"].path,
            caption=f"../../{CAREDIO_ARTIFACTS['caredio-table4'].caption}",
            category="CAReDiO",
        ),
    log:
        "logs/caredio/table4.log",


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
    conda:
        "../../envs/plot.yaml"
    params:
        **config_params(
            budgets=lambda c, w: c["caredio"]["finetune"]["budgets"],
            cultures=lambda c, w: c["caredio"]["cultures"],
        ),
    script:
        "../../scripts/caredio/figure2.py"
