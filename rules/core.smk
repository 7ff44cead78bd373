# What every paper shares: the vendored survey data, model checkpoints, the run's resolved
# configuration, and the report pages (each declared artifact with the paper's published numbers
# and its lineage summary).


rule wvs_questions:
    input:
        sums="resources/wvs/SHA256SUMS",
        questions="resources/wvs/wvs_questions.json",
        proportions="resources/wvs/proportions_group_by_country.json",
    output:
        "results/data/wvs_questions.json",
    log:
        "logs/data/wvs_questions.log",
    localrule: True
    conda:
        "../envs/data.yaml"
    params:
        **config_params(),  # all 18 countries of the vendored files, whatever the config says
    script:
        "../scripts/core/wvs_questions.py"


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
        **config_params(spec=lambda c, w: c["models"][w.model]),
    script:
        "../scripts/core/materialise_model.py"


rule resolved_config:
    output:
        "results/config/resolved.json",
    log:
        "logs/config/resolved.log",
    localrule: True
    conda:
        "../envs/data.yaml"
    params:
        **config_params(
            config=lambda c, w: c,
            recipes=lambda c, w: {paper: fn(c) for paper, fn in RECIPE_SETS.items()},
        ),
        config_id=CONFIG_ID,
    script:
        "../scripts/core/resolved_config.py"


rule lineage:
    input:
        artifact=lambda w: ARTIFACTS[w.artifact].path,
        published=lambda w: ARTIFACTS[w.artifact].published or [],
    output:
        html=report(
            "results/report/{artifact}.html",
            caption="../report/lineage.rst",
            category="Results with lineage",
            subcategory="{artifact}",
        ),
        csv="results/lineage/{artifact}.csv",
    log:
        "logs/lineage/{artifact}.log",
    wildcard_constraints:
        artifact="|".join(ARTIFACTS),
    localrule: True
    conda:
        "../envs/data.yaml"
    params:
        **config_params(
            description=lambda c, w: DESCRIBE[ARTIFACTS[w.artifact].paper](c)
        ),
        config_id=CONFIG_ID,
        table=lambda w: ARTIFACTS[w.artifact].published_table,
    script:
        "../scripts/core/lineage.py"
