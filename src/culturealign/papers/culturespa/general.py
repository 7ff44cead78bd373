"""CultureSPA Table 5 (§6.3): general abilities - MMLU, GSM8K, IFEval - of the base model and of the
models fine-tuned on each generated data set, through lm-evaluation-harness (`lm_eval`) with the
LoRA adapter applied (its hf model's `peft=` argument). No benchmark code is written here: the
harness's registered tasks, their default prompts and shots, and the metric named in the config.
The tasks' data sets download from the Hugging Face Hub at run time (the paper grid); a task
directory of the project's own (`include_path`) makes a local task available offline (the tests).
"""

from __future__ import annotations

import time


def evaluate(*, weights: str, adapter: str | None, task: str, metric: str, dtype: str, device: str,
             batch_size: int, limit: int | None, include_path: str | None, num_fewshot: int | None,
             seed: int) -> dict:
    """One task through lm_eval.simple_evaluate; the metric's value, the harness's versions and config."""
    import lm_eval
    from lm_eval.tasks import TaskManager

    model_args = f"pretrained={weights},dtype={dtype}" + (f",peft={adapter}" if adapter else "")
    started = time.time()
    out = lm_eval.simple_evaluate(
        model="hf", model_args=model_args, tasks=[task], device=device, batch_size=batch_size, limit=limit,
        num_fewshot=num_fewshot, task_manager=TaskManager(include_path=include_path) if include_path else None,
        random_seed=seed, numpy_random_seed=seed, torch_random_seed=seed, fewshot_random_seed=seed,
        log_samples=False)
    results = out["results"][task]
    if metric not in results:
        raise KeyError(f"lm_eval task {task!r} reports no metric {metric!r}; it reports {sorted(results)}")
    return {"task": task, "metric": metric, "value": float(results[metric]), "results": results,
            "versions": out.get("versions", {}).get(task), "n_shot": out.get("n-shot", {}).get(task),
            "n_samples": out.get("n-samples", {}).get(task), "model_args": model_args,
            "lm_eval_version": getattr(lm_eval, "__version__", None), "seconds": round(time.time() - started, 1)}
