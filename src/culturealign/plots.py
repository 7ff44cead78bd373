"""The paper's figures (CNCA Figures 4 and 5) as PNG and PDF, with their data as CSV."""

from __future__ import annotations

import csv
import json
import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from .scoring import summarise  # noqa: E402
from .tables import read_country_scores  # noqa: E402

METHOD_TITLES = {"cnca-tq-ta": "CNCA-TQ (TA)", "cnca-tq-ra": "CNCA-TQ (RA)", "cnca-t": "CNCA-T"}


def _score(path) -> float:
    return summarise(read_country_scores(path))["score"]


def describe(fig) -> dict:
    """What a reader sees, read back from the drawn figure: per axes its title, labels and the series
    (line label and points). Written beside each figure so that tests and reviewers can check it."""
    axes = []
    for ax in fig.axes:
        if ax.get_label() == "<colorbar>":
            continue
        series = [{"label": line.get_label(), "x": [float(v) if v % 1 else int(v) for v in line.get_xdata()],
                   "y": [round(float(v), 4) for v in line.get_ydata()]} for line in ax.get_lines()]
        images = [{"rows": [t.get_text() for t in ax.get_yticklabels()],
                   "columns": [t.get_text() for t in ax.get_xticklabels()],
                   "values": [[round(float(v), 4) for v in row] for row in im.get_array().tolist()]}
                  for im in ax.get_images()]
        axes.append({"title": ax.get_title(), "xlabel": ax.get_xlabel(), "ylabel": ax.get_ylabel(),
                     "series": series, "images": images})
    return {"suptitle": fig._suptitle.get_text() if fig._suptitle else "", "axes": axes}


def _save(fig, outputs: list[str], description: str | None = None) -> None:
    if description:
        with open(description, "w") as handle:
            json.dump(describe(fig), handle, indent=1)
            handle.write("\n")
    for out in outputs:
        # Fixed metadata: the same data gives the same bytes (no creation date in the file).
        meta = {"Software": None} if out.endswith(".png") else {"CreationDate": None, "Producer": None}
        fig.savefig(out, dpi=150, bbox_inches="tight", metadata=meta)
    plt.close(fig)


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
    _save(fig, outputs, description)
    return {f"{model}/{method}": points for (method, model), points in data.items()}


def figure5(rows: list[tuple[str, str, str]], files: list[str], names: dict[str, str], caption: str,
            outputs: list[str], csv_out: str, description: str | None = None) -> list[dict]:
    """CNCA Figure 5: score of each evaluator (rows) with norms mined by each miner (columns), for
    CNCA-T and CNCA-TQ (TA); the matrix also as CSV. `rows[i]` = (evaluator, method, miner)."""
    cells = {(ev, method, miner): _score(path) for (ev, method, miner), path in zip(rows, files)}
    evaluators = list(dict.fromkeys(ev for ev, _, _ in rows))
    miners = list(dict.fromkeys(mi for _, _, mi in rows))
    methods = list(dict.fromkeys(me for _, me, _ in rows))
    table = [{"method": METHOD_TITLES[method], "evaluator": ev,
              **{f"miner:{mi}": f"{cells[(ev, method, mi)]:.2f}" for mi in miners}}
             for method in methods for ev in evaluators]
    with open(csv_out, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(table[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(table)
    fig, axes = plt.subplots(1, len(methods), figsize=(4.5 * len(methods) + 2, 1.2 * len(evaluators) + 2.5),
                             squeeze=False, sharey=True, constrained_layout=True)
    values = [v for v in cells.values() if not math.isnan(v)]
    vmin, vmax = (min(values), max(values)) if values else (0, 100)
    for ax, method in zip(axes[0], methods):
        matrix = [[cells[(ev, method, mi)] for mi in miners] for ev in evaluators]
        image = ax.imshow(matrix, cmap="viridis", vmin=vmin, vmax=vmax + 1e-9, aspect="auto")
        middle = (vmin + vmax) / 2
        for i, row in enumerate(matrix):
            for j, value in enumerate(row):
                ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=9,
                        color="black" if value > middle else "white")
        ax.set_xticks(range(len(miners)), [names.get(m, m) for m in miners], rotation=30, ha="right")
        ax.set_yticks(range(len(evaluators)), [names.get(e, e) for e in evaluators])
        ax.set_xlabel("norm miner")
        ax.set_title(METHOD_TITLES[method])
    axes[0][0].set_ylabel("evaluator")
    fig.colorbar(image, ax=axes[0].tolist(), label="alignment score (0-100)")
    fig.suptitle("Evaluators with norms mined by each miner (CNCA Figure 5)")
    fig.supxlabel(caption, fontsize=8)
    _save(fig, outputs, description)
    return table
