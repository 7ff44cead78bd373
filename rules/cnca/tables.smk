# CNCA's tables (declared in culturealign/papers/cnca/artifacts.py), each number beside the
# published one.


rule cnca_table3:
    input:
        scores=config_input(cnca_inputs.table3_scores),
        published=cnca_paths.PUBLISHED,
    output:
        report(
            CNCA_ARTIFACTS["table3"].path,
            caption=f"../../{CNCA_ARTIFACTS['table3'].caption}",
            category="Tables",
        ),
    log:
        "logs/tables/table3.log",
    localrule: True
    conda:
        "../../envs/data.yaml"
    params:
        **config_params(
            models=lambda c, w: model_labels(
                c, [m for m, _ in cnca_grid.table3_rows(c["cnca"])]
            ),
            pairs=lambda c, w: cnca_grid.table3_rows(c["cnca"]),
            scores=cnca_inputs.table3_scores,
            test=lambda c, w: c["cnca"]["evaluation"]["paired_test"],
            norms_per_seed=lambda c, w: c["cnca"]["norms"]["per_seed"],
        ),
        table="3",
        config_id=CONFIG_ID,
    script:
        "../../scripts/cnca/alignment_table.py"


use rule cnca_table3 as cnca_table4 with:
    input:
        scores=config_input(cnca_inputs.table4_scores),
        published=cnca_paths.PUBLISHED,
    output:
        report(
            CNCA_ARTIFACTS["table4"].path,
            caption=f"../../{CNCA_ARTIFACTS['table4'].caption}",
            category="Tables",
        ),
    log:
        "logs/tables/table4.log",
    localrule: True
    params:
        **config_params(
            models=lambda c, w: model_labels(
                c, [m for m, _ in cnca_grid.table4_rows(c["cnca"])]
            ),
            pairs=lambda c, w: cnca_grid.table4_rows(c["cnca"]),
            scores=cnca_inputs.table4_scores,
            test=lambda c, w: c["cnca"]["evaluation"]["paired_test"],
            norms_per_seed=lambda c, w: c["cnca"]["norms"]["per_seed"],
        ),
        table="4",


rule cnca_table7:
    input:
        scores=config_input(cnca_inputs.table7_scores),
        published=cnca_paths.PUBLISHED,
    output:
        report(
            CNCA_ARTIFACTS["table7"].path,
            caption=f"../../{CNCA_ARTIFACTS['table7'].caption}",
            category="Tables",
        ),
    log:
        "logs/tables/table7.log",
    localrule: True
    conda:
        "../../envs/data.yaml"
    params:
        **config_params(
            models=lambda c, w: model_labels(
                c, [m for m, _, _ in cnca_grid.table7_rows(c["cnca"])]
            ),
            rows=lambda c, w: cnca_grid.table7_rows(c["cnca"]),
            scores=cnca_inputs.table7_scores,
            test=lambda c, w: c["cnca"]["evaluation"]["paired_test"],
        ),
        config_id=CONFIG_ID,
    script:
        "../../scripts/cnca/table7.py"


rule cnca_table1:
    input:
        config_input(cnca_inputs.table1_norms),
    output:
        report(
            CNCA_ARTIFACTS["table1"].path,
            caption=f"../../{CNCA_ARTIFACTS['table1'].caption}",
            category="Tables",
        ),
    log:
        "logs/tables/table1.log",
    localrule: True
    conda:
        "../../envs/data.yaml"
    params:
        **config_params(
            cnca_inputs.table1_norms,
            topic=lambda c, w: c["cnca"]["figures"]["table1"]["topic"],
            miner_name=lambda c, w: c["models"][
                c["cnca"]["figures"]["table1"]["miner"]
            ].get("name", c["cnca"]["figures"]["table1"]["miner"]),
        ),
        config_id=CONFIG_ID,
    script:
        "../../scripts/cnca/table1.py"


rule cnca_table5:
    input:
        scores=config_input(cnca_inputs.table5_scores),
        published=cnca_paths.PUBLISHED_TABLE5,
    output:
        report(
            CNCA_ARTIFACTS["table5"].path,
            caption=f"../../{CNCA_ARTIFACTS['table5'].caption}",
            category="Tables",
        ),
    log:
        "logs/tables/table5.log",
    localrule: True
    conda:
        "../../envs/data.yaml"
    params:
        **config_params(
            models=lambda c, w: model_labels(
                c, [m for m, _ in cnca_grid.table5_rows(c["cnca"])]
            ),
            pairs=lambda c, w: cnca_grid.table5_rows(c["cnca"]),
            scores=cnca_inputs.table5_scores,
        ),
        config_id=CONFIG_ID,
    script:
        "../../scripts/cnca/table5.py"


rule cnca_table6:
    input:
        questions="results/data/wvs_questions.json",
        split=cnca_paths.SPLIT,
        predictions=config_input(cnca_inputs.table6_predictions),
    output:
        report(
            CNCA_ARTIFACTS["table6"].path,
            caption=f"../../{CNCA_ARTIFACTS['table6'].caption}",
            category="Tables",
        ),
    log:
        "logs/tables/table6.log",
    localrule: True
    conda:
        "../../envs/data.yaml"
    params:
        **config_params(
            cnca_inputs.table6_predictions,
            table6=lambda c, w: c["cnca"]["table6"],
            rows=lambda c, w: cnca_grid.table6_rows(c["cnca"]),
            topics=lambda c, w: c["cnca"]["evaluation"]["topics"],
            test_per_topic=lambda c, w: c["cnca"]["evaluation"]["test_per_topic"],
        ),
        config_id=CONFIG_ID,
    script:
        "../../scripts/cnca/table6.py"
