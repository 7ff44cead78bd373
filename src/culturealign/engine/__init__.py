"""One inference engine, several backends, registered by name (see base.register_backend)."""

from .base import BACKENDS, Engine, EngineByAdapter, Sampling, load_engine, register_backend

# Import the backends so that they register themselves; neither imports its heavy library at
# module import time (vllm is not installable on a CPU machine).
from . import hf as _hf  # noqa: F401,E402
from . import vllm_backend as _vllm  # noqa: F401,E402

__all__ = ["BACKENDS", "Engine", "EngineByAdapter", "Sampling", "load_engine", "register_backend"]
