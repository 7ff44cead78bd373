"""LoRA fine-tuning with TRL and PEFT from validated recipes (every paper's adapters).

A recipe (recipes/<method>.yaml, validated against schemas/recipe.schema.yaml) says which trainer
(SFT or DPO), which LoRA and which hyper-parameters; a training set is a JSON Lines file of chat
messages with a target (SFT) or chosen/rejected completions (DPO), rendered with the model's own chat
template exactly as at inference.
"""

from __future__ import annotations

import json
import logging
import math
import resource
import time
from pathlib import Path

from .checksums import sha256_file
from .engine.base import count_gpus
from .io import atomic_path, read_jsonl
from .schema import load_schema, merge, validate_with_defaults

log = logging.getLogger(__name__)


class RecipeError(ValueError):
    pass


class EmptyTrainingSet(RuntimeError):
    pass


def load_recipe(path: str | Path, overrides: dict | None = None, init_choices=None) -> dict:
    """Read a recipe, merge `overrides` (config finetune.recipe_overrides) and validate the result
    (defaults filled in); the error names the file and the key. `init_choices`: the adapters a recipe
    may start from besides `base` (the fine-tuning methods of its paper)."""
    path = Path(path)
    try:
        recipe = merge(yaml_load(path), overrides or {})
    except FileNotFoundError:
        raise RecipeError(f"recipe file {path} does not exist") from None
    error = validate_with_defaults(recipe, load_schema("culturealign", "recipe"), "key")
    if error:
        raise RecipeError(f"recipe {path}: {error}")
    valid_init = ["base", *(init_choices or [])]
    if recipe["init"] not in valid_init:
        raise RecipeError(f"recipe {path}: key 'init': {recipe['init']!r} is not valid; valid values: {valid_init}")
    if recipe["trainer"] == "dpo" and "beta" not in recipe.get("dpo", {}):
        raise RecipeError(f"recipe {path}: key 'dpo.beta' is required for a DPO recipe")
    return recipe


def yaml_load(path: Path) -> dict:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


# --- rendering ------------------------------------------------------------------------------------


def render_completion(target: dict, prompt_text: str) -> str:
    """The assistant text of a target. When the chat template's generation prompt already opens the
    think block (DeepSeek-R1 distills), the completion starts inside it."""
    if "reasoning" not in target:
        return str(target["answer"])
    opened = prompt_text.rstrip().endswith("<think>")
    head = "" if opened else "<think>\n"
    return f"{head}{target['reasoning']}\n</think>\n\n{target['answer']}"


def render_examples(examples: list[dict], tokenizer) -> list[dict]:
    """Text prompt/completion pairs, rendered with the model's own chat template exactly as the engine
    renders prompts at inference (so reasoning in the completion is never stripped by a template)."""
    rows = []
    for ex in examples:
        prompt = tokenizer.apply_chat_template(ex["messages"], add_generation_prompt=True, tokenize=False)
        if "target" in ex:
            rows.append({"prompt": prompt, "completion": render_completion(ex["target"], prompt)})
        else:
            rows.append({"prompt": prompt, "chosen": render_completion(ex["chosen"], prompt),
                         "rejected": render_completion(ex["rejected"], prompt)})
    return rows


# --- training -------------------------------------------------------------------------------------


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _step_logger(log_path: Path):
    from transformers import TrainerCallback

    class StepLog(TrainerCallback):
        def on_log(self, args, state, control, logs=None, **kwargs):
            if logs and "loss" in logs:
                entry = {"step": state.global_step, **{k: v for k, v in logs.items() if isinstance(v, (int, float))},
                         "peak_rss_mb": round(peak_rss_mb(), 1)}
                with open(log_path, "a", encoding="utf-8") as handle:
                    handle.write(json.dumps(entry, sort_keys=True) + "\n")
                log.info("step %s: %s", state.global_step, entry)

    return StepLog()


def train_adapter(*, recipe: dict, model_dir: str, data_path: str, out_dir: str, init_adapter: str | None = None,
                  threads: int | None = None, provenance: dict | None = None) -> dict:
    """Train one LoRA adapter and write it to `out_dir` atomically: it is built in a sibling temporary
    directory and renamed into place only when training and saving have succeeded, so a job that
    dies never leaves a directory that looks complete."""
    import torch

    if threads:
        torch.set_num_threads(int(threads))
    with atomic_path(out_dir, directory=True) as tmp:
        return _train(recipe, model_dir, data_path, tmp, init_adapter, provenance)


