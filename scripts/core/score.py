import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)

from culturealign.scoring import read_predictions, score_records
from culturealign.tables import write_country_scores
from culturealign.jobs import finish, start
from culturealign.wvs import load_questions

log = start(snakemake)
scores = score_records(read_predictions(snakemake.input.predictions), load_questions(snakemake.input.questions),
                       snakemake.params.get("parser", "option"))
write_country_scores(snakemake.output[0], scores)
for s in scores:
    log.info("%s", s.as_dict())
finish(snakemake)
