"""The model of kzsim, in plain Python (no Hydra, no plotting).

:func:`run` simulates one row per seed and turn, :func:`outcomes` one row per seed and
:func:`load_results` reads a results folder. Configurations come from
:func:`kzsim.load_config` (the edge composes ``configs/`` with overrides) or
:func:`sim.config.from_mapping`.

Names are imported on first use, so importing a light module such as :mod:`sim.errors` does
not import Mesa or pandas (``kzsim --help`` stays fast).
"""

from __future__ import annotations

import sys
import types
from importlib import import_module
from typing import Any

_EXPORTS = {
    "run": "sim.api",
    "SimConfig": "sim.config",
    "from_mapping": "sim.config",
    "ConfigError": "sim.errors",
    "outcomes": "sim.outcomes",
    "load_results": "sim.results",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'sim' has no attribute '{name}'")
    value = getattr(import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])


class _Package(types.ModuleType):
    """Keeps ``sim.outcomes`` the function when the submodule of that name is imported.

    Importing a submodule sets it as an attribute of its package; for an exported name that
    is also a submodule's name, the function of that name is kept instead (as before names
    were imported lazily).
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _EXPORTS and isinstance(value, types.ModuleType) and hasattr(value, name):
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
