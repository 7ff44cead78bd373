rule predict:
    input:
        manifest=model_manifest,
        questions="results/data/wvs_questions.json",
        split="results/data/split.json",
    output:
        "results/predictions/{model}/{method}/{country}/seed{seed}.jsonl",
    log:
        "logs/predictions/{model}/{method}/{country}/seed{seed}.log",
    benchmark:
        "benchmarks/predictions/{model}/{method}/{country}/seed{seed}.tsv"
    conda:
        "../envs/inference.yaml"
    threads: config["engine"]["threads"]
    params:
        spec=model_spec,
        sampling=config["sampling"],
        engine=config["engine"],
        test_per_topic=config["evaluation"]["test_per_topic"],
    script:
        "../scripts/predict.py"
