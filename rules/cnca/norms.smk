# CNCA cultural-norm mining (Figure 2): one job per (miner, mining method, country), or per (miner,
# mining method, country, run) with norms.per_seed.


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
                "m": c["cnca"]["norms"]["m"],
                "max_new_tokens": c["cnca"]["norms"]["max_new_tokens"],
                # per run (norms.per_seed): the run's seed; else mined once with norms.seed
                "seed": (
                    int(w.seed)
                    if w.get("seed") is not None
                    else c["cnca"]["norms"]["seed"]
                ),
            },
            sampling=lambda c, w: c["cnca"]["sampling"],
            engine=lambda c, w: c["engine"],
            topics=cnca_inputs.mining_topics,
        ),
    script:
        "../../scripts/cnca/mine_norms.py"


use rule cnca_mine_norms as cnca_mine_norms_per_seed with:
    output:
        cnca_paths.NORMS_PER_SEED,
    log:
        "logs/norms/{miner}/{mining}/seed{seed}/{country}.log",
    benchmark:
        "benchmarks/norms/{miner}/{mining}/seed{seed}/{country}.tsv"
