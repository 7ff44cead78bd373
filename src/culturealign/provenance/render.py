"""Three views of a Trace: JSON (`--format json`), a text tree (the default) and Graphviz (`--dot`)."""

from __future__ import annotations

from .trace import Node, Trace


def as_json(trace: Trace) -> dict:
    return {
        "target": trace.target,
        "ok": trace.ok,
        "problems": [p.as_dict() for p in trace.problems],
        "nodes": {p: n.as_dict() for p, n in sorted(trace.nodes.items())},
        "roots": [{"path": n.path, "kind": n.kind, "sha256": n.sha256, "status": n.status} for n in trace.roots()],
        "models": trace.models(),
    }


def _label(node: Node) -> str:
    sha = (node.sha256 or "-")[:12]
    what = f"rule {node.rule}" if node.rule else node.kind
    mark = "ok" if node.status == "ok" else node.status.upper()
    return f"{node.path}  [{mark}]  sha256 {sha}  ({what})"


def text(trace: Trace) -> str:
    lines: list[str] = []
    shown: set[str] = set()

    def walk(path: str, prefix: str, last: bool, top: bool) -> None:
        node = trace.nodes[path]
        branch = "" if top else ("└── " if last else "├── ")
        again = path in shown and node.children
        lines.append(prefix + branch + _label(node) + ("  (inputs shown above)" if again else ""))
        if again:
            return
        shown.add(path)
        child_prefix = prefix + ("" if top else ("    " if last else "│   "))
        for i, child in enumerate(node.children):
            walk(child, child_prefix, i == len(node.children) - 1, False)

    walk(trace.target, "", True, True)
    lines.append("")
    derived = sum(1 for n in trace.nodes.values() if n.kind == "derived")
    lines.append(f"{len(trace.nodes)} files in the lineage: {derived} made by the workflow, "
                 f"{len(trace.roots())} roots")
    for node in trace.roots():
        lines.append(f"  root {node.path}  sha256 {node.sha256}  [{node.status}]")
    for model in trace.models():
        lines.append(f"  model {model.get('id')}: {model.get('source')} {model.get('name')} "
                     f"revision {model.get('revision')}, weights {model.get('weights_sha256')}")
    if trace.ok:
        lines.append("every recorded checksum matches the files on disk")
    else:
        lines.append(f"{len(trace.problems)} problem(s):")
        lines.extend(f"  {p.kind.upper()}: {p.message}" for p in trace.problems)
    return "\n".join(lines) + "\n"


def dot(trace: Trace) -> str:
    def q(s: str) -> str:
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

    out = ["digraph lineage {", "  rankdir=LR;", "  node [shape=box, fontname=monospace, fontsize=10];"]
    for path, node in sorted(trace.nodes.items()):
        label = f"{path}\\n{node.rule or node.kind}\\nsha256 {(node.sha256 or '-')[:12]}"
        color = "black" if node.status in ("ok", "not-here") else "red"
        shape = ", shape=ellipse" if node.kind != "derived" else ""
        out.append(f"  {q(path)} [label={q(label)}, color={color}{shape}];")
    for path, node in sorted(trace.nodes.items()):
        for child in node.children:
            out.append(f"  {q(child)} -> {q(path)};")
    out.append("}")
    return "\n".join(out) + "\n"
