import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)

from culturealign.io import write_json
from culturealign.jobs import finish, start
from culturealign.papers.culturespa.methods import rank_by_chrf
from culturealign.wvs import load_questions

log = start(snakemake)
ranking = rank_by_chrf(load_questions(snakemake.input.questions))
write_json(snakemake.output[0], ranking)
log.info("chrF++ ranking of %d questions", len(ranking))
finish(snakemake)
