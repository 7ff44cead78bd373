"""What every paper's figures share: a headless matplotlib, byte-stable PNG and PDF files, and a JSON
description of what a reader sees (titles, labels, lines, bars, images) read back from the drawn
figure. Each paper's figures live in culturealign.papers.<paper>.figures."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from .io import write_json  # noqa: E402

def describe(fig) -> dict:
    """What a reader sees, read back from the drawn figure: per axes its title, labels and the series
    (line label and points). Written beside each figure so that tests and reviewers can check it."""
    axes = []
    for ax in fig.axes:
        if ax.get_label() == "<colorbar>":
            continue
        series = [{"label": line.get_label(), "x": [float(v) if v % 1 else int(v) for v in line.get_xdata()],
                   "y": [round(float(v), 4) for v in line.get_ydata()]} for line in ax.get_lines()]
        bars = [{"label": c.get_label(), "x": [t.get_text() for t in ax.get_xticklabels()],
                 "heights": [round(float(b.get_height()), 4) for b in c]} for c in ax.containers]
        images = [{"rows": [t.get_text() for t in ax.get_yticklabels()],
                   "columns": [t.get_text() for t in ax.get_xticklabels()],
                   "values": [[round(float(v), 4) for v in row] for row in im.get_array().tolist()]}
                  for im in ax.get_images()]
        axes.append({"title": ax.get_title(), "xlabel": ax.get_xlabel(), "ylabel": ax.get_ylabel(),
                     "series": series, "bars": bars, "images": images})
    return {"suptitle": fig._suptitle.get_text() if fig._suptitle else "", "axes": axes}


def save(fig, outputs: list[str], description: str | None = None) -> None:
    if description:
        write_json(description, describe(fig))
    for out in outputs:
        # Fixed metadata: the same data gives the same bytes (no creation date in the file).
        meta = {"Software": None} if out.endswith(".png") else {"CreationDate": None, "Producer": None}
        fig.savefig(out, dpi=150, bbox_inches="tight", metadata=meta)
    plt.close(fig)
