"""Pareto fronts: which designs no other design beats on every objective at once."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def pareto_front(values, maximize: Sequence[bool]) -> np.ndarray:
    """Mask of the non-dominated rows of ``values`` (rows: designs; columns: objectives).

    A row is dominated when another row is at least as good on every objective and strictly
    better on one. ``maximize[j]`` says whether objective ``j`` is better high.
    """
    v = np.asarray(values, dtype=float)
    sign = np.where(np.asarray(maximize, dtype=bool), 1.0, -1.0)
    v = v * sign
    n = v.shape[0]
    keep = np.ones(n, dtype=bool)
    for i in range(n):
        better_eq = (v >= v[i]).all(axis=1)
        strictly = (v > v[i]).any(axis=1)
        keep[i] = not (better_eq & strictly).any()
    return keep
