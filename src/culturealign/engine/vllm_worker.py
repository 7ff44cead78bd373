"""The vLLM side of the vLLM backend: a process that holds one `vllm.LLM` and answers the requests of
`vllm_backend.VLLMEngine`, one JSON object per line.

It runs in the Python environment that has vLLM (`.venv-vllm/` from `bash setup.sh --vllm` on CPU,
envs/vllm.yaml on a CUDA cluster), which pins its own torch and transformers; the workflow's job runs
in its own environment and talks to it over a pipe. Being a module run with `python -m`, it has the
`__main__` guard that vLLM's spawned processes need (a Snakemake `script:` has none).

Protocol: the client writes requests to stdin; answers go to the file descriptor given by
`--reply-fd` (stdout and stderr both carry vLLM's logging and go to the job's log). Each answer is
{"ok": value} or {"error": traceback}.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback


def cpu_environment(threads: int, kv_cache_gb: float) -> dict[str, str]:
    """vLLM's CPU settings for one job of `threads` threads (set before vLLM is imported):
    - VLLM_CPU_KVCACHE_SPACE: vLLM otherwise takes ~85 % of the host's memory for the KV cache
      (20 GiB on the reference machine) at every start;
    - OMP_NUM_THREADS: vLLM otherwise drops an in-process engine to 1 torch thread;
    - VLLM_CPU_OMP_THREADS_BIND=nobind and no reserved core: by default vLLM binds its worker to core 0
      and reserves the other, so a 2-core machine computes on one core and two jobs share it;
    - VLLM_ENABLE_V1_MULTIPROCESSING=0: the engine core runs in this process instead of a spawned one
      (each spawned process imports vLLM and torch again: ~10 s each on 2 cores)."""
    return {"VLLM_CPU_KVCACHE_SPACE": str(kv_cache_gb), "OMP_NUM_THREADS": str(threads),
            "VLLM_CPU_OMP_THREADS_BIND": "nobind", "VLLM_CPU_NUM_OF_RESERVED_CPU": "0",
            "VLLM_ENABLE_V1_MULTIPROCESSING": "0"}


class Worker:
    def __init__(self, model_dir: str, spec: dict, options: dict):
        import torch

        self.cuda = torch.cuda.is_available()
        vllm_options = options.get("vllm") or {}
        if not self.cuda:
            for key, value in cpu_environment(int(options.get("threads") or 1),
                                              vllm_options.get("kv_cache_gb", 2)).items():
                os.environ.setdefault(key, value)
        import vllm
        from vllm import LLM

        self.vllm = vllm
        dtype = spec.get("dtype", "bfloat16")
        if not self.cuda and dtype != "float32":
            print(f"model dtype {dtype} on CPU: using float32 instead", file=sys.stderr)
            dtype = "float32"
        self.dtype = dtype
        tp = max(1, int(spec.get("gpus", 1))) if self.cuda else 1
        # torch.compile's warm-up takes ~80 s of CPU for a 135M model and gains little at these batch
        # sizes on 2 cores (benchmarks/README.md): eager on CPU unless the config says otherwise.
        eager = vllm_options.get("enforce_eager")
        self.llm = LLM(
            model=model_dir,
            dtype=dtype,
            max_model_len=int(spec.get("context_length", 4096)),
            tensor_parallel_size=tp,
            enable_prefix_caching=True,  # the system prompt and instruction all prompts share run once
            enable_lora=bool(options.get("enable_lora")),
            max_lora_rank=int(spec.get("max_lora_rank", 64)),
            enforce_eager=(not self.cuda) if eager is None else bool(eager),
            # log-probabilities as returned: the full-vocabulary log-softmax of the model's logits,
            # before any restriction or temperature (what the transformers backend reports)
            logprobs_mode="raw_logprobs",
            seed=0,
            # CPU: a prompt is never split across scheduler steps. When one is (chunked prefill), vLLM
            # discards that step's sampled token and rewinds the request's seeded generator by an
            # offset, which CPU generators do not have ("CPU Generator does not use offset").
            **({"enable_chunked_prefill": False} if not self.cuda else {}),
            **({"distributed_executor_backend": "uni"} if tp == 1 and not self.cuda else {}),
        )
        self.loras: dict[str, int] = {}

    # -- requests ---------------------------------------------------------------------------------
    def info(self) -> dict:
        import torch
        import transformers

        device = torch.cuda.get_device_name(0) if self.cuda else "cpu"
        return {"vllm": self.vllm.__version__, "torch": torch.__version__, "transformers": transformers.__version__,
                "python": sys.executable, "device": device, "dtype": self.dtype}

    def _lora(self, adapter: str | None):
        if not adapter:
            return None
        from vllm.lora.request import LoRARequest

        lora_id = self.loras.setdefault(adapter, len(self.loras) + 1)  # vLLM caches adapters by id
        return LoRARequest(f"adapter{lora_id}", lora_id, adapter)  # applied at run time, never merged

    def generate(self, conversations: list, sampling: dict, adapter: str | None) -> list[list[str]]:
        from vllm import SamplingParams

        from .base import continues_answer

        params = SamplingParams(n=sampling["n"], seed=sampling["seed"], temperature=sampling["temperature"],
                                top_p=sampling["top_p"], top_k=sampling.get("top_k", 0),  # 0: off in both
                                max_tokens=sampling["max_new_tokens"])
        # One call renders every conversation the same way: all continue their final assistant message
        # (continue_final_message) or all open a new turn.
        prefixed = {continues_answer(c) for c in conversations}
        if len(prefixed) > 1:
            raise ValueError("a vLLM call mixes conversations that continue an answer with ones that do not")
        cont = prefixed == {True}
        outputs = self.llm.chat(conversations, params, lora_request=self._lora(adapter), use_tqdm=False,
                                add_generation_prompt=not cont, continue_final_message=cont)
        tokens = sum(len(choice.token_ids) for out in outputs for choice in out.outputs)
        return {"texts": [[choice.text for choice in out.outputs] for out in outputs], "generated_tokens": tokens}

    def option_logprobs(self, conversations: list, options: list[list[str]], adapter: str | None) -> list[list[float]]:
        """The log-probability of each option's first token as the answer's first token: one step per
        conversation with SamplingParams.logprob_token_ids, which reports exactly those tokens'
        log-probabilities from the full-vocabulary distribution (raw_logprobs: nothing restricted, so
        the same numbers as the transformers backend's log-softmax). One call per option set."""
        from vllm import SamplingParams

        from .base import option_token_ids

        tokenizer = self.llm.get_tokenizer()
        groups: dict[tuple, list[int]] = {}
        for i, opts in enumerate(options):
            groups.setdefault(tuple(opts), []).append(i)
        out: list[list[float]] = [[] for _ in conversations]
        for opts, members in groups.items():
            wanted = option_token_ids(tokenizer, list(opts))
            params = SamplingParams(max_tokens=1, temperature=0.0, logprob_token_ids=wanted)
            results = self.llm.chat([conversations[i] for i in members], params, lora_request=self._lora(adapter),
                                    use_tqdm=False)
            for i, result in zip(members, results):
                step = result.outputs[0].logprobs[0]
                missing = [t for t in wanted if t not in step]
                if missing:
                    raise RuntimeError(f"vLLM returned no log-probability for option tokens {missing} of {list(opts)}")
                out[i] = [float(step[t].logprob) for t in wanted]
        return out

    def render(self, conversations: list) -> list[list[int]]:
        """The prompt token ids vLLM itself built for each conversation (the request outputs'
        `prompt_token_ids` of a one-token greedy call through the same chat path as generate)."""
        from vllm import SamplingParams

        from .base import continues_answer

        out = []
        for c in conversations:  # one at a time: each its own rendering rule
            cont = continues_answer(c)
            (result,) = self.llm.chat([c], SamplingParams(max_tokens=1, temperature=0.0), use_tqdm=False,
                                      add_generation_prompt=not cont, continue_final_message=cont)
            out.append(list(result.prompt_token_ids))
        return out


def cpu_seconds() -> float:
    """This worker's CPU time so far (user + system), reported with every answer."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def serve(reply, requests) -> None:
    worker = None
    for line in requests:
        request = json.loads(line)
        op = request.pop("op")
        try:
            if op == "init":
                worker = Worker(**request)
                value = worker.info()
            elif op == "close":
                reply.write(json.dumps({"ok": None}) + "\n")
                reply.flush()
                return
            else:
                value = getattr(worker, op)(**request)
            answer = {"ok": value, "cpu_seconds": cpu_seconds()}
        except Exception:  # the client raises it with this traceback
            answer = {"error": traceback.format_exc()}
        reply.write(json.dumps(answer) + "\n")
        reply.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reply-fd", type=int, required=True)
    args = parser.parse_args()
    with os.fdopen(args.reply_fd, "w") as reply:
        serve(reply, sys.stdin)


if __name__ == "__main__":
    main()
