"""The package's shape: its layers (import-linter contract in pyproject.toml), no block of code
written twice (pylint's duplicate-code check), no rule body repeated in rules/, and no module over
400 lines."""

import re
import subprocess

from conftest import ROOT

BIN = ROOT / ".venv" / "bin"


def test_imports_follow_the_layers():
    run = subprocess.run([str(BIN / "lint-imports")], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "0 broken" in run.stdout


def test_no_block_of_the_package_is_written_twice():
    run = subprocess.run([str(BIN / "pylint"), "--disable=all", "--enable=duplicate-code", "src/"], cwd=ROOT,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-4000:]


def test_no_rule_body_is_repeated():
    """Each directive block of a rule (input, output, params, ...) of three or more lines appears in one
    rule only: a rule that shares a body with another is written `use rule ... with:`."""
    seen = {}
    for smk in sorted((ROOT / "rules").rglob("*.smk")):
        for block in re.split(r"^(?=rule \w+:|use rule )", smk.read_text(), flags=re.M)[1:]:
            name = block.split(":", 1)[0]
            for directive in re.split(r"^    (?=\w+:)", block, flags=re.M)[1:]:
                lines = [line.strip() for line in directive.strip().splitlines()]
                if len(lines) < 4 or lines[0] in ("conda:", "resources:"):
                    continue
                key = "\n".join(lines)
                assert key not in seen, f"{smk.name}: {name} repeats a block of {seen[key]}:\n{key}"
                seen[key] = f"{smk.name}: {name}"


def test_no_module_is_longer_than_400_lines():
    for path in sorted((ROOT / "src" / "culturealign").rglob("*.py")):
        n = len(path.read_text().splitlines())
        assert n <= 400, f"{path.relative_to(ROOT)} has {n} lines"
