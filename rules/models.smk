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
    params:
        spec=model_spec,
    script:
        "../scripts/materialise_model.py"
