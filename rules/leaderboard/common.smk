# The leaderboard's imports, paths and input helpers (rules in leaderboard.smk).
from culturealign import leaderboard
from culturealign.leaderboard.artifacts import SCORES as LEADERBOARD_SCORES

LEADERBOARD_ARTIFACTS = by_name(LEADERBOARD_TABLES_AND_FIGURES)


def leaderboard_describe(cfg):
    try:
        where = " ".join(leaderboard.countries(cfg))
    except ConfigError as exc:
        where = f"no country ({exc})"
    return f"model {leaderboard.model(cfg)}; countries {where}; seeds {' '.join(map(str, cfg['cnca']['seeds']))}"


DESCRIBE["leaderboard"] = leaderboard_describe


def leaderboard_row(c, w):
    return leaderboard.row(c, w.row, cnca_recipes(c)).as_dict()


def leaderboard_predict_runtime(wildcards, attempt):
    """Minutes: a model job's allowance plus 5 per country (as CultureSPA's prediction jobs)."""
    shared = config["leaderboard"]["countries"] or leaderboard.candidate_countries(
        config
    )
    return model_runtime(wildcards, attempt) + 5 * len(shared) * attempt
