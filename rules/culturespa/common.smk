# CultureSPA: its grid (culturealign.papers.culturespa.grid), input functions (.inputs), paths and
# declared artifacts (.artifacts), and wildcard constraints from the method registry.
from culturealign.papers.culturespa import artifacts as culturespa_paths
from culturealign.papers.culturespa import grid as culturespa_grid
from culturealign.papers.culturespa import inputs as culturespa_inputs

CULTURESPA_METHODS = methods(paper="culturespa")
CULTURESPA_COUNTRY_METHODS = "|".join(
    m for m in CULTURESPA_METHODS if m != culturespa_grid.UNAWARE
)


def culturespa_describe(cfg):
    c = cfg["culturespa"]
    per_topic = c["evaluation"]["per_topic"]
    return (
        f"models {' '.join(c['evaluation']['models'])}; "
        f"countries {' '.join(c['countries'])}; runs {c['runs']} (seeds "
        f"{' '.join(str(culturespa_grid.seed_of(r)) for r in culturespa_grid.runs(c))}); "
        f"{'all questions' if per_topic is None else 'the first question' if per_topic == 1 else f'the first {per_topic} questions'} of topics "
        f"{' '.join(map(str, c['evaluation']['topics']))}"
    )


DESCRIBE["culturespa"] = culturespa_describe


wildcard_constraints:
    run="[0-9]+",
