# CDEval (CNCA Table 5): the out-of-distribution evaluation on Hofstede's dimensions.


rule cdeval_data:
    output:
        "results/data/cdeval.json",
    log:
        "logs/data/cdeval.log",
    conda:
        "../envs/data.yaml"
    params:
        url=CDEVAL["url"],
        sha256=CDEVAL["sha256"],
        local=CDEVAL["local"],
    script:
        "../scripts/cdeval_data.py"


rule cdeval_predict:
    input:
        manifest=model_manifest,
        data="results/data/cdeval.json",
        adapters=cdeval_adapters,
    output:
        "results/cdeval/predictions/{model}/{method}/seed{seed}.jsonl",
    log:
        "logs/cdeval/predictions/{model}/{method}/seed{seed}.log",
    benchmark:
        "benchmarks/cdeval/{model}/{method}/seed{seed}.tsv"
    wildcard_constraints:
        method="vanilla|" + "|".join(ADAPTER_METHODS),
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
        cdeval=CDEVAL,
        per_country=FINETUNE["per_country"],
    script:
        "../scripts/cdeval_predict.py"


rule cdeval_score:
    input:
        sums="resources/hofstede/SHA256SUMS",
        hofstede="resources/hofstede/6-dimensions-for-website-2015-08-16.csv",
        predictions=lambda w: expand(
            "results/cdeval/predictions/{model}/{method}/seed{seed}.jsonl",
            model=w.model,
            method=w.method,
            seed=SEEDS,
        ),
    output:
        "results/cdeval/scores/{model}/{method}.json",
    log:
        "logs/cdeval/scores/{model}/{method}.log",
    conda:
        "../envs/data.yaml"
    params:
        threshold=CDEVAL["threshold"],
        countries=CDEVAL["countries"],
    script:
        "../scripts/cdeval_score.py"
