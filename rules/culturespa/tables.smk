# CultureSPA's tables and figures (declared in culturealign/papers/culturespa/artifacts.py), each
# number beside the published one where the paper prints it.
from culturealign.papers.culturespa.tables import TABLE3_MODEL


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
    localrule: True
    conda:
        "../../envs/data.yaml"
    params:
        **config_params(
            rows=lambda c, w: culturespa_grid.plain_rows(
                culturespa_grid.table2_rows(c["culturespa"])
            ),
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
    localrule: True
    conda:
        "../../envs/plot.yaml"
    params:
        **config_params(
            rows=lambda c, w: culturespa_grid.plain_rows(
                culturespa_grid.figure1_rows(c["culturespa"])
            ),
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
    localrule: True
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


use rule culturespa_table2 as culturespa_table3 with:
    input:
        scores=config_input(culturespa_inputs.table3_scores),
        published=culturespa_paths.PUBLISHED,
    output:
        report(
            CULTURESPA_ARTIFACTS["culturespa-table3"].path,
            caption=f"../../{CULTURESPA_ARTIFACTS['culturespa-table3'].caption}",
            category="CultureSPA",
        ),
    log:
        "logs/culturespa/table3.log",
    localrule: True
    params:
        **config_params(
            rows=lambda c, w: culturespa_grid.plain_rows(
                culturespa_grid.table3_rows(c["culturespa"])
            ),
            models=lambda c, w: model_labels(
                c, [c["culturespa"]["tables"]["table3_model"]]
            ),
        ),
        config_id=CONFIG_ID,
        fallback=TABLE3_MODEL,


rule culturespa_table4:
    input:
        scores=config_input(culturespa_inputs.table4_scores),
        published=culturespa_paths.PUBLISHED_TABLES,
    output:
        report(
            CULTURESPA_ARTIFACTS["culturespa-table4"].path,
            caption=f"../../{CULTURESPA_ARTIFACTS['culturespa-table4'].caption}",
            category="CultureSPA",
        ),
    log:
        "logs/culturespa/table4.log",
    localrule: True
    conda:
        "../../envs/data.yaml"
    params:
        **config_params(
            rows=lambda c, w: culturespa_grid.plain_rows(
                culturespa_grid.table4_rows(c["culturespa"])
            ),
        ),
        config_id=CONFIG_ID,
    script:
        "../../scripts/culturespa/table4.py"


rule culturespa_figure3:
    input:
        unpack(config_input(culturespa_inputs.figure3_selections)),
    output:
        png=report(
            CULTURESPA_ARTIFACTS["culturespa-figure3"].path,
            caption=f"../../{CULTURESPA_ARTIFACTS['culturespa-figure3'].caption}",
            category="CultureSPA",
        ),
        pdf=culturespa_paths.FIGURE3[1],
        csv=culturespa_paths.FIGURE3[2],
        json="results/culturespa/figure3.json",
    log:
        "logs/culturespa/figure3.log",
    localrule: True
    conda:
        "../../envs/plot.yaml"
    params:
        **config_params(
            culturespa_inputs.figure3_selections,
            model=lambda c, w: c["culturespa"]["tables"]["table4_model"],
            seeds=lambda c, w: c["culturespa"]["generation"]["seeds"],
        ),
        config_id=CONFIG_ID,
    script:
        "../../scripts/culturespa/figure3.py"


rule culturespa_figure4:
    input:
        scores=config_input(culturespa_inputs.figure4_scores),
    output:
        png=report(
            CULTURESPA_ARTIFACTS["culturespa-figure4"].path,
            caption=f"../../{CULTURESPA_ARTIFACTS['culturespa-figure4'].caption}",
            category="CultureSPA",
        ),
        pdf=culturespa_paths.FIGURE4[1],
        csv=culturespa_paths.FIGURE4[2],
        json="results/culturespa/figure4.json",
    log:
        "logs/culturespa/figure4.log",
    localrule: True
    conda:
        "../../envs/plot.yaml"
    params:
        **config_params(
            rows=lambda c, w: culturespa_grid.plain_rows(
                culturespa_grid.figure4_rows(c["culturespa"])
            ),
            describe=lambda c, w: culturespa_describe(c),
        ),
        config_id=CONFIG_ID,
    script:
        "../../scripts/culturespa/figure4.py"


# Table 1 (§5.2): the generated questions judged on four criteria (judge: a local model or an
# OpenAI-compatible endpoint; its key only ever in the environment).
rule culturespa_quality:
    input:
        unpack(config_input(culturespa_inputs.quality_inputs)),
    output:
        culturespa_paths.QUALITY,
    log:
        "logs/culturespa/quality/{model}/{seeds}/{judge}.log",
    benchmark:
        "benchmarks/culturespa/quality/{model}/{seeds}/{judge}.tsv"
    wildcard_constraints:
        seeds=QUESTION_SETS,
        judge="[A-Za-z0-9._-]+",
    conda:
        inference_env
    threads: engine_threads(config)
    resources:
        **MODEL_JOB,
    params:
        **config_params(
            culturespa_inputs.quality_inputs,
            quality=lambda c, w: c["culturespa"]["quality"],
            models=lambda c, w: {k: v for k, v in c["models"].items() if k == w.judge},
            endpoints=lambda c, w: {
                k: v for k, v in c["endpoints"].items() if k == w.judge
            },
            engine=lambda c, w: c["engine"],
        ),
    script:
        "../../scripts/culturespa/quality.py"


rule culturespa_table1:
    input:
        verdicts=config_input(culturespa_inputs.table1_verdicts),
        published=culturespa_paths.PUBLISHED_TABLES,
    output:
        report(
            CULTURESPA_ARTIFACTS["culturespa-table1"].path,
            caption=f"../../{CULTURESPA_ARTIFACTS['culturespa-table1'].caption}",
            category="CultureSPA",
        ),
    log:
        "logs/culturespa/table1.log",
    localrule: True
    conda:
        "../../envs/data.yaml"
    params:
        **config_params(culturespa_inputs.table1_verdicts),
        config_id=CONFIG_ID,
    script:
        "../../scripts/culturespa/table1.py"


rule culturespa_table5:
    input:
        unpack(config_input(culturespa_inputs.table5_inputs)),
        published=culturespa_paths.PUBLISHED_TABLES,
    output:
        report(
            CULTURESPA_ARTIFACTS["culturespa-table5"].path,
            caption=f"../../{CULTURESPA_ARTIFACTS['culturespa-table5'].caption}",
            category="CultureSPA",
        ),
    log:
        "logs/culturespa/table5.log",
    localrule: True
    conda:
        "../../envs/data.yaml"
    params:
        **config_params(
            rows=lambda c, w: culturespa_grid.plain_rows(
                culturespa_grid.table5_rows(c["culturespa"])
            ),
            benchmarks=lambda c, w: list(c["culturespa"]["general"]["benchmarks"]),
        ),
        config_id=CONFIG_ID,
    script:
        "../../scripts/culturespa/table5.py"
