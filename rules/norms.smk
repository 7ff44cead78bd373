rule mine_norms:
    input:
        manifest=miner_manifest,
        questions="results/data/wvs_questions.json",
        split="results/data/split.json",
    output:
        "results/norms/{miner}/{mining}/{country}.json",
    log:
        "logs/norms/{miner}/{mining}/{country}.log",
    benchmark:
        "benchmarks/norms/{miner}/{mining}/{country}.tsv"
    conda:
        inference_env
    threads: config["engine"]["threads"]
    resources:
        gpu=model_gpus,
        mem_mb=model_mem_mb,
        runtime=model_runtime,
    params:
        spec=miner_spec,
        norms=NORMS,
        sampling=config["sampling"],
        engine=config["engine"],
        topics=mining_topics,
    script:
        "../scripts/mine_norms.py"
