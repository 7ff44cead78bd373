# CultureSPA's Table 2 and Figures 1 and 5 (declared in culturealign/papers/culturespa/artifacts.py),
# each number beside the published one where the paper prints it.


rule culturespa_table2:
    input:
        scores=config_input(culturespa_inputs.table2_scores),
        published=culturespa_paths.PUBLISHED,
    output:
        report(
            CULTURESPA_ARTIFACTS["culturespa-table2"].path,
            caption=f"../../{CULTURESPA_ARTIFACTS['culturespa-table2'].caption}",
            category="CultureSPA",
        ),
    log:
        "logs/culturespa/table2.log",
    conda:
        "../../envs/data.yaml"
    params:
        **config_params(
            rows=lambda c, w: culturespa_grid.table2_rows(c["culturespa"]),
            models=lambda c, w: model_labels(
                c, c["culturespa"]["evaluation"]["models"]
            ),
        ),
        config_id=CONFIG_ID,
    script:
        "../../scripts/culturespa/table2.py"


rule culturespa_figure1:
    input:
        scores=config_input(culturespa_inputs.figure1_scores),
        published=culturespa_paths.PUBLISHED,
    output:
        png=report(
            CULTURESPA_ARTIFACTS["culturespa-figure1"].path,
            caption=f"../../{CULTURESPA_ARTIFACTS['culturespa-figure1'].caption}",
            category="CultureSPA",
        ),
        pdf=culturespa_paths.FIGURE1[1],
        csv=culturespa_paths.FIGURE1[2],
        json="results/culturespa/figure1.json",
    log:
        "logs/culturespa/figure1.log",
    conda:
        "../../envs/plot.yaml"
    params:
        **config_params(
            rows=lambda c, w: culturespa_grid.figure1_rows(c["culturespa"]),
            models=lambda c, w: model_labels(
                c, [c["culturespa"]["figures"]["figure1_model"]]
            ),
            describe=lambda c, w: culturespa_describe(c),
        ),
        config_id=CONFIG_ID,
    script:
        "../../scripts/culturespa/figure1.py"


rule culturespa_figure5:
    input:
        questions="results/data/wvs_questions.json",
        predictions=config_input(culturespa_inputs.figure5_predictions),
    output:
        png=report(
            CULTURESPA_ARTIFACTS["culturespa-figure5"].path,
            caption=f"../../{CULTURESPA_ARTIFACTS['culturespa-figure5'].caption}",
            category="CultureSPA",
        ),
        pdf=culturespa_paths.FIGURE5[1],
        csv=culturespa_paths.FIGURE5[2],
        json="results/culturespa/figure5.json",
    log:
        "logs/culturespa/figure5.log",
    conda:
        "../../envs/plot.yaml"
    params:
        **config_params(
            methods=lambda c, w: c["culturespa"]["figures"]["figure5_methods"],
            model=lambda c, w: c["culturespa"]["figures"]["figure5_model"],
            countries=lambda c, w: c["culturespa"]["countries"],
            topics=lambda c, w: c["culturespa"]["evaluation"]["topics"],
            per_topic=lambda c, w: c["culturespa"]["evaluation"]["per_topic"],
            parser=lambda c, w: c["culturespa"]["evaluation"]["parser"],
            describe=lambda c, w: culturespa_describe(c),
        ),
        config_id=CONFIG_ID,
    script:
        "../../scripts/culturespa/figure5.py"
