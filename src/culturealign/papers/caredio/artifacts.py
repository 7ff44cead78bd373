"""CAReDiO's declared tables and the paths of its intermediate files (results/caredio/)."""

from ...artifacts import Artifact

PAPER = "caredio"
PUBLISHED = "resources/paper/caredio-tables.csv"  # Tables 2-6 as printed (table, backbone, row, column)

ARTIFACTS = (
    Artifact("caredio-table2", "results/caredio/table2.csv", PAPER, "report/caredio/table2.rst", PUBLISHED, "2",
             default=True,
             what="the four benchmarks averaged over cultures, per backbone and method"),
    Artifact("caredio-table3", "results/caredio/table3.csv", PAPER, "report/caredio/table3.rst", PUBLISHED, "3",
             default=True,
             what="GlobalOpinionQA per culture"),
    Artifact("caredio-table4", "results/caredio/table4.csv", PAPER, "report/caredio/table4.rst", PUBLISHED, "4",
             default=True,
             what="CulturalBench-Hard per culture"),
    Artifact("caredio-table5", "results/caredio/table5.csv", PAPER, "report/caredio/table5.rst", PUBLISHED, "5",
             default=True,
             what="CultureBank response quality (judge), per culture"),
    Artifact("caredio-table6", "results/caredio/table6.csv", PAPER, "report/caredio/table6.rst", PUBLISHED, "6",
             default=True,
             what="Prism culture-awareness (judge), per culture"),
    Artifact("caredio-figure2", "results/caredio/figure2.png", PAPER, "report/caredio/figure2.rst", default=True,
             what="benchmark score vs training samples per culture"),
    Artifact("caredio-figure3", "results/caredio/figure3.png", PAPER, "report/caredio/figure3.rst", default=True,
             what="PCA and tf-idf phrases of the selected data"),
)
FIGURE2 = ("results/caredio/figure2.png", "results/caredio/figure2.pdf", "results/caredio/figure2.csv")
FIGURE3 = ("results/caredio/figure3.png", "results/caredio/figure3.pdf", "results/caredio/figure3.csv")

# Intermediate files ({wildcards} filled by Snakemake or by str.format). {culture} is a culture's slug
# (countries.csv); {model} in data/ is the generator, elsewhere the backbone.
QUESTIONS = "results/caredio/data/{model}/questions.json"
ROLEPLAY = "results/caredio/data/{model}/roleplay/{culture}.json"
ADAPTED = "results/caredio/data/{model}/adapted/{culture}.json"
SAMPLES = "results/caredio/data/{model}/samples/{culture}.json"
EMBEDDINGS = "results/caredio/embeddings/{model}/{culture}.npz"
SELECTION = "results/caredio/selection/{model}/{measure}/{culture}.json"
# the in-context variant: the cluster selection re-scored by a backbone ({scorer}) on a CulturalBench split
SELECTION_IN_CONTEXT = "results/caredio/selection/{model}/in-context/{scorer}/{culture}.json"
TRAINING_SET = "results/caredio/{trainer}/{model}/{measure}/n{budget}/{culture}/training.jsonl"
ADAPTER = "results/caredio/{trainer}/{model}/{measure}/n{budget}/{culture}/adapter"
# §4.2 (3): the CultureSPA baseline, CultureSPA's culture-specific data (results/culturespa/) fine-tuned
# with CAReDiO's SFT recipe, one adapter per culture
CULTURESPA_TRAINING_SET = "results/caredio/sft/{model}/culturespa-data/{culture}/training.jsonl"
CULTURESPA_ADAPTER = "results/caredio/sft/{model}/culturespa-data/{culture}/adapter"
BENCHMARK = "results/caredio/benchmarks/{benchmark}.{ext}"
BENCHMARK_EXT = {"globalopinionqa": "csv", "culturalbench-hard": "csv", "culturebank": "csv", "prism": "jsonl"}
# one job per (backbone, method): every benchmark and culture (a CAReDiO method loads each culture's
# adapter in turn), so a job pays the start-up of Python and the model once
PREDICTION = "results/caredio/predictions/{model}/{method}.json"
SCORE = "results/caredio/scores/{model}/{method}.json"
# the judge's 1-5 ratings of a prediction's CultureBank and Prism answers
JUDGEMENTS = "results/caredio/judgements/{model}/{method}/{judge}.json"


def benchmark_path(name: str) -> str:
    """The workflow's copy of benchmark `name` (its file format kept: Prism is JSON lines)."""
    return BENCHMARK.format(benchmark=name, ext=BENCHMARK_EXT[name])
