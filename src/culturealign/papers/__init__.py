"""Each paper's own logic, one subpackage per paper. Importing this package registers every
paper's methods in culturealign.registry."""

from . import cnca, culturespa  # noqa: F401
