"""Each paper's own logic, one subpackage per paper. Importing this package registers every
paper's methods in culturealign.registry, then every method of culturealign.methods (the folder for
methods beside the papers': docs/leaderboard.md)."""

from . import cnca, culturespa  # noqa: F401
from .. import methods as _more_methods  # noqa: F401,E402  (after the papers': a method may build on theirs)
