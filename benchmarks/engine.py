"""Benchmark: the batched engine against a one-prompt-at-a-time `model.generate` loop (what the
CultureSPA reference code does), on the same 64 WVS survey prompts and the same model.

    .venv/bin/python benchmarks/engine.py [--weights results/models/smollm2-135m/weights]

The prompts are USA's first 64 test questions with the Table 2 "Standard" instruction, as one
`predict` job of the workflow sees them. Prints prompts per second for both and their ratio, for survey answers (the config's
max_new_tokens) and for 128-token generations. Goals (issue 2): >= 3x and >= 5x.
Distillation case (issue 4): one round of self-distillation, `--samples` chains for each of USA's first
`--distill-questions` training questions with the CoT distillation prompt, as one batched engine call
against one `generate` call per chain; prints chains per second.
CultureSPA P3 case (`--cases p3`): the prompt lengths of P1 and P1+P3 (five answered questions in
context) for USA's first `--prompts` WVS questions, the prefix all of them share, and the engine's
prompts per second on each, P1+P3 also with the shared-prefix pass switched off.
CultureSPA outputs case (`--cases outputs`, issue 13): P1 answers to generated questions, batched
engine against the one-by-one loop, and the paper grid's prompt count and token volume.
Backends side by side (`--backends transformers,vllm[,ctranslate2]`, issue 26): the same greedy
requests through each backend in one run, one model load each: USA's survey prompts at 16, 64, 128 and
256 new tokens (`--new-tokens`), CultureSPA's P1+P3 prompts at 16; prints prompts/s and generated
tokens/s per backend, with the machine, and with `--plot file.png` draws both against max_new_tokens.
vLLM runs as the workflow runs it (in .venv-vllm, `bash setup.sh --vllm`); CTranslate2 only where the
`ctranslate2` package is installed in this Python (not a project requirement), from a float32
conversion of the same checkpoint.
Not a test: it prints figures; benchmarks/README.md records them with the date and machine.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import torch  # noqa: E402
import yaml  # noqa: E402

import culturealign.papers  # noqa: E402,F401  (registers every paper's methods)
from culturealign.engine import Sampling, hf, load_engine  # noqa: E402
from culturealign.predict import build_conversations  # noqa: E402
from culturealign.registry import MethodContext  # noqa: E402
from culturealign.wvs import make_split, normalise, evaluation_questions  # noqa: E402


def survey_prompts(n: int) -> list:
    data = normalise(ROOT / "resources" / "wvs")
    questions = {q["qid"]: q for q in data["questions"]}
    split = make_split(data["questions"], seed=2025)
    ctx = MethodContext(questions, split)
    qids = evaluation_questions(split, None)
    # One country, as in one `predict` job of the workflow.
    return build_conversations("vanilla", "USA", ctx, qids[:n])


def distill_prompts(n: int) -> list:
    from culturealign.papers.cnca.distill import distill_prompt, training_qids

    data = normalise(ROOT / "resources" / "wvs")
    questions = {q["qid"]: q for q in data["questions"]}
    split = make_split(data["questions"], seed=2025)
    qids = training_qids(split, list(range(1, 14)), None)[:n]
    return [distill_prompt("cot", questions[q], "USA", False, None) for q in qids]


def culturespa_prompts(method: str, n: int) -> list:
    import json

    from culturealign.papers.culturespa.methods import RANKING, SIMILARITY, rank_by_chrf

    data = normalise(ROOT / "resources" / "wvs")
    questions = {q["qid"]: q for q in data["questions"]}
    qids = list(questions)[:n]
    extras = {SIMILARITY: json.loads((ROOT / "resources/wvs/country_similarity.json").read_text()),
              RANKING: rank_by_chrf(questions, qids)}
    return build_conversations(method, "USA", MethodContext(questions, None, extras), qids)


def p3_case(engine, n: int, max_new_tokens: int) -> None:
    """P3's prompts are long: their token lengths, the prefix they share, and throughput."""
    sampling = Sampling(temperature=0.6, top_p=0.9, max_new_tokens=max_new_tokens, seed=42)
    for method in ("p1", "p1-p3"):
        convs = culturespa_prompts(method, n)
        ids = [engine.tokenizer(engine.render(c), add_special_tokens=False)["input_ids"] for c in convs]
        lengths = sorted(len(x) for x in ids)
        shared = hf.shared_prefix_length(ids)
        seconds = timed(lambda: engine.generate(convs, sampling))
        print(f"CultureSPA {method} ({len(convs)} prompts, USA): tokens median {lengths[len(lengths) // 2]}, "
              f"max {lengths[-1]}, shared prefix {shared}; engine {len(convs) / seconds:.2f} prompts/s")
        if method == "p1-p3":
            saved, hf.MIN_SHARED_PREFIX = hf.MIN_SHARED_PREFIX, 10**9
            try:
                seconds = timed(lambda: engine.generate(convs, sampling))
            finally:
                hf.MIN_SHARED_PREFIX = saved
            print(f"CultureSPA {method} without the shared-prefix pass: {len(convs) / seconds:.2f} prompts/s")


