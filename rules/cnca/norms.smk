# CNCA cultural-norm mining (Figure 2): one job per (miner, mining method), or per (miner, mining
# method, run) with norms.per_seed, for every country of norms.countries (one norms file each; the model
# loaded once, each country's prompts its own engine calls).


rule cnca_mine_norms:
    input:
        manifest=config_input(cnca_inputs.miner_manifest),
        questions="results/data/wvs_questions.json",
        split=cnca_paths.SPLIT,
    output:
        expand(cnca_paths.NORMS, country=CNCA_MINING_COUNTRIES, allow_missing=True),
    log:
        "logs/norms/{miner}/{mining}.log",
    benchmark:
        "benchmarks/norms/{miner}/{mining}.tsv"
    conda:
        inference_env
    threads: engine_threads(config)
    resources:
        **{**MODEL_JOB, "runtime": cnca_mining_runtime},
    params:
        **config_params(
            spec=lambda c, w: c["models"][w.miner],
            countries=lambda c, w: c["cnca"]["norms"]["countries"],
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
        expand(
            cnca_paths.NORMS_PER_SEED,
            country=CNCA_MINING_COUNTRIES,
            allow_missing=True,
        ),
    log:
        "logs/norms/{miner}/{mining}/seed{seed}.log",
    benchmark:
        "benchmarks/norms/{miner}/{mining}/seed{seed}.tsv"
