"""The vLLM backend, behind the same interface as the transformers one.

Written against vLLM's documented offline API (`LLM`, `LLM.chat`, `SamplingParams`, `LoRARequest`).
vLLM ships CUDA-only wheels: this backend has NOT been run on the project's CPU machines (see README).
"""

from __future__ import annotations

from .base import continues_answer, Conversation, Sampling, option_token_ids, register_backend


@register_backend("vllm")
class VLLMEngine:
    switches_adapters = True  # one LLM, a LoRARequest per adapter (base.EngineByAdapter)

    def __init__(self, model_dir: str, spec: dict, adapter: str | None = None, batch_size: int | None = None,
                 threads: int | None = None, device: str | None = None, enable_lora: bool = False):
        try:
            from vllm import LLM
        except ImportError as exc:  # pragma: no cover - needs a CUDA machine
            raise RuntimeError("backend 'vllm' needs the vllm package (envs/vllm.yaml, a CUDA GPU)") from exc
        # One LLM per job; prefix caching shares the system prompt and instruction across prompts.
        self.llm = LLM(
            model=model_dir,
            dtype=spec.get("dtype", "bfloat16"),
            max_model_len=int(spec.get("context_length", 4096)),
            tensor_parallel_size=max(1, int(spec.get("gpus", 1))),
            enable_prefix_caching=True,
            enable_lora=enable_lora or adapter is not None,
            max_lora_rank=int(spec.get("max_lora_rank", 64)),
        )
        self.lora = None
        self._lora_ids: dict[str, int] = {}
        self.use_adapter(adapter)

    def use_adapter(self, adapter: str | None) -> None:
        """Answer with `adapter` (None: the base model) from the next call on; each adapter directory
        gets its own LoRARequest id (vLLM caches adapters by id)."""
        if not adapter:
            self.lora = None
            return
        from vllm.lora.request import LoRARequest

        lora_id = self._lora_ids.setdefault(adapter, len(self._lora_ids) + 1)
        self.lora = LoRARequest(f"adapter{lora_id}", lora_id, adapter)  # applied at run time, never merged
    def determinism(self) -> str:
        return "not guaranteed: vLLM seeds each request, but batching and CUDA kernels may change the text"

    def generate(self, conversations: list[Conversation], sampling: Sampling) -> list[list[str]]:
        from vllm import SamplingParams

        params = SamplingParams(n=sampling.n, seed=sampling.seed, temperature=sampling.temperature,
                                top_p=sampling.top_p, max_tokens=sampling.max_new_tokens)
        # One call renders every conversation the same way: either all continue their final assistant
        # message (LLM.chat's continue_final_message) or all open a new turn.
        prefixed = {continues_answer(c) for c in conversations}
        if len(prefixed) > 1:
            raise ValueError("a vLLM call mixes conversations that continue an answer with ones that do not")
        cont = prefixed == {True}
        outputs = self.llm.chat(conversations, params, lora_request=self.lora, use_tqdm=False,
                                add_generation_prompt=not cont, continue_final_message=cont)
        return [[choice.text for choice in out.outputs] for out in outputs]

    def option_logprobs(self, conversations: list[Conversation], options: list[list[str]]) -> list[list[float]]:
        """One greedy token per conversation, restricted to the options' first tokens
        (SamplingParams.allowed_token_ids), with their log-probabilities (logprobs=len(options)). vLLM
        reports log-probabilities of the logits before that restriction unless the LLM was built with
        logprobs_mode="processed_logprobs"; either way only their ratios are used (the caller
        normalises over the options). An option missing from what vLLM returns counts as -inf."""
        from vllm import SamplingParams

        tokenizer = self.llm.get_tokenizer()
        groups: dict[tuple, list[int]] = {}  # one call per option set (CulturalBench: all True/False)
        for i, opts in enumerate(options):
            groups.setdefault(tuple(opts), []).append(i)
        out: list[list[float]] = [[] for _ in conversations]
        for opts, members in groups.items():
            wanted = option_token_ids(tokenizer, list(opts))
            params = SamplingParams(max_tokens=1, temperature=0.0, logprobs=len(wanted), allowed_token_ids=wanted)
            results = self.llm.chat([conversations[i] for i in members], params, lora_request=self.lora,
                                    use_tqdm=False)
            for i, result in zip(members, results):
                top = result.outputs[0].logprobs[0]
                out[i] = [float(top[t].logprob) if t in top else float("-inf") for t in wanted]
        return out
