"""CNCA's fine-tuning track (Table 4): the training sets of SFT, CoT-SFT, CNCA-SFT (eq. 1) and
CNCA-DPO (eq. 2). Every example's instruction is CNCA Table 2's Standard one (no norms), as every
fine-tuned model is evaluated with it; the adapters are trained by culturealign.training from
recipes/<method>.yaml.
"""

from __future__ import annotations

from ...io import read_jsonl
from ...training import EmptyTrainingSet
from .distill import training_prompt
from .methods import ADAPTER_LABELS

FINETUNE_METHODS = tuple(ADAPTER_LABELS)


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
