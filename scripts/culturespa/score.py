import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)

from culturealign.jobs import finish, start
from culturealign.papers.culturespa.tables import for_countries
from culturealign.scoring import read_predictions, score_records
from culturealign.tables import write_country_scores
from culturealign.wvs import load_questions

log = start(snakemake)
p = snakemake.params
records = for_countries(read_predictions(snakemake.input.predictions), p.countries)
scores = score_records(records, load_questions(snakemake.input.questions), p.parser)
write_country_scores(snakemake.output[0], scores)
for s in scores:
    log.info("%s", s.as_dict())
finish(snakemake)
