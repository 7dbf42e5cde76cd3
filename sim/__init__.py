"""kzsim: an agent-based simulation of Kazakhstan's multi-vector balancing under sanctions.

Public API: :func:`load_config` (compose ``configs/`` with overrides) and :func:`run` (one row
per seed and turn) and :func:`outcomes` (one row per seed); :func:`load_results` reads a sweep's results folder. The model is plain Python; Hydra lives at the edge (``experiments``).
"""

from sim.api import load_config, run
from sim.config import SimConfig
from sim.errors import ConfigError
from sim.outcomes import outcomes
from sim.results import load_results

__all__ = ["ConfigError", "SimConfig", "load_config", "load_results", "outcomes", "run"]
