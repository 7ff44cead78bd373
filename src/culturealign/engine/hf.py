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
        texts = [self.render(c) for c in conversations]
        lengths = [len(self.tokenizer(t, add_special_tokens=False).input_ids) for t in texts]
        too_long = [i for i, n in enumerate(lengths) if n + sampling.max_new_tokens > self.context_length]
        if too_long:
            log.warning("%d prompts + max_new_tokens exceed context_length %d", len(too_long), self.context_length)
        # Longest first: similar lengths share a batch (little padding) and memory peaks early.
        order = sorted(range(len(texts)), key=lambda i: (-lengths[i], i))
        results: list[list[str]] = [[] for _ in texts]
        torch.manual_seed(sampling.seed)
        do_sample = sampling.temperature > 0
        for start in range(0, len(order), self.batch_size):
            idx = order[start : start + self.batch_size]
            enc = self.tokenizer([texts[i] for i in idx], return_tensors="pt", padding=True,
                                 add_special_tokens=False).to(self.device)
            kwargs = dict(max_new_tokens=sampling.max_new_tokens, num_return_sequences=sampling.n,
                          pad_token_id=self.tokenizer.pad_token_id, do_sample=do_sample)
            if do_sample:
                kwargs.update(temperature=sampling.temperature, top_p=sampling.top_p, top_k=None)
            with torch.inference_mode():
                out = self.model.generate(**enc, **kwargs)
            new = out[:, enc["input_ids"].shape[1]:]
            decoded = self.tokenizer.batch_decode(new, skip_special_tokens=True)
            for j, i in enumerate(idx):
                results[i] = decoded[j * sampling.n : (j + 1) * sampling.n]
        return results
