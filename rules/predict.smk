rule predict:
    input:
        manifest=model_manifest,
        questions="results/data/wvs_questions.json",
        split="results/data/split.json",
        adapter=adapter_input,
    output:
        "results/predictions/{model}/{method}/{country}/seed{seed}.jsonl",
    log:
        "logs/predictions/{model}/{method}/{country}/seed{seed}.log",
    benchmark:
        "benchmarks/predictions/{model}/{method}/{country}/seed{seed}.tsv"
    wildcard_constraints:
        method=PLAIN_METHODS,
    conda:
        inference_env
    threads: config["engine"]["threads"]
    resources:
        gpu=model_gpus,
        mem_mb=model_mem_mb,
        runtime=model_runtime,
    params:
        spec=model_spec,
        max_new_tokens=eval_max_new_tokens,
        sampling=config["sampling"],
        engine=config["engine"],
        test_per_topic=config["evaluation"]["test_per_topic"],
        topics=config["evaluation"]["topics"],
    script:
        "../scripts/predict.py"


rule predict_with_norms:
    input:
        manifest=model_manifest,
        questions="results/data/wvs_questions.json",
        split="results/data/split.json",
        norms=norms_file,
    output:
        "results/predictions/{model}/{method}/miner-{miner}/k{k}/{country}/seed{seed}.jsonl",
    log:
        "logs/predictions/{model}/{method}/miner-{miner}/k{k}/{country}/seed{seed}.log",
    benchmark:
        "benchmarks/predictions/{model}/{method}/miner-{miner}/k{k}/{country}/seed{seed}.tsv"
    wildcard_constraints:
        method=NORM_METHOD_RE,
    conda:
        inference_env
    threads: config["engine"]["threads"]
    resources:
        gpu=model_gpus,
        mem_mb=model_mem_mb,
        runtime=model_runtime,
    params:
        spec=model_spec,
        max_new_tokens=eval_max_new_tokens,
        sampling=config["sampling"],
        engine=config["engine"],
        test_per_topic=config["evaluation"]["test_per_topic"],
        topics=config["evaluation"]["topics"],
    script:
        "../scripts/predict.py"
