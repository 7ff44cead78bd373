import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
from pathlib import Path

from culturealign.io import read_json, write_jsonl
from culturealign.jobs import finish, start
from culturealign.papers.culturespa.crqpc import as_records
from culturealign.papers.culturespa.grid import UNAWARE
from culturealign.papers.culturespa.methods import SIMILARITY
from culturealign.predict import predict
from culturealign.registry import MethodContext

log = start(snakemake)
w, p, i = snakemake.wildcards, snakemake.params, snakemake.input
questions = as_records(read_json(i.generated))
extras = {SIMILARITY: read_json(i.similarity)} if i.get("similarity") else {}
determinism = None
if not questions:  # every generated question was dropped: nothing to answer, no model loaded
    write_jsonl(snakemake.output[0], [])
    log.warning("%s: no generated question to answer", i.generated)
else:
    info = predict(
        model=w.model, spec=p.spec, model_dir=str(Path(i.manifest).parent / "weights"),
        method=w.get("method", UNAWARE), country=w.get("country"), seed=int(p.seed),
        ctx=MethodContext(questions, None, extras), qids=list(questions),
        sampling={"temperature": p.sampling["temperature"], "top_p": p.sampling["top_p"], "top_k": p.sampling["top_k"]},
        engine_options={**p.engine, "threads": snakemake.threads}, out=snakemake.output[0],
        max_new_tokens=p.sampling["max_new_tokens"], parser="first-integer",
    )
    log.info("%s", info)
    determinism = info["determinism"]
finish(snakemake, determinism=determinism)
