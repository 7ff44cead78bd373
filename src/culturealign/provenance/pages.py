"""One self-contained HTML page per table or figure for `snakemake --report`: the reproduced result,
the paper's published numbers beside it, and its lineage summary (roots, model weights and adapters
with their SHA-256, every record verified when the page was made)."""

from __future__ import annotations

import base64
import csv
import html
from pathlib import Path

from .trace import Trace

STYLE = """body{font-family:sans-serif;font-size:13px;margin:1em}table{border-collapse:collapse;margin:.5em 0}
td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}th{background:#eee}.published{background:#fff4d6}
.bad{color:#b00;font-weight:bold}code,.sha{font-family:monospace;font-size:12px}pre{white-space:pre-wrap}"""


def summary_rows(trace: Trace, config_id: dict) -> list[dict]:
    """The lineage summary: the artifact, its roots, model weights, adapters, and every problem."""
    target = trace.nodes[trace.target]
    rows = [{"kind": "artifact", "path": trace.target, "sha256": target.sha256, "status": target.status,
             "detail": f"config {' + '.join(config_id['files'])} (sha256 {config_id['sha256'][:12]})"}]
    for node in trace.roots():
        rows.append({"kind": "root" if node.kind == "root" else "model source", "path": node.path,
                     "sha256": node.sha256, "status": node.status, "detail": ""})
    for model in trace.models():
        folder = model["manifest"].rsplit("/", 1)[0]
        for name, sha in sorted((model.get("weights_sha256") or {}).items()):
            rows.append({"kind": "model weights", "path": f"{folder}/weights/{name}", "sha256": sha, "status": "ok",
                         "detail": f"{model.get('id')}: {model.get('source')} {model.get('name')} "
                                   f"revision {model.get('revision')}"})
    adapters = sorted({(a["path"], a["sha256"]) for r in trace.records.values() for a in r.get("adapters", [])})
    rows += [{"kind": "adapter", "path": p, "sha256": sha, "status": "ok", "detail": ""} for p, sha in adapters]
    flagged = {p.path for p in trace.problems}
    for row in rows:  # weights or adapters that the trace found changed
        if row["status"] == "ok" and any(f == row["path"] or f.startswith(row["path"] + "/") for f in flagged):
            row["status"] = "changed"
    rows.append({"kind": "records", "path": "provenance/", "sha256": "", "status": "ok" if trace.ok else "PROBLEMS",
                 "detail": f"{len(trace.records)} lineage records verified, {len(trace.problems)} problem(s)"})
    rows += [{"kind": "problem", "path": p.path, "sha256": p.now or "", "status": p.kind, "detail": p.message}
             for p in trace.problems]
    return rows


def _table(rows: list[dict], highlight=lambda column: False, caption: str = "") -> str:
    if not rows:
        return "<p>(no rows)</p>"
    columns = list(rows[0])
    head = "".join(f'<th{" class=published" if highlight(c) else ""}>{html.escape(c)}</th>' for c in columns)
    body = "".join(
        "<tr>" + "".join(f'<td{" class=published" if highlight(c) else ""}>{html.escape(str(r.get(c) or ""))}</td>'
                         for c in columns) + "</tr>" for r in rows)
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _read_csv(path: str | Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def published_rows(path: str | Path, table: str | None) -> list[dict]:
    """The paper's numbers for `table` ("3", or several: "2 3") from a vendored CSV with a `table`
    column, as one row per printed row: CNCA's files (`method`, `model`, `published`: one column per
    model), CultureSPA's (`model`, `prompting`, `variant`, `country`, `published`: one column per
    country) or a plain grid (`row`, `column`, `published`; CAReDiO's with a `backbone`). A CSV without a `table` column is shown as it is."""
    rows = _read_csv(path)
    if not rows or "table" not in rows[0]:
        return rows
    rows = [r for r in rows if r["table"] in (table or "").split()]
    if "row" in (rows[0] if rows else {}):  # `table,[backbone,]row,column,published` (CultureSPA 1, 4, 5; CAReDiO)
        grid: dict[tuple, dict] = {}
        for r in rows:
            head = {"table": r["table"], **({"backbone": r["backbone"]} if "backbone" in r else {}), "row": r["row"]}
            grid.setdefault((r.get("backbone"), r["row"]), head)[r["column"]] = r["published"]
        return list(grid.values())
    if "country" in (rows[0] if rows else {}):
        printed: dict[tuple, dict] = {}
        for r in rows:
            key = (r["table"], r["model"], r["prompting"], r["variant"])
            printed.setdefault(key, {"table": r["table"], "model": r["model"], "prompting": r["prompting"],
                                     "variant": r["variant"]})[r["country"]] = r["published"]
        return list(printed.values())
    models = list(dict.fromkeys(r["model"] for r in rows))
    for r in rows:  # p-values and other norms' miners (Figure 5) are rows of their own
        r["method"] += (" (p-value)" if r.get("quantity", "score") != "score" else "") + (
            f" with {r['miner']} norms" if r.get("miner") else "")
    methods = list(dict.fromkeys(r["method"] for r in rows))
    value = {(r["method"], r["model"]): r["published"] for r in rows}
    return [{"method": m, **{model: value.get((m, model), "") for model in models}} for m in methods]


def page(artifact: str, path: str, trace: Trace, rows: list[dict], description: str,
         published: list[dict] | None) -> str:
    p = Path(path)
    if p.suffix == ".csv":
        shown = _table(_read_csv(p), highlight=lambda c: c.startswith("published") or "vs_published" in c)
    elif p.suffix == ".png":
        data = base64.b64encode(p.read_bytes()).decode()
        shown = f'<img alt="{html.escape(artifact)}" style="max-width:100%" src="data:image/png;base64,{data}">'
    else:
        shown = f"<pre>{html.escape(p.read_text(encoding='utf-8'))}</pre>"
    parts = [f"<!doctype html><html><head><meta charset=utf-8><title>{html.escape(artifact)}</title>",
             f"<style>{STYLE}</style></head><body>",
             f"<h2>{html.escape(artifact)}: <code>{html.escape(path)}</code></h2>",
             f'<section id="about"><p>{html.escape(description)}</p></section>',
             f'<section id="result">{shown}</section>']
    if published is not None:
        parts.append('<h3>Published (the paper\'s numbers)</h3><section id="published">'
                     + _table(published, highlight=lambda c: True) + "</section>")
    status = "every recorded checksum verified" if trace.ok else f"{len(trace.problems)} PROBLEM(S)"
    parts.append(f'<h3>Lineage: {html.escape(status)}</h3><section id="lineage">'
                 + _table(rows, caption="roots, model weights and adapters; full tree: culturealign provenance "
                          + path) + "</section></body></html>")
    return "\n".join(parts) + "\n"
