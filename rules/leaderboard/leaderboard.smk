# The leaderboard across the three papers (culturealign.leaderboard; docs/leaderboard.md): each row's
# WVS predictions (CNCA's own files for CNCA's rows, the jobs below for the others), its CAReDiO
# benchmark predictions (CAReDiO's own files for CAReDiO's rows), the table with the paired tests and
# the cost read from the lineage records, and the figure.
rule leaderboard_predict:
    input:
        unpack(
            lambda w: leaderboard.prediction_inputs(
                config, w.row, cnca_recipes(config)
            )
        ),
    output:
        leaderboard.PREDICTION,
    log:
        "logs/leaderboard/predictions/{model}/{row}/seed{seed}.log",
    benchmark:
        "benchmarks/leaderboard/predictions/{model}/{row}/seed{seed}.tsv"
    wildcard_constraints:
        row="[A-Za-z0-9._-]+",
    conda:
        inference_env
    threads: engine_threads(config)
    resources:
        **{**MODEL_JOB, "runtime": leaderboard_predict_runtime},
    params:
        **config_params(
            lambda c, w: leaderboard.prediction_inputs(c, w.row, cnca_recipes(c)),
            row=leaderboard_row,
            countries=lambda c, w: leaderboard.countries(c),
            spec=lambda c, w: c["models"][w.model],
            sampling=lambda c, w: c["cnca"]["sampling"],
            engine=lambda c, w: c["engine"],
            test_per_topic=lambda c, w: c["cnca"]["evaluation"]["test_per_topic"],
            topics=lambda c, w: c["cnca"]["evaluation"]["topics"],
        ),
    script:
        "../../scripts/leaderboard/predict.py"


rule leaderboard_benchmarks:
    input:
        unpack(
            lambda w: leaderboard.benchmark_inputs(config, w.row, cnca_recipes(config))
        ),
    output:
        leaderboard.BENCHMARK_PREDICTION,
    log:
        "logs/leaderboard/benchmarks/{model}/{row}.log",
    benchmark:
        "benchmarks/leaderboard/benchmarks/{model}/{row}.tsv"
    wildcard_constraints:
        row="[A-Za-z0-9._-]+",
    conda:
        inference_env
    threads: engine_threads(config)
    resources:
        **MODEL_JOB,
    params:
        **config_params(
            lambda c, w: leaderboard.benchmark_inputs(c, w.row, cnca_recipes(c)),
            row=leaderboard_row,
            countries=lambda c, w: leaderboard.countries(c),
            spec=lambda c, w: c["models"][w.model],
            engine=lambda c, w: c["engine"],
            per_culture=lambda c, w: c["caredio"]["evaluation"]["per_culture"],
            # CAReDiO's in-context validation questions, left out of its test set (or None)
            held_out=lambda c, w: (
                c["caredio"]["selection"]["in_context"]
                if c["caredio"]["selection"]["in_context"]["held_out"]
                else None
            ),
        ),
    script:
        "../../scripts/leaderboard/benchmarks.py"


rule leaderboard_table:
    input:
        unpack(lambda w: leaderboard.table_inputs(config, cnca_recipes(config))),
    output:
        csv=report(
            LEADERBOARD_ARTIFACTS["leaderboard"].path,
            caption=f"../../{LEADERBOARD_ARTIFACTS['leaderboard'].caption}",
            category="Leaderboard",
        ),
        scores=LEADERBOARD_SCORES,
    log:
        "logs/leaderboard/table.log",
    localrule: True
    conda:
        "../../envs/data.yaml"
    params:
        **config_params(
            lambda c, w: leaderboard.table_inputs(c, cnca_recipes(c)),
            rows=lambda c, w: [
                r.as_dict() for r in leaderboard.rows(c, cnca_recipes(c))
            ],
            countries=lambda c, w: leaderboard.countries(c),
            seeds=lambda c, w: c["cnca"]["seeds"],
            alpha=lambda c, w: c["leaderboard"]["alpha"],
            unit=lambda c, w: c["cnca"]["evaluation"]["paired_test"],
            test_per_topic=lambda c, w: c["cnca"]["evaluation"]["test_per_topic"],
            topics=lambda c, w: c["cnca"]["evaluation"]["topics"],
            model_name=lambda c, w: c["models"][leaderboard.model(c)].get(
                "name", leaderboard.model(c)
            ),
        ),
        config_id=CONFIG_ID,
    script:
        "../../scripts/leaderboard/table.py"


rule leaderboard_figure:
    input:
        LEADERBOARD_ARTIFACTS["leaderboard"].path,
    output:
        png=report(
            LEADERBOARD_ARTIFACTS["leaderboard-figure"].path,
            caption=f"../../{LEADERBOARD_ARTIFACTS['leaderboard-figure'].caption}",
            category="Leaderboard",
        ),
        pdf=leaderboard.FIGURE[1],
        json=leaderboard.FIGURE[2],
    log:
        "logs/leaderboard/figure.log",
    localrule: True
    conda:
        "../../envs/plot.yaml"
    params:
        **config_params(
            countries=lambda c, w: leaderboard.countries(c),
            seeds=lambda c, w: c["cnca"]["seeds"],
            alpha=lambda c, w: c["leaderboard"]["alpha"],
            model_name=lambda c, w: c["models"][leaderboard.model(c)].get(
                "name", leaderboard.model(c)
            ),
        ),
        config_id=CONFIG_ID,
    script:
        "../../scripts/leaderboard/figure.py"
