"""kzsim: Kazakhstan's multi-vector balancing under Western sanctions on Russia.

The public API for notebooks and scripts (the model itself is the plain-Python ``sim``
package; this package is its edge: configuration, command line, figures and reports)::

    import kzsim
    cfg = kzsim.load_config(["sanctions=calibrated", "policy.rus=tit_for_tat"])
    trajectories = kzsim.run(cfg, seeds=[1, 2, 3])
    results = kzsim.load_results("results/sanctions_grid")
    lhs = kzsim.sweep(["experiment=sanctions_lhs", "sweep.samples=100"])   # in memory
    designs = kzsim.compare(["status_quo_2022", "calibrated"], ["compare.replications=20"])

Names are imported on first use, so ``import kzsim`` (and ``kzsim --help``) stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "load_config": ("kzsim.configuration", "compose_config"),
    "run": ("sim.api", "run"),
    "outcomes": ("sim.outcomes", "outcomes"),
    "load_results": ("sim.results", "load_results"),
    "sweep": ("kzsim.api", "sweep"),
    "compare": ("kzsim.api", "compare"),
    "Results": ("sim.results", "Results"),
    "SimConfig": ("sim.config", "SimConfig"),
    "ConfigError": ("sim.errors", "ConfigError"),
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'kzsim' has no attribute '{name}'")
    module, attr = _EXPORTS[name]
    value = getattr(import_module(module), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
