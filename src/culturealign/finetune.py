"""The fine-tuning track of CNCA (Table 4): recipes, training sets, LoRA training with TRL and PEFT.

Methods: SFT, CoT-SFT, CNCA-SFT (eq. 1) and CNCA-DPO (eq. 2), each described by one recipe file
(recipes/<method>.yaml, validated against schemas/recipe.schema.yaml). Every adapter is trained on
examples whose instruction is CNCA Table 2's Standard one (no norms), as every fine-tuned model is
evaluated with it.
"""

from __future__ import annotations

import json
import logging
import math
import os
import resource
import shutil
import time
from importlib import resources
from pathlib import Path

import jsonschema
import yaml

from .checksums import sha256_file
from .config import _message, _with_defaults
from .distill import training_prompt
from .workflow import read_jsonl

log = logging.getLogger(__name__)

FINETUNE_METHODS = ("sft", "cot-sft", "cnca-sft", "cnca-dpo")


class RecipeError(ValueError):
    pass


class EmptyTrainingSet(RuntimeError):
    pass


def merge(base: dict, overrides: dict) -> dict:
    """`base` with `overrides` merged in, key by key (nested mappings merged, other values replaced)."""
    out = dict(base)
    for key, value in overrides.items():
        out[key] = merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def load_recipe(path: str | Path, overrides: dict | None = None) -> dict:
    """Read a recipe, merge `overrides` (config finetune.recipe_overrides) and validate the result
    (defaults filled in); the error names the file and the key."""
    path = Path(path)
    try:
        recipe = merge(yaml.safe_load(path.read_text(encoding="utf-8")), overrides or {})
    except FileNotFoundError:
        raise RecipeError(f"recipe file {path} does not exist") from None
    schema = yaml.safe_load((resources.files("culturealign") / "schemas" / "recipe.schema.yaml").read_text())
    validator = _with_defaults(jsonschema.Draft7Validator)(schema)
    errors = list(validator.iter_errors(recipe))
    if errors:
        raise RecipeError(f"recipe {path}: {_message(jsonschema.exceptions.best_match(errors), 'key')}")
    if recipe["init"] not in ("base", *FINETUNE_METHODS):
        raise RecipeError(f"recipe {path}: key 'init': {recipe['init']!r} is not valid; valid values: "
                          f"{['base', *FINETUNE_METHODS]}")
    if recipe["trainer"] == "dpo" and "beta" not in recipe.get("dpo", {}):
        raise RecipeError(f"recipe {path}: key 'dpo.beta' is required for a DPO recipe")
    return recipe


# --- training sets --------------------------------------------------------------------------------


def answer_examples(questions: dict, qids_by_country: dict[str, list[str]]) -> list[dict]:
    """SFT: (Standard prompt -> ground-truth option number) for every training question with one."""
    out = []
    for country, qids in qids_by_country.items():
        for qid in qids:
            truth = questions[qid]["ground_truth"].get(country)
            if truth is not None:
                out.append({"qid": qid, "country": country, "source": "ground-truth",
                            "messages": training_prompt(questions[qid], country), "target": {"answer": truth}})
    return out


def chain_examples(questions: dict, distill_files: list[str]) -> tuple[list[dict], dict]:
    """CoT-SFT / CNCA-SFT: the kept chain, or the standard format when none was found (paper).
    The prompt is the Standard one: the distillation prompt's norm is NOT in the example (eq. 1)."""
    out, counts = [], {}
    for path in distill_files:
        for rec in read_jsonl(path):
            c = counts.setdefault(rec["country"], {"found": 0, "not-found": 0, "no-ground-truth": 0})
            c[rec["status"]] += 1
            if rec["status"] == "no-ground-truth":
                continue
            target = ({"reasoning": rec["kept"]["reasoning"], "answer": rec["kept"]["answer"]}
                      if rec["status"] == "found" else {"answer": rec["ground_truth"]})
            out.append({"qid": rec["qid"], "country": rec["country"],
                        "source": f"chain round {rec['round']}" if rec["status"] == "found" else "fallback: no chain",
                        "messages": training_prompt(questions[rec["qid"]], rec["country"]), "target": target})
    if not any(c["found"] for c in counts.values()):
        raise EmptyTrainingSet(f"no reasoning chain was found for any training question (per country: {counts}); "
                               "training on the fallback answers alone would be plain SFT. Raise "
                               "finetune.distill.rounds / samples_per_round, or check the distillation prompts.")
    return out, counts


def dpo_examples(pair_files: list[str]) -> tuple[list[dict], dict]:
    out, counts = [], {}
    for path in pair_files:
        for rec in read_jsonl(path):
            c = counts.setdefault(rec["country"], {})
            c[rec["status"]] = c.get(rec["status"], 0) + 1
            for pair in rec["pairs"]:
                out.append({"qid": rec["qid"], "country": rec["country"], "source": "cnca-sft samples",
                            "messages": rec["messages"], "chosen": pair["chosen"], "rejected": pair["rejected"]})
    if not out:
        raise EmptyTrainingSet(f"no DPO preference pair (a correct and an incorrect chain of one question) was "
                               f"sampled from the CNCA-SFT model (per country: {counts}); raise finetune.dpo.rounds "
                               "or samples_per_round")
    return out, counts


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
    from transformers import AutoModelForCausalLM, AutoTokenizer

    if threads:
        torch.set_num_threads(int(threads))
    out = Path(out_dir)
    tmp = out.with_name(f".{out.name}.partial")
    shutil.rmtree(tmp, ignore_errors=True)
    if out.exists():
        shutil.rmtree(out)
    tmp.mkdir(parents=True)

    examples = read_jsonl(data_path)
    if not examples:
        raise EmptyTrainingSet(f"training set {data_path} is empty")
    cuda = torch.cuda.is_available()
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
    shutil.rmtree(tmp / "trainer", ignore_errors=True)
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
    os.replace(tmp, out)
    return metrics
