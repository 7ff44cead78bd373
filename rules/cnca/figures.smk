# CNCA's figures (declared in culturealign/papers/cnca/artifacts.py).


rule cnca_figure4:
    input:
        config_input(cnca_inputs.figure4_scores),
    output:
        png=report(
            CNCA_ARTIFACTS["figure4"].path,
            caption=f"../../{CNCA_ARTIFACTS['figure4'].caption}",
            category="Figures",
        ),
        pdf="results/figure4.pdf",
        json="results/figure4.json",
    log:
        "logs/figures/figure4.log",
    localrule: True
    conda:
        "../../envs/plot.yaml"
    params:
        **config_params(
            rows=lambda c, w: cnca_grid.figure4_rows(c["cnca"]),
            scores=cnca_inputs.figure4_scores,
            names=lambda c, w: {
                m: c["models"][m].get("name", m)
                for m in c["cnca"]["figures"]["figure4_models"]
            },
            table_miner=lambda c, w: c["cnca"]["norms"]["table_miner"],
            table_miner_name=lambda c, w: (
                c["models"][c["cnca"]["norms"]["table_miner"]].get("name")
                if c["cnca"]["norms"]["table_miner"] != "self"
                else None
            ),
            figure_models=lambda c, w: c["cnca"]["figures"]["figure4_models"],
            countries=lambda c, w: c["cnca"]["countries"],
            seeds=lambda c, w: c["cnca"]["seeds"],
        ),
        config_id=CONFIG_ID,
    script:
        "../../scripts/cnca/figure4.py"


rule cnca_figure5:
    input:
        scores=config_input(cnca_inputs.figure5_scores),
        published=cnca_paths.PUBLISHED,
    output:
        png=report(
            CNCA_ARTIFACTS["figure5"].path,
            caption=f"../../{CNCA_ARTIFACTS['figure5'].caption}",
            category="Figures",
        ),
        pdf="results/figure5.pdf",
        json="results/figure5.json",
        csv=report(
            "results/figure5.csv",
            caption=f"../../{CNCA_ARTIFACTS['figure5'].caption}",
            category="Figures",
        ),
    log:
        "logs/figures/figure5.log",
    localrule: True
    conda:
        "../../envs/plot.yaml"
    params:
        **config_params(
            rows=lambda c, w: cnca_grid.figure5_rows(c["cnca"]),
            scores=cnca_inputs.figure5_scores,
            models=lambda c, w: model_labels(
                c,
                c["cnca"]["figures"]["figure5_evaluators"]
                + c["cnca"]["figures"]["figure5_miners"],
            ),
            evaluators=lambda c, w: c["cnca"]["figures"]["figure5_evaluators"],
            miners=lambda c, w: c["cnca"]["figures"]["figure5_miners"],
            m=lambda c, w: c["cnca"]["norms"]["m"],
            countries=lambda c, w: c["cnca"]["countries"],
            seeds=lambda c, w: c["cnca"]["seeds"],
        ),
        config_id=CONFIG_ID,
    script:
        "../../scripts/cnca/figure5.py"
