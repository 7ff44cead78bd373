"""The transformers backend: batched, left-padded generation, prompts sorted by length, the model's
own chat template; float32 on CPU (a bfloat16 matmul is ~500x slower on the reference CPU)."""

from __future__ import annotations

import functools
import logging

from .base import (Conversation, Sampling, continues_answer, count_gpus, count_usage, option_token_ids,
                   register_backend)

log = logging.getLogger(__name__)


@register_backend("transformers")
class TransformersEngine:
    def __init__(self, model_dir: str, spec: dict, adapter: str | None = None, batch_size: int = 32,
                 threads: int | None = None, device: str | None = None, vllm: dict | None = None):
        # `vllm`: the config's engine.vllm options, which concern the vLLM backend only
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
        if self.device != "cpu":
            count_gpus(1)
        self.batch_size = int(batch_size)
        eos = self.model.generation_config.eos_token_id
        self.eos_ids = set(eos if isinstance(eos, list) else [eos]) | {self.tokenizer.eos_token_id}
        self.eos_ids.discard(None)
        self.context_length = int(spec.get("context_length", 4096))
        self.torch = torch

    def render(self, conversation: Conversation) -> str:
        if continues_answer(conversation):
            return self.tokenizer.apply_chat_template(conversation, continue_final_message=True, tokenize=False)
        return self.tokenizer.apply_chat_template(conversation, add_generation_prompt=True, tokenize=False)

    def determinism(self) -> str:
        """The backend, its version and what it promises (recorded with every output it makes)."""
        import transformers

        where = f"transformers {transformers.__version__} (torch {self.torch.__version__}) on {self.device} in {self.dtype}"
        if self.device == "cpu":
            return f"{where}: deterministic: same seed, batch size and inputs give byte-identical text on CPU"
        return f"{where}: not guaranteed: CUDA kernels may differ between runs and GPU models"

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

    def option_logprobs(self, conversations: list[Conversation], options: list[list[str]]) -> list[list[float]]:
        """One forward pass per batch of left-padded prompts; the log-softmax of the last position's
        logits at each option's first token (prompts sorted by length, as generate does)."""
        torch = self.torch
        ids = [self.tokenizer(self.render(c), add_special_tokens=False).input_ids for c in conversations]
        wanted = [option_token_ids(self.tokenizer, opts) for opts in options]
        order = sorted(range(len(ids)), key=lambda i: (-len(ids[i]), i))
        out: list[list[float]] = [[] for _ in ids]
        pad = self.tokenizer.pad_token_id
        with torch.inference_mode():
            for start in range(0, len(order), self.batch_size):
                idx = order[start : start + self.batch_size]
                width = max(len(ids[i]) for i in idx)
                rows = torch.tensor([[pad] * (width - len(ids[i])) + ids[i] for i in idx], device=self.device)
                mask = torch.tensor([[0] * (width - len(ids[i])) + [1] * len(ids[i]) for i in idx], device=self.device)
                positions = (mask.cumsum(-1) - 1).clamp(min=0)
                logits = self.model(rows, attention_mask=mask, position_ids=positions, logits_to_keep=1).logits
                logprobs = logits[:, -1, :].float().log_softmax(-1)
                for j, i in enumerate(idx):
                    out[i] = [float(logprobs[j, t]) for t in wanted[i]]
        count_usage(len(ids))
        return out

    def _generate_batch(self, batch: list[list[int]], sampling: Sampling) -> list[str]:
        """One batch, decoded token by token with the KV cache.

        - The tokens every prompt of the batch starts with (system prompt and instruction: one country
          per job) run once; their KV cache is shared by all rows. The rest of each prompt is
          left-padded after that prefix, with position ids that skip the padding.
        - A row that has produced its end-of-sequence token leaves the batch (its cache rows are
          dropped), so the batch costs what its live rows cost: short answers do not pay for long ones.
        Sampling is temperature, then top-k, then nucleus (top-p), in `generate`'s order; temperature 0
        is greedy.
        """
        torch = self.torch
        prefix = shared_prefix_length(batch) if len(batch) > 1 else 0
        if prefix < MIN_SHARED_PREFIX:
            prefix = 0
        pad = self.tokenizer.pad_token_id
        width = max(len(x) for x in batch) - prefix
        rows = [x[:prefix] + [pad] * (width - (len(x) - prefix)) + x[prefix:] for x in batch]
        mask = torch.tensor([[1] * prefix + [0] * (width - (len(x) - prefix)) + [1] * (len(x) - prefix)
                             for x in batch], device=self.device)
        input_ids = torch.tensor(rows, device=self.device)
        positions = (mask.cumsum(-1) - 1).clamp(min=0)
        out_tokens: list[list[int]] = [[] for _ in batch]
        live = torch.arange(len(batch), device=self.device)
        with torch.inference_mode():
            cache = reserved_cache(self.model.config, prefix + width + sampling.max_new_tokens)
            if prefix:
                self.model(input_ids[:1, :prefix], position_ids=positions[:1, :prefix], past_key_values=cache,
                           use_cache=True, logits_to_keep=1)
                cache.batch_repeat_interleave(len(batch))
            out = self.model(input_ids[:, prefix:], attention_mask=mask, position_ids=positions[:, prefix:],
                             past_key_values=cache, use_cache=True, logits_to_keep=1)
            next_pos = positions[:, -1] + 1
            for step in range(sampling.max_new_tokens):
                token = self._sample(out.logits[:, -1, :], sampling)
                done = torch.zeros_like(token, dtype=torch.bool)
                for j, (row, tok) in enumerate(zip(live.tolist(), token.tolist())):
                    if tok in self.eos_ids:
                        done[j] = True
                    else:
                        out_tokens[row].append(tok)
                if done.all() or step == sampling.max_new_tokens - 1:
                    break
                if done.any():
                    keep = (~done).nonzero().squeeze(-1)
                    cache.batch_select_indices(keep)
                    live, token, mask, next_pos = live[keep], token[keep], mask[keep], next_pos[keep]
                mask = torch.cat([mask, mask.new_ones((mask.shape[0], 1))], dim=-1)
                out = self.model(token[:, None], attention_mask=mask, position_ids=next_pos[:, None],
                                 past_key_values=cache, use_cache=True)
                next_pos = next_pos + 1
        count_usage(len(batch), sum(len(t) for t in out_tokens))
        return self.tokenizer.batch_decode(out_tokens, skip_special_tokens=True)

    def _sample(self, logits, sampling: Sampling):
        torch = self.torch
        logits = logits.float()
        if sampling.temperature == 0:
            return logits.argmax(-1)
        logits = logits / sampling.temperature
        if 0 < sampling.top_k < logits.shape[-1]:  # keep the k largest (ties at the k-th kept, as generate)
            kth = logits.topk(sampling.top_k, dim=-1).values[..., -1:]
            logits = logits.masked_fill(logits < kth, float("-inf"))
        probs = logits.softmax(-1)
        if sampling.top_p < 1.0:
            sorted_probs, order = probs.sort(dim=-1, descending=True)
            # drop the tokens after the one whose cumulative mass crosses top_p
            remove = sorted_probs.cumsum(-1) - sorted_probs > sampling.top_p
            probs = probs.scatter(-1, order, sorted_probs.masked_fill(remove, 0.0))
        return torch.multinomial(probs, num_samples=1).squeeze(-1)