def _train(recipe: dict, model_dir: str, data_path: str, tmp: Path, init_adapter: str | None,
           provenance: dict | None) -> dict:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    examples = read_jsonl(data_path)
    if not examples:
        raise EmptyTrainingSet(f"training set {data_path} is empty")
    cuda = torch.cuda.is_available()
    if cuda:  # the Trainer uses every visible GPU
        count_gpus(torch.cuda.device_count())
    t = recipe["training"]
    dtype = t.get("dtype", "auto")
    dtype = ("bfloat16" if cuda else "float32") if dtype == "auto" else dtype
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    # Several GPUs (CNCA: 7B/8B models on two 24 GB cards): the layers are spread over them (model
    # parallel), not replicated. Not run on this project's machines (no GPU was lent; see README).
    placement = {"device_map": "auto"} if cuda and torch.cuda.device_count() > 1 else {}
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=getattr(torch, dtype), **placement)
    rows = render_examples(examples, tokenizer)

    from datasets import Dataset
    from peft import LoraConfig, PeftModel

    lora = recipe["lora"]
    peft_config = None
    if init_adapter:
        # Continue the given adapter (CNCA-DPO from CNCA-SFT); TRL then keeps a frozen copy of it as the
        # reference model (DPOTrainer: a PEFT model without ref_model gets a "ref" adapter copy).
        model = PeftModel.from_pretrained(model, init_adapter, is_trainable=True)
    else:
        peft_config = LoraConfig(r=lora["r"], lora_alpha=lora["alpha"], lora_dropout=lora["dropout"],
                                 target_modules=lora["target_modules"], bias="none", task_type="CAUSAL_LM")
    log_path = tmp / "training_log.jsonl"
    common = dict(
        output_dir=str(tmp / "trainer"), num_train_epochs=t["epochs"], learning_rate=t["learning_rate"],
        # transformers 5: a float warmup_steps in [0, 1) is the ratio of the total steps (CNCA: 10%).
        warmup_steps=float(t["warmup_ratio"]), lr_scheduler_type=t["lr_scheduler"],
        per_device_train_batch_size=t["batch_size"], gradient_accumulation_steps=t["gradient_accumulation_steps"],
        weight_decay=t["weight_decay"], seed=t["seed"], data_seed=t["seed"], max_length=t["max_length"],
        logging_steps=1, save_strategy="no", report_to=[], bf16=(dtype == "bfloat16"),
        use_cpu=not cuda, dataloader_num_workers=0, disable_tqdm=True,
        gradient_checkpointing=t["gradient_checkpointing"],
    )
    dataset = Dataset.from_list(rows)
    started = time.time()
    if recipe["trainer"] == "sft":
        from trl import SFTConfig, SFTTrainer

        trainer = SFTTrainer(model=model, args=SFTConfig(**common, completion_only_loss=True), train_dataset=dataset,
                             processing_class=tokenizer, peft_config=peft_config)
    else:
        from trl import DPOConfig, DPOTrainer

        trainer = DPOTrainer(model=model, args=DPOConfig(**common, beta=recipe["dpo"]["beta"],
                                                          loss_type=[recipe["dpo"]["loss_type"]]),
                             train_dataset=dataset, processing_class=tokenizer, peft_config=peft_config)
    trainer.add_callback(_step_logger(log_path))
    result = trainer.train()
    seconds = time.time() - started
    # Only the trained adapter ("default"); DPO's frozen reference copy is not part of the result.
    trainer.model.save_pretrained(str(tmp), selected_adapters=["default"])
    _rmtree(tmp / "trainer")
    metrics = {
        "method": recipe["method"], "trainer": recipe["trainer"], "examples": len(rows),
        "steps": result.global_step, "train_loss": result.training_loss,
        "seconds": round(seconds, 2), "samples_per_second": round(len(rows) * t["epochs"] / seconds, 3),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "peak_gpu_mb": round(torch.cuda.max_memory_allocated() / 2**20, 1) if cuda else None,
        "device": "cuda" if cuda else "cpu", "dtype": dtype,
        "training_data": {"path": str(data_path), "sha256": sha256_file(data_path), "examples": len(rows)},
        "init_adapter": init_adapter, "recipe": recipe, **(provenance or {}),
        "adapter_sha256": {p.name: sha256_file(p) for p in sorted(tmp.glob("adapter_model*"))},
    }
    rates = [entry.get("learning_rate", 0.0) for entry in read_jsonl(log_path)] if log_path.exists() else []
    metrics["updated"] = any(rate > 0 for rate in rates)
    if not metrics["updated"]:
        # e.g. one optimiser step with a 10% warm-up: the only step runs at learning rate 0
        log.warning("%s: every optimiser step ran at learning rate 0 (all warm-up: %d steps, warmup_ratio %s); "
                    "the adapter equals its initialisation", recipe["method"], result.global_step, t["warmup_ratio"])
    if math.isnan(metrics["train_loss"]):
        raise RuntimeError(f"training of {recipe['method']} diverged (loss is NaN); nothing written")
    (tmp / "metrics.json").write_text(json.dumps(metrics, indent=1, sort_keys=True, default=str) + "\n")
    log.info("trained %s: %d examples, %d steps, %.1f s, %.2f samples/s, peak RSS %.0f MB", recipe["method"],
             len(rows), result.global_step, seconds, metrics["samples_per_second"], metrics["peak_rss_mb"])
    return metrics


SKIPPED = "skipped.json"


def determinism() -> str:
    """What a training job promises about its adapter's bytes (recorded with the adapter)."""
    import torch

    if torch.cuda.is_available():
        return ("NOT guaranteed: LoRA training on CUDA; kernels and reduction order can change the "
                "adapter's low bits between runs and GPU models")
    return "CPU, float32, seeded (recipe seed): the adapter's bytes are expected to repeat but are not tested to"


def skip_adapter(out_dir: str, reason: str, provenance: dict | None = None) -> None:
    """An adapter directory that records why no adapter was trained (a config that allows it, e.g.
    CultureSPA's finetune.on_empty: skip); `adapter_or_none` then gives None and jobs use the base model."""
    with atomic_path(out_dir, directory=True) as tmp:
        (tmp / SKIPPED).write_text(json.dumps({"skipped": True, "reason": reason, **(provenance or {})},
                                              indent=1, sort_keys=True) + "\n")


def adapter_or_none(adapter_dir: str | None) -> str | None:
    """The adapter to apply: None for no adapter or a skipped one (skip_adapter)."""
    if adapter_dir and (Path(adapter_dir) / SKIPPED).exists():
        return None
    return adapter_dir


def _rmtree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)
