# Report pages: each table and figure with the paper's published numbers beside it and its lineage
# summary (roots, model weights, adapters, with their SHA-256, every record verified when the page
# was made); the summary also as CSV. The full tree: `culturealign provenance results/<artifact>`.
REPORT_ARTIFACTS = {
    "table1": "results/table1.md",
    "table3": "results/table3.csv",
    "table4": "results/table4.csv",
    "table5": "results/table5.csv",
    "table6": "results/table6.md",
    "table7": "results/table7.csv",
    "figure4": "results/figure4.png",
    "figure5": "results/figure5.png",
}
PUBLISHED = {
    "table3": "resources/paper/cnca.csv",
    "table4": "resources/paper/cnca.csv",
    "table5": "resources/paper/cnca_table5.csv",
    "table7": "resources/paper/cnca.csv",
    "figure5": "resources/paper/cnca.csv",
}


rule lineage:
    input:
        artifact=lambda w: REPORT_ARTIFACTS[w.artifact],
        published=lambda w: PUBLISHED.get(w.artifact, []),
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
        artifact="|".join(REPORT_ARTIFACTS),
    conda:
        "../envs/data.yaml"
    params:
        config_id=CONFIG_ID,
        table=lambda w: w.artifact.removeprefix("table"),
    script:
        "../scripts/lineage.py"
