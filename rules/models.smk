rule materialise_model:
    output:
        weights=directory("results/models/{model}/weights"),
        manifest="results/models/{model}/manifest.json",
    log:
        "logs/models/{model}.log",
    benchmark:
        "benchmarks/models/{model}.tsv"
    conda:
        "../envs/inference.yaml"
    resources:
        mem_mb=model_mem_mb,
        runtime=model_runtime,
    params:
        spec=model_spec,
    script:
        "../scripts/materialise_model.py"
