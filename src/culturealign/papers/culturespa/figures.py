"""CultureSPA's Figure 1 (per-country score, culture-unaware vs culture-aware prompting) and Figure 5
(cross-cultural alignment matrices, §6.2), as PNG and PDF with their data as CSV and JSON."""

from __future__ import annotations

import math

from scipy import stats

from ...parsing import get_parser
from ...plots import plt, save
from ...registry import get_method
from ...scoring import alignment_score
from ...tables import fmt, read_country_scores, write_csv
from .tables import PAPER_COUNTRIES, per_country_means


def figure1(rows: list[tuple[str, str]], files: list[str], published: dict[str, float], caption: str,
            outputs: list[str], csv_out: str, description: str | None = None) -> list[dict]:
    """Bars per country, one per method (culture-unaware, P1); `published`: country -> the paper's P1
    score of Table 2 (Figure 1 prints no numbers; its culture-aware bars are Table 2's P1 Baseline)."""
    data = {method: per_country_means(read_country_scores(path)) for (_, method), path in zip(rows, files)}
    countries = [c for c in PAPER_COUNTRIES if any(c in d for d in data.values())]
    fig, ax = plt.subplots(figsize=(max(6, 0.6 * len(countries) + 2), 4))
    width = 0.8 / max(1, len(data))
    table = []
    for i, (method, per_country) in enumerate(data.items()):
        label = get_method(method).label
        xs = [j + (i - (len(data) - 1) / 2) * width for j in range(len(countries))]
        ax.bar(xs, [per_country.get(c, math.nan) for c in countries], width, label=label)
        for country in countries:
            pub = published.get(country) if method == "p1" else None
            score = per_country.get(country)
            table.append({"model": rows[0][0], "method": label, "country": country, "score": fmt(score),
                          "published": fmt(pub),
                          "diff_vs_published": fmt(score - pub) if score is not None and pub is not None else ""})
    pub_x = [j for j, c in enumerate(countries) if c in published]
    if pub_x:
        ax.plot(pub_x, [published[countries[j]] for j in pub_x], "k_", markersize=14, linestyle="none",
                label="published P1 (Table 2)")
    ax.set_xticks(range(len(countries)), countries)
    ax.set_ylabel("cultural alignment score (eq. 1)")
    ax.set_title(f"Culture-unaware vs culture-aware prompting: {rows[0][0]}")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    ax.grid(axis="y", alpha=0.3)
    fig.suptitle("CultureSPA Figure 1")
    fig.text(0.5, -0.04, caption, ha="center", fontsize=8, wrap=True)
    save(fig, outputs, description)
    write_csv(csv_out, table)
    return table


def _answers(records: list[dict], questions: dict[str, dict], parser: str) -> dict[int, dict[str, dict[str, int]]]:
    """seed -> country -> qid -> the parsed answer (valid answers only)."""
    parse = get_parser(parser)
    out: dict[int, dict[str, dict[str, int]]] = {}
    for r in records:
        options = [o["id"] for o in questions[r["qid"]]["options"]]
        parsed = parse(r["response"], options, bool(r.get("reasoning")))
        if parsed.valid:
            out.setdefault(int(r["seed"]), {}).setdefault(r["country"], {})[r["qid"]] = parsed.answer
    return out


def pair_score(a: dict[str, int], b: dict[str, int], questions: dict[str, dict]) -> float:
    """Eq. (1) between two answer sets, over the questions both answered (code: compare_res_res)."""
    shared = sorted(a.keys() & b.keys())
    return alignment_score([a[q] for q in shared], [b[q] for q in shared],
                           [len(questions[q]["options"]) for q in shared])


def matrix(answers_by_seed: list[dict[str, dict[str, int]]], countries: list[str], questions) -> list[list[float]]:
    """S(X_ci, X_cj) for every pair of countries, the mean over seeds."""
    out = []
    for ci in countries:
        row = []
        for cj in countries:
            values = [pair_score(ans.get(ci, {}), ans.get(cj, {}), questions) for ans in answers_by_seed]
            values = [v for v in values if not math.isnan(v)]
            row.append(sum(values) / len(values) if values else math.nan)
        out.append(row)
    return out


def off_diagonal_r(reference: list[list[float]], other: list[list[float]]) -> float:
    """Pearson r over the cells above the diagonal (the matrices are symmetric); NaN with fewer than 3."""
    n = len(reference)
    pairs = [(reference[i][j], other[i][j]) for i in range(n) for j in range(i + 1, n)
             if not (math.isnan(reference[i][j]) or math.isnan(other[i][j]))]
    if len(pairs) < 3 or len({x for x, _ in pairs}) < 2 or len({y for _, y in pairs}) < 2:
        return math.nan
    return float(stats.pearsonr([x for x, _ in pairs], [y for _, y in pairs]).statistic)


def figure5(methods: list[str], records: dict[str, list[dict]], questions: dict[str, dict], qids: list[str],
            countries: list[str], parser: str, caption: str, outputs: list[str], csv_out: str,
            description: str | None = None) -> list[dict]:
    """The WVS reference S(A_ci, A_cj) over `qids` (the questions asked) and, per method, S(R_ci, R_cj)
    from its outputs, each panel titled with its Pearson r against the reference."""
    countries = [c for c in PAPER_COUNTRIES if c in countries]
    truth = {c: {q: questions[q]["ground_truth"][c] for q in qids if questions[q]["ground_truth"].get(c) is not None}
             for c in countries}
    panels = [("WVS", matrix([truth], countries, questions), None)]
    for method in methods:
        by_seed = _answers(records[method], questions, parser)
        m = matrix([by_seed[s] for s in sorted(by_seed)], countries, questions)
        panels.append((get_method(method).label, m, off_diagonal_r(panels[0][1], m)))
    fig, axes = plt.subplots(1, len(panels), figsize=(4.2 * len(panels), 4), squeeze=False)
    table = []
    size = 7 if len(countries) <= 6 else 4
    for ax, (label, m, r) in zip(axes[0], panels):
        image = ax.imshow(m, vmin=0, vmax=100, cmap="viridis")
        for i in range(len(countries)):
            for j in range(len(countries)):
                if not math.isnan(m[i][j]):
                    ax.text(j, i, f"{m[i][j]:.0f}", ha="center", va="center", fontsize=size,
                            color="black" if m[i][j] > 60 else "white")
        ax.set_xticks(range(len(countries)), countries, rotation=90, fontsize=7)
        ax.set_yticks(range(len(countries)), countries, fontsize=7)
        ax.set_title(label if r is None else f"{label} (r = {'n/a' if math.isnan(r) else f'{r:.2f}'})", fontsize=9)
        for i, ci in enumerate(countries):
            for j, cj in enumerate(countries):
                table.append({"panel": label, "country_i": ci, "country_j": cj, "score": fmt(m[i][j]),
                              "pearson_r_vs_wvs": "" if r is None else fmt(r, 4)})
    fig.colorbar(image, ax=list(axes[0]), shrink=0.8, label="alignment score (eq. 1)")
    fig.suptitle("Cross-cultural alignment scores (CultureSPA Figure 5)")
    fig.text(0.5, -0.06, caption, ha="center", fontsize=8, wrap=True)
    save(fig, outputs, description)
    write_csv(csv_out, table)
    return table
