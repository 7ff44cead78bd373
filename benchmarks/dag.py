"""How long a dry-run of the paper grid takes, and how much memory it holds: the first thing a researcher
waits for after editing the config. Runs `snakemake -n --quiet rules` (targets, configs/paper.yaml) a
few times each, in a clean environment, and prints the wall time (best and median), the peak RSS and
the job count, with the machine.

    .venv/bin/python benchmarks/dag.py [--repeat 3]

Cases: CNCA's Table 3 (goal: under 5 s), and the three papers' whole grid, target `all` (goal: under
10 s and 250 MB). A machine with SLURM's client tools but no controller adds the SLURM plugin's 10 s
`scontrol` wait to every start (docs/slurm.md): the script puts a failing `scontrol` first on PATH, as
the tests do, so that the figures are the workflow's own. Not a test: it prints figures;
benchmarks/README.md records them with the date and machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SNAKEMAKE = str(ROOT / ".venv" / "bin" / "snakemake")
CASES = {"CNCA Table 3 (goal < 5 s)": ["results/table3.csv"], "all three papers, target all (goal < 10 s, 250 MB)": []}


def machine() -> str:
    cpu = platform.processor()
    if Path("/proc/cpuinfo").exists():
        cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")), cpu)
    mem = ""
    if Path("/proc/meminfo").exists():
        mem = f", {int(Path('/proc/meminfo').read_text().split()[1]) / 2**20:.0f} GiB"
    return f"{platform.machine()} {cpu}, {len(os.sched_getaffinity(0))} cores{mem}, Python {platform.python_version()}"


def no_scontrol() -> str:
    folder = Path(tempfile.gettempdir()) / "culturealign-no-scontrol"
    folder.mkdir(exist_ok=True)
    shim = folder / "scontrol"
    shim.write_text("#!/bin/sh\nexit 1\n")
    shim.chmod(0o755)
    return str(folder)


def dry_run(targets: list[str]) -> tuple[float, float, int]:
    """(wall seconds, peak RSS MiB, jobs) of one dry-run."""
    env = {**os.environ, "PATH": f"{no_scontrol()}{os.pathsep}{os.environ.get('PATH', '')}"}
    cmd = ["/usr/bin/time", "-f", "%M", SNAKEMAKE, *targets, "-n", "--quiet", "rules", "--configfile", "configs/paper.yaml"]
    start = time.perf_counter()
    run = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    if run.returncode != 0:
        sys.exit(f"dry-run failed:\n{run.stderr[-3000:]}")
    rss_kb = int(run.stderr.strip().splitlines()[-1])
    jobs = int(re.search(r"^total\s+(\d+)", run.stdout, flags=re.M).group(1))
    return seconds, rss_kb / 1024, jobs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"machine: {machine()}; configs/paper.yaml; {args.repeat} runs each")
    for label, targets in CASES.items():
        runs = [dry_run(targets) for _ in range(args.repeat)]
        times = [r[0] for r in runs]
        print(f"{label}: {runs[0][2]} jobs, best {min(times):.2f} s, median {statistics.median(times):.2f} s, "
              f"peak RSS {max(r[1] for r in runs):.0f} MiB")


if __name__ == "__main__":
    main()
