"""Every table and figure the workflow can make, listed from the one declaration of artifacts
(`papers/<paper>/artifacts.py`), with what making it runs under a config: the jobs of its DAG, the
ones that load a model (generation, scoring with a model, training; they declare a `gpu` resource in
rules/common/resources.smk) and the ones that ask for a GPU on a cluster. `culturealign targets`."""

from __future__ import annotations

from pathlib import Path

from .leaderboard.artifacts import ARTIFACTS as LEADERBOARD
from .papers.caredio.artifacts import ARTIFACTS as CAREDIO
from .papers.cnca.artifacts import ARTIFACTS as CNCA
from .papers.culturespa.artifacts import ARTIFACTS as CULTURESPA

PAPERS = {"cnca": CNCA, "culturespa": CULTURESPA, "caredio": CAREDIO, "leaderboard": LEADERBOARD}


def declared(paper: str | None = None) -> list[dict]:
    """One row per declared table or figure: path, paper, label, what it shows, whether `rule all`
    makes it (the embedded default's `snakemake` with no target), its report page."""
    if paper is not None and paper not in PAPERS:
        raise ValueError(f"unknown paper {paper!r}; valid: {sorted(PAPERS)}")
    return [{"path": a.path, "paper": a.paper, "label": a.label, "what": a.what, "in_all": a.default,
             "page": a.page}
            for name, artifacts in PAPERS.items() if paper in (None, name) for a in artifacts]


def job_counts(paths: list[str], configfiles=(), workdir: str | Path = ".") -> dict[str, dict]:
    """For each path: the jobs its DAG has under the config (`configfiles`, else config.yaml), how
    many load a model and how many ask for a GPU. Builds the DAG in this process with Snakemake's API
    (every job, as with --forceall), the way `snakemake --dag` does; nothing runs, nothing is locked."""
    from snakemake.api import SnakemakeApi
    from snakemake.settings.types import ConfigSettings, DAGSettings, OutputSettings, Quietness, ResourceSettings

    workdir = Path(workdir).resolve()
    with SnakemakeApi(OutputSettings(quiet={Quietness.ALL})) as api:
        workflow_api = api.workflow(resource_settings=ResourceSettings(cores=1),
                                    config_settings=ConfigSettings(configfiles=[Path(c).resolve() for c in configfiles]),
                                    snakefile=workdir / "Snakefile", workdir=workdir)
        dag_api = workflow_api.dag(DAGSettings(targets=frozenset(paths), forceall=True))
        # DAGApi has no public accessor for the DAG it builds; printdag() uses these same two steps
        workflow = dag_api.workflow_api._workflow
        workflow._prepare_dag(forceall=True, ignore_incomplete=True, lock_warn_only=True, nolock=True)
        workflow._build_dag()
        dag = workflow.dag
        producer = {str(f): job for job in dag.jobs for f in job.output}
        out = {}
        for path in paths:
            seen, stack = set(), [producer[path]]
            while stack:
                job = stack.pop()
                if job not in seen:
                    seen.add(job)
                    stack.extend(dag.dependencies[job])
            model = [j for j in seen if "gpu" in j.rule.resources]
            out[path] = {"jobs": len(seen), "model_jobs": len(model),
                         "gpu_jobs": sum(1 for j in model if (j.resources.get("gpu") or 0) > 0)}
        return out


def listing(paper: str | None = None, configfiles=(), workdir: str | Path = ".", jobs: bool = True) -> list[dict]:
    rows = declared(paper)
    if jobs and rows:
        counts = job_counts([r["path"] for r in rows], configfiles, workdir)
        for row in rows:
            row.update(counts[row["path"]])
    return rows


def text(rows: list[dict], configfiles=()) -> str:
    head = ["target", "paper", "what", "in all", "jobs", "model", "GPU"]
    body = [[r["path"], f"{r['paper']} {r['label']}", r["what"], "yes" if r["in_all"] else "no",
             *(str(r[k]) if k in r else "-" for k in ("jobs", "model_jobs", "gpu_jobs"))] for r in rows]
    widths = [max(len(line[i]) for line in [head, *body]) for i in range(len(head))]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    config = " + ".join(map(str, configfiles)) or "config.yaml"
    notes = [f"config: {config}",
             "in all: made by `snakemake` with no target; each also has its report page, results/report/<name>.html",
             "jobs: its DAG (every job, as from scratch); model: jobs that load a model (generation, training);",
             "GPU: of those, the ones that ask for a GPU on a cluster (docs/slurm.md; locally they run on the CPU)"]
    return "\n".join([fmt.format(*head).rstrip(), *(fmt.format(*line).rstrip() for line in body), "", *notes]) + "\n"
