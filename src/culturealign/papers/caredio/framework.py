"""CAReDiO Appendix A.1: the 38 topics of the cultural framework in four levels, vendored in
resources/caredio/framework.yaml (levels II-IV in the paper's words)."""

from __future__ import annotations

from pathlib import Path

import yaml

LEVELS = ("I", "II", "III", "IV")  # cultural values, social norms, behavioral practices, specific customs
N_TOPICS = 38


class FrameworkError(ValueError):
    pass


def load_framework(path: str | Path) -> list[dict]:
    """Every topic as {level, level_name, name, description[, group]}; the error names the file and
    what is wrong (a level out of I-IV, a topic without a description, a repeated name, a count other
    than 38)."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    topics = []
    for level in data["levels"]:
        if level["level"] not in LEVELS:
            raise FrameworkError(f"{path}: level {level['level']!r} is not one of {list(LEVELS)}")
        for topic in level["topics"]:
            if not str(topic.get("description", "")).strip():
                raise FrameworkError(f"{path}: topic {topic.get('name')!r} has no description")
            topics.append({"level": level["level"], "level_name": level["name"], **topic})
    names = [t["name"] for t in topics]
    if len(set(names)) != len(names):
        raise FrameworkError(f"{path}: repeated topic names {sorted({n for n in names if names.count(n) > 1})}")
    if len(topics) != N_TOPICS:
        raise FrameworkError(f"{path}: {len(topics)} topics; Appendix A.1 has {N_TOPICS}")
    return topics