def outputs_case(engine, generated_path: str, n: int, max_new_tokens: list[int]) -> None:
    """CultureSPA §4.2 (issue 13, item 3): culture-aware (P1) answers to generated questions, one
    job's prompts (one country), batched engine against the one-prompt-at-a-time loop; then the size
    of the paper grid's outputs step from the prompt lengths measured here (goal: >= 3x)."""
    import json

    from culturealign.papers.culturespa.crqpc import as_records

    path = Path(generated_path)
    if path.is_file():
        generated = json.loads(path.read_text())
        source = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
    else:  # no generated questions yet: WVS questions in the generated-question layout stand in
        data = normalise(ROOT / "resources" / "wvs")
        generated = [{"id": q["qid"], "topic_id": q["topic_id"], "question": q["question"],
                      "options": [o["text"] for o in q["options"]]} for q in data["questions"]]
        source = "WVS questions (no generated questions file)"
    records = as_records(generated)
    qids = list(records)[:n]
    convs = build_conversations("p1", "USA", MethodContext(records, None, {}), qids)
    lengths = [len(engine.tokenizer(engine.render(c), add_special_tokens=False)["input_ids"]) for c in convs]
    mean_len = sum(lengths) / len(lengths)
    for max_new in max_new_tokens:
        sampling = Sampling(temperature=0.6, top_p=0.9, max_new_tokens=max_new, seed=42)
        engine.generate(convs[:2], sampling)  # warm-up
        batched = timed(lambda: engine.generate(convs, sampling))
        single = timed(lambda: one_by_one(engine, convs, sampling))
        print(f"CultureSPA outputs step, P1, USA ({len(convs)} questions from {source}, max_new_tokens={max_new}): "
              f"engine {len(convs) / batched:.2f} prompts/s, one-by-one {len(convs) / single:.2f} prompts/s, "
              f"ratio {single / batched:.1f}x")
    # The paper grid (§5.1): 13,000 generated - 153 filtered = 12,847 questions, answered 1 (culture-
    # unaware) + 18 (P1) + 18 (P2, cross-culture thinking) times, by each of its two models.
    prompts = 12_847 * (1 + 18 + 18) * 2
    print(f"paper grid outputs step: {prompts:,} prompts; prompt tokens measured here (SmolLM2 tokenizer, P1): "
          f"mean {mean_len:.0f}, so about {prompts * mean_len / 1e6:.0f}M prompt tokens plus at most "
          f"{prompts * 256 / 1e6:.0f}M generated (256 new tokens each, the code's cap)")


def one_by_one(engine, conversations, sampling: Sampling) -> None:
    """The reference loop: one tokenised prompt, one `generate` call, no batching."""
    tok, model = engine.tokenizer, engine.model
    torch.manual_seed(sampling.seed)
    for conv in conversations:
        ids = tok(engine.render(conv), return_tensors="pt", add_special_tokens=False)
        with torch.inference_mode():
            model.generate(**ids, max_new_tokens=sampling.max_new_tokens, do_sample=True,
                           temperature=sampling.temperature, top_k=None, pad_token_id=tok.pad_token_id)


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    mem = ""
    if Path("/proc/meminfo").exists():
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 2**20:.0f} GiB"
    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "no GPU"
    return f"{platform.machine()} {cpu}, {len(__import__('os').sched_getaffinity(0))} cores{mem}, {gpu}"


class CTranslate2Engine:
    """Greedy generation with CTranslate2 (float32, CPU) from a conversion of the same checkpoint; the
    prompts are rendered and tokenised as the transformers backend does."""

    def __init__(self, weights: str, threads: int, batch_size: int):
        import tempfile

        import ctranslate2
        from ctranslate2.converters import TransformersConverter
        from transformers import AutoTokenizer

        self.dir = Path(tempfile.mkdtemp(prefix="ct2-")) / "model"
        TransformersConverter(weights).convert(str(self.dir), quantization="float32")
        self.generator = ctranslate2.Generator(str(self.dir), device="cpu", intra_threads=threads)
        self.tokenizer = AutoTokenizer.from_pretrained(weights)
        self.batch_size = batch_size
        self.version = ctranslate2.__version__
        self.ignore_eos = False

    def generate(self, conversations, sampling: Sampling) -> list[list[str]]:
        prompts = [self.tokenizer.convert_ids_to_tokens(self.tokenizer.apply_chat_template(
            c, add_generation_prompt=True, tokenize=True, return_dict=False)) for c in conversations]
        results = self.generator.generate_batch(prompts, max_batch_size=self.batch_size, sampling_topk=1,
                                                max_length=sampling.max_new_tokens, include_prompt_in_result=False,
                                                end_token=self.tokenizer.eos_token,
                                                min_length=sampling.max_new_tokens if self.ignore_eos else 0)
        return [[self.tokenizer.decode(r.sequences_ids[0], skip_special_tokens=True)] for r in results]