def reserved_cache(config, capacity: int):
    """A DynamicCache whose full-attention layers reserve `capacity` tokens (ReservedLayer)."""
    from transformers import DynamicCache
    from transformers.cache_utils import DynamicLayer

    reserved = _reserved_layer_class()
    cache = DynamicCache(config=config)
    cache.layers = [reserved(capacity) if type(layer) is DynamicLayer else layer for layer in cache.layers]
    return cache


@functools.lru_cache(maxsize=1)
def _reserved_layer_class():  # a class over transformers' DynamicLayer, made on first use (no import before)
    from transformers.cache_utils import DynamicLayer

    class ReservedLayer(DynamicLayer):
        """A DynamicLayer whose keys and values live in buffers reserved for the whole generation: a
        decoding step writes its token's states in place, where DynamicLayer concatenates (copying
        the whole cache, every layer, every step: at 300 tokens and 32 rows of SmolLM2-135M, 440 MB a
        step). `keys` and `values` are views of the filled part; the numbers are the same."""

        def __init__(self, capacity: int):
            super().__init__()
            self.capacity = int(capacity)
            self.length = 0

        def lazy_initialization(self, key_states, value_states) -> None:
            super().lazy_initialization(key_states, value_states)
            self._keys = key_states.new_empty((*key_states.shape[:2], self.capacity, key_states.shape[-1]))
            self._values = value_states.new_empty((*value_states.shape[:2], self.capacity, value_states.shape[-1]))

        def _view(self) -> None:
            self.keys, self.values = self._keys[:, :, : self.length], self._values[:, :, : self.length]

        def update(self, key_states, value_states, *args, **kwargs):
            if not self.is_initialized:
                self.lazy_initialization(key_states, value_states)
            end = self.length + key_states.shape[-2]
            if end > self._keys.shape[-2]:  # more than reserved (not expected): grow, keeping what is there
                grow = lambda t: t.new_empty((*t.shape[:2], 2 * end, t.shape[-1]))  # noqa: E731
                keys, values = grow(self._keys), grow(self._values)
                keys[:, :, : self.length], values[:, :, : self.length] = self.keys, self.values
                self._keys, self._values = keys, values
            self._keys[:, :, self.length : end] = key_states
            self._values[:, :, self.length : end] = value_states
            self.length = end
            self._view()
            return self.keys, self.values

        def get_seq_length(self) -> int:
            return self.length

        def batch_repeat_interleave(self, repeats: int) -> None:
            if self.length:
                self._keys = self._keys.repeat_interleave(repeats, dim=0)
                self._values = self._values.repeat_interleave(repeats, dim=0)
                self._view()

        def batch_select_indices(self, indices) -> None:
            if self.length:
                self._keys, self._values = self._keys[indices, ...], self._values[indices, ...]
                self._view()

    return ReservedLayer


# Below this many shared tokens a separate prefix pass is not worth it.
MIN_SHARED_PREFIX = 8


def shared_prefix_length(batch: list[list[int]]) -> int:
    """Tokens all sequences start with, leaving at least one token of each for the batched pass."""
    limit = min(len(x) for x in batch) - 1
    n = 0
    while n < limit and all(x[n] == batch[0][n] for x in batch):
        n += 1
    return n
