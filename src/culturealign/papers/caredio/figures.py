"""CAReDiO Figure 3: (a) PCA of the selected data's embeddings coloured by culture (scikit-learn PCA
on the sentence embeddings the selection used), (b) each culture's most significant phrases by tf-idf
(scikit-learn TfidfVectorizer over one document per culture: its selected samples' questions and
answers, English stop words removed, uni- and bigrams), drawn as bar charts (the paper draws word
clouds of the same scores)."""

from __future__ import annotations

import numpy as np

from ...plots import plt, save
from ...tables import write_csv
from .grid import BENCHMARK_LABELS, figure2_method

Y_LABELS = {"globalopinionqa": "100 x (1 - JS distance)", "culturalbench-hard": "accuracy (%)",
            "culturebank": "mean judge rating (1-5)", "prism": "mean judge rating (1-5)"}

TOP_PHRASES = 10


def figure2(scores: list[dict], budgets: list[int], cultures: list[str], caption: str, outputs: list[str],
            csv_out: str, description: str | None = None) -> list[dict]:
    """Score (averaged over the cultures) against the number of training samples per culture, one
    panel per benchmark, one line per backbone, the backbone's own score dashed."""
    def average(per: dict):
        values = [per[c]["score"] for c in cultures if c in per and per[c]["score"] is not None]
        return sum(values) / len(values) if values else None

    by_model: dict[str, dict] = {}
    for s in scores:
        by_model.setdefault(s["model"], {})[s["method"]] = s["benchmarks"]
    found = {b for s in scores for b in s["benchmarks"]}
    benchmarks = [b for b in BENCHMARK_LABELS if b in found]
    rows = []
    fig, axes = plt.subplots(1, len(benchmarks), figsize=(4.5 * len(benchmarks), 3.8), squeeze=False)
    fig.subplots_adjust(wspace=0.35)  # room for each panel's y label
    for ax, bench in zip(axes[0], benchmarks):
        for model, methods in by_model.items():
            points = []
            for budget in budgets:
                value = average(methods[figure2_method(budgets, budget)][bench])
                points.append(value)
                rows.append({"model": model, "benchmark": bench, "budget": budget,
                             "score": "" if value is None else f"{value:.4f}"})
            line = ax.plot(budgets, [float("nan") if v is None else v for v in points], marker="o", label=model)[0]
            base = average(methods["backbone"][bench])
            if base is not None:
                ax.axhline(base, color=line.get_color(), linestyle="--", linewidth=0.8)
                rows.append({"model": model, "benchmark": bench, "budget": 0, "score": f"{base:.4f}"})
        ax.set_xlabel("training samples per culture")
        ax.set_ylabel(Y_LABELS[bench])
        ax.set_title(BENCHMARK_LABELS[bench], fontsize=9)
        ax.legend(fontsize=7)
    fig.suptitle("Results for different numbers of training samples (CAReDiO Figure 2)")
    fig.text(0.5, -0.06, caption, ha="center", fontsize=8, wrap=True)
    save(fig, outputs, description)
    write_csv(csv_out, rows)
    return rows


def top_phrases(documents: dict[str, str], k: int = TOP_PHRASES) -> dict[str, list[tuple[str, float]]]:
    """culture -> its k phrases of highest tf-idf weight (ties: alphabetical)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    cultures = list(documents)
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), stop_words="english", sublinear_tf=True)
    weights = vectorizer.fit_transform([documents[c] for c in cultures]).toarray()
    vocab = vectorizer.get_feature_names_out()
    out = {}
    for i, culture in enumerate(cultures):
        order = sorted(range(len(vocab)), key=lambda j: (-weights[i, j], vocab[j]))[:k]
        out[culture] = [(str(vocab[j]), float(weights[i, j])) for j in order if weights[i, j] > 0]
    return out


def figure3(points: dict[str, np.ndarray], documents: dict[str, str], caption: str, outputs: list[str],
            csv_out: str, description: str | None = None) -> dict:
    """points: culture -> the embeddings of its selected samples; documents: culture -> their text."""
    from sklearn.decomposition import PCA

    cultures = [c for c in points if len(points[c])]
    stacked = np.concatenate([points[c] for c in cultures])
    coords = PCA(n_components=2, random_state=0).fit_transform(stacked) if len(stacked) >= 2 else np.zeros((len(stacked), 2))
    phrases = top_phrases({c: documents[c] for c in cultures})
    fig, axes = plt.subplots(1, 1 + len(cultures), figsize=(4.5 + 4.2 * len(cultures), 4.2), squeeze=False)
    fig.subplots_adjust(wspace=0.75)  # room for the phrases beside each bar chart
    ax = axes[0][0]
    rows, start = [], 0
    for culture in cultures:
        n = len(points[culture])
        xy = coords[start : start + n]
        ax.scatter(xy[:, 0], xy[:, 1], s=12, label=culture, alpha=0.8)
        rows += [{"culture": culture, "kind": "pca", "x": f"{x:.6f}", "y": f"{y:.6f}"} for x, y in xy]
        start += n
    ax.set_title("(a) PCA of the selected samples' embeddings", fontsize=9)
    ax.legend(fontsize=7)
    for ax, culture in zip(axes[0][1:], cultures):
        items = phrases[culture][::-1]
        ax.barh(range(len(items)), [w for _, w in items])
        ax.set_yticks(range(len(items)), [p for p, _ in items], fontsize=7)
        ax.set_title(f"(b) {culture}: top tf-idf phrases", fontsize=9)
        rows += [{"culture": culture, "kind": "tfidf", "phrase": p, "weight": f"{w:.6f}"} for p, w in phrases[culture]]
    fig.suptitle("Distribution and distinctive phrases of the selected data (CAReDiO Figure 3)")
    fig.text(0.5, -0.04, caption, ha="center", fontsize=8, wrap=True)
    save(fig, outputs, description)
    write_csv(csv_out, rows)
    return {"cultures": cultures, "phrases": phrases}
