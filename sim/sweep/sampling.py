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

from sim.analysis.sensitivity import saltelli_sample
from sim.config import from_mapping
from sim.design import NUMERIC_FIELDS
from sim.errors import ConfigError
from sim.sweep.settings import LEVER_ROOTS, SweepSettings, column_name

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


def check_levers(mapping: dict, space: dict[str, list], design: str,
                 prefix: str = "sweep.ranges") -> None:
    """Each lever must exist, be numeric, and all its values must be valid for the field.

    Args:
        mapping: the model configuration the levers vary.
        space: {dotted field name: levels (grid) or [low, high] (other designs)}.
        design: ``grid`` for levels, anything else for ``[low, high]`` ranges.
        prefix: where the user wrote the levers (e.g. ``compare.uncertainty``), so messages
            name the setting as written: ``<prefix>.<lever>``.

    """
    for name, values in space.items():
        key = f"{prefix}.{name}" if prefix else name
        root = name.split(".")[0]
        field_name = name.split(".")[-1]
        if root not in LEVER_ROOTS or (root == "sanctions" and field_name not in NUMERIC_FIELDS):
            raise ConfigError(f"{key} is not sweepable; vary numeric fields under "
                              f"sanctions ({', '.join(NUMERIC_FIELDS)}) or params")
        current = _get(mapping, name)
        if isinstance(current, bool) or not isinstance(current, (int, float)):
            raise ConfigError(f"{key}: {name} does not name a numeric field of the configuration")
        if not isinstance(values, (list, tuple)) or not values:
            raise ConfigError(f"{key} needs a list of values, got {values!r}")
        if any(isinstance(v, bool) or not isinstance(v, (int, float)) for v in values):
            raise ConfigError(f"{key} values must be numbers, got {list(values)!r}")
        if design != "grid" and (len(values) != 2 or values[0] >= values[1]):
            raise ConfigError(f"{key} must be [low, high] with low < high, got {list(values)}")
        for v in values:
            trial = copy.deepcopy(mapping)
            _set(trial, name, v)
            try:
                from_mapping(trial)
            except ConfigError as err:
                raise ConfigError(f"{key}: {err}") from None


def sample_points(settings: SweepSettings, mapping: dict, seed: int) -> pd.DataFrame:
    """The sweep's points, one row per point (index = point id), one column per lever.

    Columns are named as stored: ``sanctions__intensity`` for ``sanctions.intensity``.
    """
    space = settings.space()
    settings.check_resources(int(mapping.get("turns", 1)))
    check_levers(mapping, space, settings.design,
                 "sweep.grid" if settings.design == "grid" else "sweep.ranges")
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
            values = saltelli_sample(problem, settings.samples, sample_seed, "sweep.samples")
    frame = pd.DataFrame(values, columns=names)
    for name in names:
        if name in INTEGER_LEVERS:
            frame[name] = np.rint(frame[name]).astype(np.int64)
    frame.columns = [column_name(n) for n in names]
    frame.index.name = "point_id"
    return frame
