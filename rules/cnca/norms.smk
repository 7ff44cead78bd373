# CNCA cultural-norm mining (Figure 2): one job per (miner, mining method, country).


rule cnca_mine_norms:
    input:
        manifest=config_input(cnca_inputs.miner_manifest),
        questions="results/data/wvs_questions.json",
        split=cnca_paths.SPLIT,
    output:
        cnca_paths.NORMS,
    log:
        "logs/norms/{miner}/{mining}/{country}.log",
    benchmark:
        "benchmarks/norms/{miner}/{mining}/{country}.tsv"
    conda:
        inference_env
    threads: engine_threads(config)
    resources:
        **MODEL_JOB,
    params:
        **config_params(
            spec=lambda c, w: c["models"][w.miner],
            norms=lambda c, w: {
                k: c["cnca"]["norms"][k] for k in ("m", "seed", "max_new_tokens")
            },
            sampling=lambda c, w: c["cnca"]["sampling"],
            engine=lambda c, w: c["engine"],
            topics=cnca_inputs.mining_topics,
        ),
    script:
        "../../scripts/cnca/mine_norms.py"
