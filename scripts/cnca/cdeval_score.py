import sys; sys.path.insert(0, f"{snakemake.scriptdir}/../../src")  # noqa: E702  (use the checkout's own code)
from culturealign.papers.cnca.cdeval import load_hofstede, score, tendencies
from culturealign.checksums import verify_sha256sums
from culturealign.io import read_jsonl, write_json
from culturealign.jobs import finish, start

log = start(snakemake)
verify_sha256sums(snakemake.input.sums)
poles = tendencies(load_hofstede(snakemake.input.hofstede), snakemake.params.countries, snakemake.params.threshold)
records = [r for path in snakemake.input.predictions for r in read_jsonl(path)]
result = score(records, poles)
result.update(threshold=snakemake.params.threshold, poles=poles)
write_json(snakemake.output[0], result)
log.info("dimensions %s average %s", result["dimensions"], result["average"])
finish(snakemake)