def backends_case(backends: list[str], weights: str, spec: dict, args) -> None:
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(weights)
    survey = survey_prompts(args.prompts)
    cases = [("survey answers", survey, 16),
             ("CultureSPA P1+P3 prompts", culturespa_prompts("p1-p3", args.prompts // 2), 16),
             *[(f"{n}-token generations", survey, n) for n in args.new_tokens if n != 16]]
    print(f"machine: {machine()}; model {weights}; greedy, {args.threads} threads"
          + ("; every row generates max_new_tokens (--ignore-eos)" if args.ignore_eos else ""))
    if args.ignore_eos and "vllm" in backends:
        sys.exit("--ignore-eos: the vLLM backend's wrapper has no such option; leave vllm out")
    texts: dict[str, list] = {}
    rows: list[dict] = []
    for backend in backends:
        started = time.perf_counter()
        if backend == "ctranslate2":
            try:
                engine = CTranslate2Engine(weights, args.threads, args.batch_size)
            except ImportError:
                print("ctranslate2: not installed in this Python; skipped")
                continue
            version = f"ctranslate2 {engine.version}"
        else:
            engine = load_engine(backend, weights, {**spec, "backend": backend}, batch_size=args.batch_size,
                                 threads=args.threads)
            version = engine.determinism().split(":")[0] if backend == "vllm" else f"torch {torch.__version__}"
        if args.ignore_eos:  # decode-bound: no row stops early (transformers: no end-of-sequence id)
            if backend == "ctranslate2":
                engine.ignore_eos = True
            else:
                engine.eos_ids = set()
        load = time.perf_counter() - started
        engine.generate(cases[0][1][:2], Sampling(temperature=0.0, max_new_tokens=4))  # warm-up
        for label, convs, max_new in cases:
            sampling = Sampling(temperature=0.0, max_new_tokens=max_new)
            out: list = []
            seconds = timed(lambda: out.extend(engine.generate(convs, sampling)))
            tokens = sum(len(tokenizer(s[0], add_special_tokens=False).input_ids) for s in out)
            texts.setdefault(label, []).append((backend, [s[0] for s in out]))
            print(f"{backend:12s} {label} ({len(convs)} prompts, max_new_tokens={max_new}): "
                  f"{len(convs) / seconds:.2f} prompts/s, {tokens / seconds:.0f} generated tokens/s "
                  f"({version}; load {load:.1f} s)")
            rows.append({"backend": backend, "version": version, "case": label, "prompts": len(convs),
                         "max_new_tokens": max_new, "seconds": round(seconds, 3),
                         "prompts_per_s": round(len(convs) / seconds, 3), "generated_tokens": tokens,
                         "tokens_per_s": round(tokens / seconds, 1)})
        del engine
    for label, runs in texts.items():
        base_name, base = runs[0]
        for name, other in runs[1:]:
            same = sum(a == b for a, b in zip(base, other))
            print(f"{label}: {name} text identical to {base_name} on {same}/{len(base)} prompts")
    if args.plot:
        plot_backends(rows, args.plot, machine() + ("; every row to max_new_tokens" if args.ignore_eos else ""))


def plot_backends(rows: list[dict], png: str, where: str) -> None:
    """Generated tokens/s and prompts/s against max_new_tokens (the survey prompts), one line per
    backend; the figures beside it as CSV (same name, .csv)."""
    import csv

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with open(Path(png).with_suffix(".csv"), "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    survey = [r for r in rows if r["case"] != "CultureSPA P1+P3 prompts"]
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for backend in dict.fromkeys(r["backend"] for r in survey):
        mine = sorted((r for r in survey if r["backend"] == backend), key=lambda r: r["max_new_tokens"])
        for ax, key in zip(axes, ("tokens_per_s", "prompts_per_s")):
            ax.plot([r["max_new_tokens"] for r in mine], [r[key] for r in mine], marker="o", label=backend)
    ticks = sorted({r["max_new_tokens"] for r in survey})
    for ax, label in zip(axes, ("generated tokens / s", "prompts / s")):
        ax.set_xscale("log", base=2)
        ax.set_xticks(ticks, [str(t) for t in ticks])
        ax.set_ylim(bottom=0)
        ax.set_xlabel("max_new_tokens (greedy, survey prompts)")
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
        ax.legend()
    fig.suptitle(f"Backends on SmolLM2-135M-Instruct: {where}", fontsize=8)
    fig.tight_layout()
    fig.savefig(png, dpi=120, metadata={"Software": None})
    print(f"plot: {png} (figures: {Path(png).with_suffix('.csv')})")


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--weights", default=str(ROOT / "results/models/smollm2-135m/weights"))
    parser.add_argument("--prompts", type=int, default=64)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--distill-questions", type=int, default=16)
    parser.add_argument("--samples", type=int, default=4)
    parser.add_argument("--cases", nargs="+", default=["survey", "128", "distill", "p3"],
                        choices=["survey", "128", "distill", "p3", "outputs"])
    parser.add_argument("--generated", default=str(ROOT / "results/culturespa/generated/smollm2-135m/all/questions.json"),
                        help="generated questions for --cases outputs (the embedded run's by default)")
    parser.add_argument("--outputs-tokens", type=int, nargs="+", default=[16, 64])
    parser.add_argument("--new-tokens", type=int, nargs="+", default=[16, 64, 128, 256],
                        help="max_new_tokens of the survey-prompt generations in --backends")
    parser.add_argument("--ignore-eos", action="store_true",
                        help="with --backends (transformers, ctranslate2): every row generates max_new_tokens")
    parser.add_argument("--plot", default="", help="with --backends: write this PNG (and .csv) of the figures")
    parser.add_argument("--backends", default="",
                        help="comma-separated backends to compare side by side (transformers,vllm,ctranslate2); "
                             "runs only that comparison")
    args = parser.parse_args()
    if not Path(args.weights).is_dir():
        sys.exit(f"no checkpoint at {args.weights}: run `snakemake --cores 2 results/models/smollm2-135m/manifest.json`")
    spec = yaml.safe_load((ROOT / "config.yaml").read_text())["models"]["smollm2-135m"]
    if args.backends:
        backends_case([b.strip() for b in args.backends.split(",") if b.strip()], args.weights, spec, args)
        return
    engine = load_engine("transformers", args.weights, spec, batch_size=args.batch_size, threads=args.threads)
    convs = survey_prompts(args.prompts)
    print(f"machine: {platform.machine()}, {torch.get_num_threads()} threads, torch {torch.__version__}, "
          f"{platform.python_version()}; model {args.weights}; {len(convs)} prompts, batch {args.batch_size}")
    cases = [("survey", "survey answer", spec["max_new_tokens"]), ("128", "128-token generation", 128)]
    for _, label, max_new in [c for c in cases if c[0] in args.cases]:
        sampling = Sampling(temperature=0.6, max_new_tokens=max_new, seed=0)
        engine.generate(convs[:2], sampling)  # warm-up
        batched = timed(lambda: engine.generate(convs, sampling))
        single = timed(lambda: one_by_one(engine, convs, sampling))
        print(f"{label} (max_new_tokens={max_new}): engine {len(convs) / batched:.2f} prompts/s, "
              f"one-by-one {len(convs) / single:.2f} prompts/s, ratio {single / batched:.1f}x")
    if "p3" in args.cases:
        p3_case(engine, args.prompts, spec["max_new_tokens"])
    if "outputs" in args.cases:
        outputs_case(engine, args.generated, args.prompts, args.outputs_tokens)
    if "distill" not in args.cases:
        return
    distill = yaml.safe_load((ROOT / "config.yaml").read_text())["cnca"]["finetune"]["distill"]
    convs = distill_prompts(args.distill_questions)
    sampling = Sampling(temperature=0.6, max_new_tokens=distill["max_new_tokens"], n=args.samples, seed=1)
    chains = len(convs) * args.samples
    batched = timed(lambda: engine.generate(convs, sampling))
    single = timed(lambda: one_by_one(engine, [c for c in convs for _ in range(args.samples)],
                                      Sampling(temperature=0.6, max_new_tokens=distill["max_new_tokens"], seed=1)))
    print(f"distillation round ({len(convs)} questions x {args.samples} samples, max_new_tokens="
          f"{distill['max_new_tokens']}): engine {chains / batched:.2f} chains/s, one-by-one "
          f"{chains / single:.2f} chains/s, ratio {single / batched:.1f}x")


if __name__ == "__main__":
    main()
