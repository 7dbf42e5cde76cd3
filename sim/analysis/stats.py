"""Intervals for means, proportions and paired differences.

Runs of two designs that share a replication share their seed (and uncertainty sample), so
the difference of a design against the reference is taken run by run (paired), which removes
the common noise: its interval is much narrower than the difference of two separate means.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy import stats


class Interval(NamedTuple):
    """An estimate with a two-sided confidence interval."""

    estimate: float
    low: float
    high: float


def mean_interval(x, level: float = 0.95) -> Interval:
    """Mean and Student-t interval; a single value has an interval of zero width."""
    x = np.asarray(x, dtype=float)
    n = x.size
    if n == 0:
        return Interval(np.nan, np.nan, np.nan)
    m = float(x.mean())
    if n == 1:
        return Interval(m, m, m)
    half = stats.t.ppf(0.5 + level / 2, n - 1) * x.std(ddof=1) / np.sqrt(n)
    return Interval(m, m - half, m + half)


def proportion_interval(x, level: float = 0.95) -> Interval:
    """Share of true values and its Wilson score interval (sound near 0 and 1)."""
    x = np.asarray(x, dtype=bool)
    n = x.size
    if n == 0:
        return Interval(np.nan, np.nan, np.nan)
    p = x.mean()
    z = stats.norm.ppf(0.5 + level / 2)
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return Interval(float(p), float(max(0.0, centre - half)), float(min(1.0, centre + half)))


def paired_difference(a, b, level: float = 0.95) -> Interval:
    """Mean of ``a - b`` over paired runs with its t interval (booleans count as 0/1)."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError("paired samples must have the same length")
    return mean_interval(a - b, level)


def interval(x, level: float = 0.95) -> Interval:
    """Proportion interval for booleans, mean interval otherwise."""
    x = np.asarray(x)
    return proportion_interval(x, level) if x.dtype == bool else mean_interval(x, level)
