import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)

from culturealign.io import read_json
from culturealign.jobs import finish, start
from culturealign.papers.culturespa.figures import figure3
from culturealign.wvs import TOPIC_NAMES

log = start(snakemake)
p, o = snakemake.params, snakemake.output
selections = {s["variant"]: s for s in map(read_json, snakemake.input.selections)}
panels = {"aware": "culture-aware answers (CultureSPA)", "cct": "cross-culture-thinking answers (CultureSPA (CCT))"}
caption = (f"{p.model}, data {p.seeds}: CRQPC examples (o_c != o) per WVS topic and country; "
           + ", ".join(f"({letter}) {panels[v]}" for letter, v in zip("ab", selections)) + ".")
table = figure3(selections, read_json(snakemake.input.generated), dict(TOPIC_NAMES), caption, [o.png, o.pdf],
                o.csv, o.json)
log.info("%d cells", len(table))
finish(snakemake)
