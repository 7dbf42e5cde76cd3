"""Points of a sweep: a full grid, a Latin hypercube or a Saltelli/Sobol sample (SALib).

Every lever is checked against the configuration before sampling: it must name a numeric
field under ``sanctions`` or ``params``, and its levels or range must be valid values of that
field (so ``sweep.ranges.sanctions.intensity=[0,2]`` fails with the field's own range).
"""

from __future__ import annotations

import copy
import itertools
from typing import Any

import numpy as np
import pandas as pd

from sim.config import from_mapping
from sim.design import NUMERIC_FIELDS
from sim.errors import ConfigError
from sim.sweep.settings import LEVER_ROOTS, SweepSettings

INTEGER_LEVERS = {"sanctions.duration"}


def _set(mapping: dict, dotted: str, value: Any) -> None:
    node = mapping
    parts = dotted.split(".")
    for part in parts[:-1]:
        node = node[part]
    node[parts[-1]] = value


def _get(mapping: dict, dotted: str) -> Any:
    node: Any = mapping
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def check_levers(mapping: dict, space: dict[str, list], design: str) -> None:
    """Each lever must exist, be numeric, and all its values must be valid for the field."""
    for name, values in space.items():
        root = name.split(".")[0]
        if root not in LEVER_ROOTS or (root == "sanctions" and name.split(".")[-1] not in NUMERIC_FIELDS):
            raise ConfigError(f"sweep lever '{name}' is not sweepable; sweep numeric fields under "
                              f"sanctions ({', '.join(NUMERIC_FIELDS)}) or params")
        current = _get(mapping, name)
        if isinstance(current, bool) or not isinstance(current, (int, float)):
            raise ConfigError(f"sweep lever '{name}' does not name a numeric field of the "
                              "configuration")
        if not isinstance(values, (list, tuple)) or not values:
            raise ConfigError(f"sweep lever '{name}' needs a list of values, got {values!r}")
        if design != "grid" and (len(values) != 2 or values[0] >= values[1]):
            raise ConfigError(f"sweep.ranges.{name} must be [low, high] with low < high, "
                              f"got {list(values)}")
        for v in values:
            trial = copy.deepcopy(mapping)
            _set(trial, name, v)
            try:
                from_mapping(trial)
            except ConfigError as err:
                raise ConfigError(f"sweep lever {name}: {err}") from None


def sample_points(settings: SweepSettings, mapping: dict, seed: int) -> pd.DataFrame:
    """The sweep's points, one row per point (index = point id), one column per lever."""
    space = settings.space()
    check_levers(mapping, space, settings.design)
    names = list(space)
    if settings.design == "grid":
        rows = list(itertools.product(*[list(space[n]) for n in names]))
        values = np.array(rows, dtype=float)
    else:
        problem = {"num_vars": len(names), "names": names,
                   "bounds": [[float(space[n][0]), float(space[n][1])] for n in names]}
        sample_seed = int(np.random.SeedSequence([seed, 0x5EED]).generate_state(1)[0])
        if settings.design == "lhs":
            from SALib.sample import latin
            values = latin.sample(problem, settings.samples, seed=sample_seed)
        else:
            from SALib.sample import sobol
            values = sobol.sample(problem, settings.samples, calc_second_order=False,
                                  seed=sample_seed)
    frame = pd.DataFrame(values, columns=names)
    for name in names:
        if name in INTEGER_LEVERS:
            frame[name] = np.rint(frame[name]).astype(np.int64)
    frame.index.name = "point_id"
    return frame
