"""The paired no-sanctions counterfactual: which runs share one, and their parameters.

The welfare loss is real income against a run without sanctions on the same seed, the same
structural parameters and the same engagement (MODEL_V2.md). Runs that differ only in their
sanctions levers share that counterfactual, so a sweep of many designs over the same seeds
simulates each counterfactual once.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np


def _per_run_leaves(obj: Any, n: int, path: str = "") -> list[tuple[str, np.ndarray]]:
    """(dotted path, array) for every per-run array field of a nested dataclass."""
    out = []
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        where = f"{path}.{f.name}" if path else f.name
        if dataclasses.is_dataclass(value):
            out += _per_run_leaves(value, n, where)
        elif isinstance(value, np.ndarray) and value.ndim == 1 and value.shape[0] == n:
            out.append((where, value))
    return out


def _take(obj: Any, idx: np.ndarray, n: int) -> Any:
    """A copy of a nested dataclass with every per-run array indexed by ``idx``."""
    changes = {}
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if dataclasses.is_dataclass(value):
            changes[f.name] = _take(value, idx, n)
        elif isinstance(value, np.ndarray) and value.ndim == 1 and value.shape[0] == n:
            changes[f.name] = value[idx]
    return dataclasses.replace(obj, **changes) if changes else obj


SHADOW_DESIGN_FIELDS = ("engagement",)
"""Design fields that still act in the counterfactual: engagement is not a sanction. Every
other field only scales sanctions, which the counterfactual sets to zero."""


def counterfactual_index(seeds: np.ndarray, params: Any, design: Any
                         ) -> tuple[np.ndarray, np.ndarray]:
    """The distinct (seed, parameters, engagement) combinations of a batch.

    Returns each combination's first run and, for every run of the batch, the index of its
    combination (its counterfactual).
    """
    n = len(seeds)
    leaves = _per_run_leaves(params, n) + [
        (f, np.asarray(getattr(design, f))) for f in SHADOW_DESIGN_FIELDS
        if np.ndim(getattr(design, f)) == 1 and np.shape(getattr(design, f))[0] == n]
    _, first, inverse = np.unique(seeds, return_index=True, return_inverse=True)
    if leaves:
        keys = np.column_stack([inverse.reshape(-1)] + [values for _, values in leaves])
        _, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
    return first, inverse.reshape(-1)


def take_runs(seeds: np.ndarray, params: Any, design: Any, index: np.ndarray
              ) -> tuple[np.ndarray, Any, Any]:
    """The runs ``index`` of a batch: their seeds, parameters and design (per-run arrays)."""
    n = len(seeds)
    return seeds[index], _take(params, index, n), _take(design, index, n)


def counterfactual_runs(seeds: np.ndarray, params: Any, design: Any
                        ) -> tuple[np.ndarray, Any, Any, np.ndarray]:
    """The counterfactuals of a batch as runs of their own (:func:`counterfactual_index`).

    Returns their seeds, parameters and design (per-run arrays indexed accordingly) and, for
    every run of the batch, the index of its counterfactual.
    """
    first, pairs = counterfactual_index(seeds, params, design)
    return (*take_runs(seeds, params, design, first), pairs)
