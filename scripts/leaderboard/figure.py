import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
import csv

from culturealign.jobs import finish, start
from culturealign.leaderboard.figure import figure

log = start(snakemake)
p = snakemake.params
with open(snakemake.input[0], newline="") as handle:
    rows = list(csv.DictReader(handle))
caption = (f"{p.model_name}; countries {' '.join(p.countries)}; CNCA test questions; "
           f"seeds {' '.join(map(str, p.seeds))}")
figure(rows, caption, [snakemake.output.png, snakemake.output.pdf], snakemake.output.json)
finish(snakemake)
