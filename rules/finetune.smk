# CNCA's fine-tuning track: self-distilled chains -> training sets -> LoRA adapters (SFT, CoT-SFT,
# CNCA-SFT, CNCA-DPO). Recipes: recipes/<method>.yaml; sampling budgets: config `finetune`.


rule distill:
    input:
        manifest=model_manifest,
        questions="results/data/wvs_questions.json",
        split="results/data/split.json",
        norms=distill_norms,
    output:
        "results/distill/{model}/{variant}/{country}.jsonl",
    log:
        "logs/distill/{model}/{variant}/{country}.log",
    benchmark:
        "benchmarks/distill/{model}/{variant}/{country}.tsv"
    conda:
        inference_env
    threads: config["engine"]["threads"]
    resources:
        gpu=model_gpus,
        mem_mb=model_mem_mb,
        runtime=model_runtime,
    params:
        spec=model_spec,
        distill=FINETUNE["distill"],
        engine=config["engine"],
        topics=FINETUNE["topics"],
        train_per_topic=FINETUNE["train_per_topic"],
    script:
        "../scripts/distill.py"


rule dpo_pairs:
    input:
        manifest=model_manifest,
        questions="results/data/wvs_questions.json",
        split="results/data/split.json",
        adapter=dpo_adapter,
    output:
        "results/dpo/{model}/{country}.jsonl",
    log:
        "logs/dpo/{model}/{country}.log",
    benchmark:
        "benchmarks/dpo/{model}/{country}.tsv"
    conda:
        inference_env
    threads: config["engine"]["threads"]
    resources:
        gpu=model_gpus,
        mem_mb=model_mem_mb,
        runtime=model_runtime,
    params:
        spec=model_spec,
        distill=FINETUNE["distill"],
        dpo=FINETUNE["dpo"],
        engine=config["engine"],
        topics=FINETUNE["topics"],
        train_per_topic=FINETUNE["train_per_topic"],
    script:
        "../scripts/dpo_pairs.py"


rule training_data:
    input:
        questions="results/data/wvs_questions.json",
        split="results/data/split.json",
        sources=training_sources,
    output:
        "results/train/{model}/{method}/{scope}.jsonl",
    log:
        "logs/train/{model}/{method}/{scope}.log",
    conda:
        "../envs/data.yaml"
    params:
        recipe=lambda w: RECIPES[w.method],
        countries=lambda w: scope_countries(w.scope),
        topics=FINETUNE["topics"],
        train_per_topic=FINETUNE["train_per_topic"],
    script:
        "../scripts/training_data.py"


rule train_adapter:
    input:
        manifest=model_manifest,
        data="results/train/{model}/{method}/{scope}.jsonl",
        recipe=lambda w: recipe_path(w.method),
        init=init_adapter,
    output:
        directory("results/adapters/{model}/{method}/{scope}"),
    log:
        "logs/adapters/{model}/{method}/{scope}.log",
    benchmark:
        "benchmarks/adapters/{model}/{method}/{scope}.tsv"
    conda:
        "../envs/inference.yaml"
    threads: config["engine"]["threads"]
    resources:
        gpu=model_gpus,
        mem_mb=train_mem_mb,
        runtime=train_runtime,
    params:
        recipe=lambda w: RECIPES[w.method],
    script:
        "../scripts/train_adapter.py"
