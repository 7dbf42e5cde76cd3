"""The model of kzsim, in plain Python (no Hydra, no plotting).

:func:`run` simulates one row per seed and turn, :func:`outcomes` one row per seed and
:func:`load_results` reads a results folder. Configurations come from
:func:`kzsim.load_config` (the edge composes ``configs/`` with overrides) or
:func:`sim.config.from_mapping`.
"""

from sim.api import run
from sim.config import SimConfig, from_mapping
from sim.errors import ConfigError
from sim.outcomes import outcomes
from sim.results import load_results

__all__ = ["ConfigError", "SimConfig", "from_mapping", "load_results", "outcomes", "run"]
