"""The transformers backend: batched, left-padded generation, prompts sorted by length, the model's
own chat template; float32 on CPU (a bfloat16 matmul is ~500x slower on the reference CPU)."""

from __future__ import annotations

import logging

from .base import Conversation, Sampling, register_backend

log = logging.getLogger(__name__)


@register_backend("transformers")
class TransformersEngine:
    def __init__(self, model_dir: str, spec: dict, adapter: str | None = None, batch_size: int = 32,
                 threads: int | None = None, device: str | None = None):
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        if threads:
            torch.set_num_threads(int(threads))
        self.device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        dtype = spec.get("dtype", "float32")
        if self.device == "cpu" and dtype != "float32":
            log.warning("model dtype %s on CPU: using float32 instead (bfloat16 is far slower here)", dtype)
            dtype = "float32"
        self.dtype = dtype
        self.tokenizer = AutoTokenizer.from_pretrained(model_dir, padding_side="left")
        if self.tokenizer.pad_token is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token
        model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=getattr(torch, dtype))
        if adapter:
            from peft import PeftModel

            model = PeftModel.from_pretrained(model, adapter)  # applied at run time, never merged to disk
        self.model = model.to(self.device).eval()
        self.batch_size = int(batch_size)
        self.context_length = int(spec.get("context_length", 4096))
        self.torch = torch

    def render(self, conversation: Conversation) -> str:
        return self.tokenizer.apply_chat_template(conversation, add_generation_prompt=True, tokenize=False)

    def determinism(self) -> str:
        if self.device == "cpu":
            return "deterministic: same seed, batch size and inputs give byte-identical text on CPU"
        return "not guaranteed: CUDA kernels may differ between runs and GPU models"

    def generate(self, conversations: list[Conversation], sampling: Sampling) -> list[list[str]]:
        torch = self.torch
        ids = [self.tokenizer(self.render(c), add_special_tokens=False).input_ids for c in conversations]
        too_long = [i for i, x in enumerate(ids) if len(x) + sampling.max_new_tokens > self.context_length]
        if too_long:
            log.warning("%d prompts + max_new_tokens exceed context_length %d", len(too_long), self.context_length)
        # Longest first: similar lengths share a batch (little padding) and memory peaks early.
        order = sorted(range(len(ids)), key=lambda i: (-len(ids[i]), i))
        results: list[list[str]] = [[] for _ in ids]
        torch.manual_seed(sampling.seed)
        rows_per_batch = max(1, self.batch_size // sampling.n)
        for start in range(0, len(order), rows_per_batch):
            idx = order[start : start + rows_per_batch]
            # n samples of a prompt are n rows of the batch (one shared prefix cache for all rows).
            batch = [ids[i] for i in idx for _ in range(sampling.n)]
            decoded = self._generate_batch(batch, sampling)
            for j, i in enumerate(idx):
                results[i] = decoded[j * sampling.n : (j + 1) * sampling.n]
        return results

    def _generate_batch(self, batch: list[list[int]], sampling: Sampling) -> list[str]:
        """One batched `generate`. The tokens every prompt of the batch starts with (system prompt and
        instruction: one country per job) are run once and their KV cache shared by all rows; the rest
        of each prompt is left-padded after that prefix, so positions stay contiguous."""
        torch = self.torch
        prefix = shared_prefix_length(batch)
        pad = self.tokenizer.pad_token_id
        width = max(len(x) for x in batch) - prefix
        input_ids = [x[:prefix] + [pad] * (width - (len(x) - prefix)) + x[prefix:] for x in batch]
        mask = [[1] * prefix + [0] * (width - (len(x) - prefix)) + [1] * (len(x) - prefix) for x in batch]
        input_ids = torch.tensor(input_ids, device=self.device)
        kwargs = dict(attention_mask=torch.tensor(mask, device=self.device), pad_token_id=pad,
                      max_new_tokens=sampling.max_new_tokens, do_sample=sampling.temperature > 0)
        if sampling.temperature > 0:
            kwargs.update(temperature=sampling.temperature, top_p=sampling.top_p, top_k=None)
        with torch.inference_mode():
            if prefix >= MIN_SHARED_PREFIX:
                cache = self.model(input_ids[:1, :prefix], use_cache=True).past_key_values
                cache.batch_repeat_interleave(len(batch))
                kwargs["past_key_values"] = cache
            out = self.model.generate(input_ids=input_ids, **kwargs)
        return self.tokenizer.batch_decode(out[:, input_ids.shape[1]:], skip_special_tokens=True)


# Below this many shared tokens a separate prefix pass is not worth it.
MIN_SHARED_PREFIX = 8


def shared_prefix_length(batch: list[list[int]]) -> int:
    """Tokens all sequences start with, leaving at least one token of each to run through `generate`."""
    limit = min(len(x) for x in batch) - 1
    n = 0
    while n < limit and all(x[n] == batch[0][n] for x in batch):
        n += 1
    return n
