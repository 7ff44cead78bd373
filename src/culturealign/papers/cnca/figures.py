"""CNCA's figures (Figures 4 and 5) as PNG and PDF, with their data as CSV and JSON."""

from __future__ import annotations

import csv
import math

from ...plots import plt, save
from ...scoring import summarise
from ...tables import read_country_scores

METHOD_TITLES = {"cnca-tq-ta": "CNCA-TQ (TA)", "cnca-tq-ra": "CNCA-TQ (RA)", "cnca-t": "CNCA-T"}


def _score(path) -> float:
    return summarise(read_country_scores(path))["score"]


def figure4(rows: list[tuple[str, str, int]], files: list[str], names: dict[str, str], caption: str,
            outputs: list[str], description: str | None = None) -> dict:
    """CNCA Figure 4: score against the number of low-level norms given, left TA, right RA, one line per
    model. `rows[i]` = (model, method, k) of `files[i]`."""
    data: dict[tuple[str, str], list[tuple[int, float]]] = {}
    for (model, method, k), path in zip(rows, files):
        data.setdefault((method, model), []).append((int(k), _score(path)))
    fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharey=True)
    for ax, method in zip(axes, ("cnca-tq-ta", "cnca-tq-ra")):
        for (m, model), points in data.items():
            if m != method:
                continue
            points.sort()
            ax.plot([k for k, _ in points], [s for _, s in points], marker="o", label=names.get(model, model))
        ax.set_title(METHOD_TITLES[method])
        ax.set_xlabel("number of low-level norms given")
        ax.set_xticks(sorted({k for _, _, k in rows}))
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("alignment score (CNCA eq. 3, 0-100)")
    axes[1].legend(loc="best", fontsize=8)
    fig.suptitle("Alignment score vs number of low-level norms (CNCA Figure 4)")
    fig.text(0.5, -0.04, caption, ha="center", fontsize=8, wrap=True)
    save(fig, outputs, description)
    return {f"{model}/{method}": points for (method, model), points in data.items()}


def figure5(rows: list[tuple[str, str, str]], files: list[str], models: dict[str, dict], caption: str,
            outputs: list[str], csv_out: str, description: str | None = None,
            published: dict[tuple[str, str, str], float | None] | None = None) -> list[dict]:
    """CNCA Figure 5 as the paper draws it: grouped bars, one panel per mining method (CNCA-T,
    CNCA-TQ (TA)); x: the inference (evaluator) models, y: the alignment score, colour: the model that
    mined the norms. `rows[i]` = (evaluator, method, miner) of `files[i]`. `published`: (evaluator
    paper label, method label, miner paper label) -> the paper's number (only 67.23 is quoted in the
    text: R1-Qwen-14B with R1-Qwen-7B's CNCA-TQ (TA) norms), drawn as a black marker on its bar and
    written beside the reproduced value in the CSV."""
    published = published or {}
    names = {m: spec.get("name", m) for m, spec in models.items()}

    def paper(model):
        return models.get(model, {}).get("paper_label", "")

    cells = {(ev, method, miner): _score(path) for (ev, method, miner), path in zip(rows, files)}
    evaluators = list(dict.fromkeys(ev for ev, _, _ in rows))
    miners = list(dict.fromkeys(mi for _, _, mi in rows))
    methods = list(dict.fromkeys(me for _, me, _ in rows))
    table = []
    for method in methods:
        for ev in evaluators:
            for mi in miners:
                score = cells[(ev, method, mi)]
                pub = published.get((paper(ev), METHOD_TITLES[method], paper(mi)))
                table.append({"method": METHOD_TITLES[method], "evaluator": ev, "miner": mi,
                              "score": "" if math.isnan(score) else f"{score:.2f}",
                              "published": "" if pub is None else f"{pub:.2f}",
                              "diff_vs_published": "" if pub is None or math.isnan(score) else f"{score - pub:.2f}"})
    with open(csv_out, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(table[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(table)
    fig, axes = plt.subplots(1, len(methods), figsize=(max(5.0, 1.6 * len(evaluators) * max(1, len(miners) / 2))
                                                       * len(methods), 4.5),
                             squeeze=False, sharey=True, constrained_layout=True)
    width = 0.8 / len(miners)
    for ax, method in zip(axes[0], methods):
        for j, mi in enumerate(miners):
            xs = [i - 0.4 + width * (j + 0.5) for i in range(len(evaluators))]
            heights = [cells[(ev, method, mi)] for ev in evaluators]
            bars = ax.bar(xs, heights, width, label=f"norms by {names.get(mi, mi)}", color=f"C{j}")
            ax.bar_label(bars, fmt="%.2f", fontsize=7, padding=2)
            for x, ev in zip(xs, evaluators):
                pub = published.get((paper(ev), METHOD_TITLES[method], paper(mi)))
                if pub is not None:
                    ax.plot([x], [pub], marker="*", markersize=12, color="black", linestyle="none",
                            label=f"published: {pub:.2f}")
        ax.set_xticks(range(len(evaluators)), [names.get(e, e) for e in evaluators], rotation=15, ha="right")
        ax.set_xlabel("inference model")
        ax.set_title(METHOD_TITLES[method])
        ax.grid(axis="y", alpha=0.3)
        values = [v for v in cells.values() if not math.isnan(v)] + [v for v in published.values() if v]
        if values:
            ax.set_ylim(max(0.0, min(values) - 10), min(100.0, max(values) + 5))
    axes[0][0].set_ylabel("alignment score (CNCA eq. 3, 0-100)")
    handles, labels = axes[0][-1].get_legend_handles_labels()
    for ax in axes[0][:-1]:
        for h, lab in zip(*ax.get_legend_handles_labels()):
            if lab not in labels:
                handles.append(h)
                labels.append(lab)
    axes[0][-1].legend(handles, labels, loc="lower right", fontsize=7)
    fig.suptitle("Inference models with norms mined by each model (CNCA Figure 5)")
    fig.supxlabel(caption, fontsize=8)
    save(fig, outputs, description)
    return table
