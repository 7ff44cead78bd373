# The fully resolved configuration of this run (the config file(s) as the Snakefile loads them, the
# schema's defaults filled in, the cross-references resolved) and the fine-tuning recipe every
# adapter trains with (recipe file + finetune.recipe_overrides): what a reviewer checks first.


rule resolved_config:
    output:
        "results/config/resolved.json",
    log:
        "logs/config/resolved.log",
    conda:
        "../envs/data.yaml"
    params:
        config_id=CONFIG_ID,
        config=config,
        recipes={m: {"file": recipe_path(m), "recipe": r} for m, r in RECIPES.items()},
    script:
        "../scripts/resolved_config.py"
