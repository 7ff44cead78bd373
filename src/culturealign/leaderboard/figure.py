"""The leaderboard's figure: one panel per score (WVS alignment, GlobalOpinionQA, CulturalBench-Hard),
one bar per row in the table's order (best WVS score first), coloured by paper, hatched when
fine-tuned, each bar labelled with its value; "n/a": the row has no such score (the table's note says
why). '*' after a WVS value: its difference to the next row holds (the table's paired test)."""

from __future__ import annotations

import math

from ..plots import plt, save

PANELS = (("wvs_score", "WVS alignment (CNCA eq. 3)"),
          ("globalopinionqa", "GlobalOpinionQA: 100 x (1 - JSD)"),
          ("culturalbench_hard", "CulturalBench-Hard: accuracy (%)"))
COLOURS = {"CNCA": "tab:blue", "CultureSPA": "tab:orange", "CAReDiO": "tab:green", "reference": "tab:grey"}


def _value(text) -> float:
    return float(text) if text not in ("", None) else math.nan


def figure(rows: list[dict], caption: str, outputs: list[str], description: str | None = None) -> None:
    from matplotlib.patches import Patch

    labels = [f"{r['paper']}: {r['method']}" for r in rows]
    fig, axes = plt.subplots(len(PANELS), 1, figsize=(max(8.0, 0.42 * len(rows)), 10), sharex=True)
    for ax, (column, title) in zip(axes, PANELS):
        shown = [(x, _value(r[column]), r) for x, r in enumerate(rows) if not math.isnan(_value(r[column]))]
        bars = ax.bar([x for x, _, _ in shown], [v for _, v, _ in shown],
                      color=[COLOURS.get(r["paper"], "tab:purple") for _, _, r in shown], label=column)
        for bar, (_, value, r) in zip(bars, shown):
            if r["kind"] == "fine-tuned":
                bar.set_hatch("//")
            mark = "*" if column == "wvs_score" and r.get("holds") == "yes" else ""
            ax.annotate(f"{value:.1f}{mark}", (bar.get_x() + bar.get_width() / 2, value), ha="center", va="bottom",
                        fontsize=6, rotation=90, xytext=(0, 1), textcoords="offset points")
        for x in sorted(set(range(len(rows))) - {x for x, _, _ in shown}):
            ax.annotate("n/a", (x, 0), ha="center", va="bottom", fontsize=6, rotation=90, color="grey",
                        xytext=(0, 1), textcoords="offset points")
        ax.set_title(title, fontsize=10)
        ax.set_ylabel("score")
        ax.set_ylim(0, 100)  # every score is on a 0-100 scale
        ax.grid(axis="y", alpha=0.3)
    axes[-1].set_xticks(range(len(rows)), labels, rotation=65, ha="right", fontsize=8)
    papers = list(dict.fromkeys(r["paper"] for r in rows))
    handles = [Patch(color=COLOURS.get(p, "tab:purple"), label=p) for p in papers]
    handles.append(Patch(facecolor="white", edgecolor="black", hatch="//", label="fine-tuned"))
    fig.suptitle(f"Leaderboard: {caption}", fontsize=10)
    fig.legend(handles=handles, fontsize=8, ncol=len(handles), loc="upper center", bbox_to_anchor=(0.5, 0.965),
               frameon=False)
    fig.tight_layout(rect=(0, 0, 1, 0.94))
    save(fig, outputs, description)
