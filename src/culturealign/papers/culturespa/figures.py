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
from .grid import BASELINE_LABEL
from .tables import PAPER_COUNTRIES, per_country_means


def row_label(method: str, variant: str) -> str:
    """A bar's or row's name: the prompting method, with the fine-tuned model when there is one."""
    label = get_method(method).label
    return label if variant == BASELINE_LABEL else f"{variant}, {label}"


def figure1(rows: list[list], files: list[str], published: dict[str, dict[str, float]], caption: str,
            outputs: list[str], csv_out: str, description: str | None = None) -> list[dict]:
    """Bars per country, one per row (culture-unaware, P1, CultureSPA with P1); `published`: row label
    -> country -> the paper's Table 2 score of that row (Figure 1 prints no numbers; its culture-aware
    bars are Table 2's P1 Baseline, CultureSPA's its P1 CultureSPA row)."""
    data = {row_label(method, variant): per_country_means(read_country_scores(path))
            for (_, method, variant, _), path in zip(rows, files)}
    countries = [c for c in PAPER_COUNTRIES if any(c in d for d in data.values())]
    fig, ax = plt.subplots(figsize=(max(6, 0.8 * len(countries) + 2), 4))
    width = 0.8 / max(1, len(data))
    table = []
    for i, (label, per_country) in enumerate(data.items()):
        xs = [j + (i - (len(data) - 1) / 2) * width for j in range(len(countries))]
        bars = ax.bar(xs, [per_country.get(c, math.nan) for c in countries], width, label=label)
        pub_x = [(x, published[label][c]) for x, c in zip(xs, countries) if c in published.get(label, {})]
        if pub_x:
            ax.plot([x for x, _ in pub_x], [v for _, v in pub_x], "_", color=bars.patches[0].get_facecolor(),
                    markersize=10, markeredgewidth=2, linestyle="none", markeredgecolor="black")
        for country in countries:
            pub = published.get(label, {}).get(country)
            score = per_country.get(country)
            table.append({"model": rows[0][0], "method": label, "country": country, "score": fmt(score),
                          "published": fmt(pub),
                          "diff_vs_published": fmt(score - pub) if score is not None and pub is not None else ""})
    ax.plot([], [], "k_", markersize=10, markeredgewidth=2, linestyle="none", label="published (Table 2)")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    return _country_bars(fig, ax, countries, "cultural alignment score (eq. 1)",
                         f"Culture-unaware vs culture-aware prompting: {rows[0][0]}", "CultureSPA Figure 1", caption,
                         outputs, csv_out, table, description)


def _country_bars(fig, ax, countries, ylabel, title, suptitle, caption, outputs, csv_out, table, description):
    """The common end of the per-country bar figures (1 and 4): axes, caption, files."""
    ax.set_xticks(range(len(countries)), countries)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(axis="y", alpha=0.3)
    fig.suptitle(suptitle)
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


def figure4(rows: list[list], files: list[str], caption: str, outputs: list[str], csv_out: str,
            description: str | None = None) -> list[dict]:
    """Per country, each selection rule's fine-tuned model (P1) minus the P1 baseline (the first row),
    as grouped bars (Figure 4 prints no numbers)."""
    means = [per_country_means(read_country_scores(path)) for path in files]
    baseline, rules = means[0], list(zip([r[2] for r in rows[1:]], means[1:]))
    countries = [c for c in PAPER_COUNTRIES if c in baseline]
    fig, ax = plt.subplots(figsize=(max(6, 0.8 * len(countries) + 2), 4))
    width = 0.8 / max(1, len(rules))
    table = []
    for i, (rule, per_country) in enumerate(rules):
        deltas = [per_country.get(c, math.nan) - baseline[c] for c in countries]
        ax.bar([j + (i - (len(rules) - 1) / 2) * width for j in range(len(countries))], deltas, width, label=rule)
        table += [{"model": rows[0][0], "rule": rule, "country": c, "baseline_p1": fmt(baseline[c]),
                   "score": fmt(per_country.get(c)), "change": fmt(d)} for c, d in zip(countries, deltas)]
    ax.axhline(0, color="black", linewidth=0.8)
    ax.legend(fontsize=8)
    return _country_bars(fig, ax, countries, "change in alignment score vs P1 baseline",
                         f"Data sampling strategies: {rows[0][0]}", "CultureSPA Figure 4", caption, outputs, csv_out,
                         table, description)


def figure3(selections: dict[str, dict], generated: list[dict], topics: dict[int, str], caption: str,
            outputs: list[str], csv_out: str, description: str | None = None) -> list[dict]:
    """Topic x country counts of the activation data (CRQPC examples), one heatmap per variant
    (a: culture-aware answers - CultureSPA; b: cross-culture thinking - CultureSPA (CCT))."""
    topic_of = {q["id"]: int(q["topic_id"]) for q in generated}
    panels, table = [], []
    for variant, selection in selections.items():
        countries = [c for c in PAPER_COUNTRIES if c in selection["counts"]]
        counts = [[0] * len(countries) for _ in topics]
        tids = sorted(topics)
        for e in selection["examples"]:
            if e["rule"] == "crqpc" and e["country"] in countries:
                counts[tids.index(topic_of[e["qid"]])][countries.index(e["country"])] += 1
        panels.append((variant, countries, counts))
        table += [{"variant": variant, "topic_id": t, "topic": topics[t], "country": c, "examples": counts[i][j]}
                  for i, t in enumerate(tids) for j, c in enumerate(countries)]
    fig, axes = plt.subplots(1, len(panels), figsize=(1.2 + 4.5 * len(panels), 5), squeeze=False)
    for ax, (variant, countries, counts), letter in zip(axes[0], panels, "abcd"):
        image = ax.imshow(counts, cmap="Reds", aspect="auto")
        top = max((n for row in counts for n in row), default=0)
        for i, row in enumerate(counts):
            for j, n in enumerate(row):
                ax.text(j, i, str(n), ha="center", va="center", fontsize=6,
                        color="white" if top and n > top / 2 else "black")
        ax.set_xticks(range(len(countries)), countries, rotation=90, fontsize=7)
        ax.set_yticks(range(len(topics)), [topics[t] for t in sorted(topics)], fontsize=6)
        ax.set_title(f"({letter}) {'CultureSPA' if variant == 'aware' else 'CultureSPA (CCT)'}", fontsize=9)
        fig.colorbar(image, ax=ax, shrink=0.8)
    fig.suptitle("Topics and cultures of the activation data (CultureSPA Figure 3)")
    fig.text(0.5, -0.04, caption, ha="center", fontsize=8, wrap=True)
    save(fig, outputs, description)
    write_csv(csv_out, table)
    return table
