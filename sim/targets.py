"""Observed targets as points or bounds, and how far a simulated value misses one.

A target (``configs/targets/<name>.yaml``) is a point value by default. ``bound: lower`` makes it
a level the quantity is at least (``upper``: at most): the value a source gives for a part of the
quantity, as B04 gives Kazakh exports to Russia of electronics, household appliances and phones,
one part of the high-priority goods the model's re-export flow (M3) carries. Pattern-oriented
modelling checks a model against such ranges as well as against points (Grimm et al. 2005,
*Science* 310: 987-991). A bound's miss is zero on its allowed side and the log ratio beyond
it, so a fit is not pulled toward the bound itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from sim.errors import ConfigError

BOUNDS = ("point", "lower", "upper")
"""What a target's ``observed`` is: the value, a lower bound or an upper bound."""


def bounds_of(targets: Sequence[Mapping]) -> np.ndarray:
    """Each target's ``bound`` (default ``point``), checked against :data:`BOUNDS`."""
    bounds = [str(t.get("bound", "point")) for t in targets]
    bad = [(t.get("quantity"), b) for t, b in zip(targets, bounds, strict=True)
           if b not in BOUNDS]
    if bad:
        raise ConfigError(f"target {bad[0][0]!r}: bound {bad[0][1]!r} is unknown; valid "
                          f"choices: {', '.join(BOUNDS)}")
    return np.array(bounds, dtype=object)


def shortfall(log_ratio, bounds) -> np.ndarray:
    """``log(simulated / observed)`` with a bound's allowed side set to 0.

    Any signed miss works the same (a relative error ``simulated / observed - 1`` too).
    ``bounds`` broadcasts against ``log_ratio`` along its last axis (one per target). A point
    target keeps the log ratio; a lower bound keeps only a shortfall (``min(r, 0)``), an upper
    bound only an excess (``max(r, 0)``).
    """
    r = np.asarray(log_ratio, dtype=float)
    bounds = np.asarray(bounds, dtype=object)
    return np.where(bounds == "lower", np.minimum(r, 0.0),
                    np.where(bounds == "upper", np.maximum(r, 0.0), r))


def censor_logs(logs, observed_logs, bounds) -> np.ndarray:
    """Simulated log statistics with a bound's allowed side moved onto the observed value.

    The distance of an ABC fit, ``(statistic - observed) / scale``, then reads a bound's
    :func:`shortfall`: a lower bound's statistic is ``min(log sim, log obs)``.
    """
    observed_logs = np.asarray(observed_logs, dtype=float)
    return observed_logs + shortfall(np.asarray(logs, dtype=float) - observed_logs, bounds)


def within_tolerance(relative_error, tolerance, bounds) -> np.ndarray:
    """Whether each ``simulated / observed - 1`` misses by no more than ``tolerance``.

    A lower bound is met down to ``observed·(1 - tolerance)``, an upper bound up to
    ``observed·(1 + tolerance)``, with no limit on the allowed side.
    """
    return np.abs(shortfall(relative_error, bounds)) <= np.asarray(tolerance, dtype=float)


def inside_band(observed, lower, upper, bounds) -> np.ndarray:
    """Whether an observation is consistent with a band ``[lower, upper]`` (ends included).

    A point must lie in the band; a lower bound needs the band to reach it (``upper >=
    observed``: the quantity can be at least that much), an upper bound ``lower <= observed``.
    """
    obs, lo, hi = (np.asarray(x, dtype=float) for x in (observed, lower, upper))
    bounds = np.asarray(bounds, dtype=object)
    return np.where(bounds == "lower", hi >= obs,
                    np.where(bounds == "upper", lo <= obs, (lo <= obs) & (obs <= hi)))


def bound_column(frame) -> np.ndarray:
    """A table's ``bound`` column (``point`` where absent or empty): targets or ``fit.csv``."""
    if "bound" not in getattr(frame, "columns", ()):
        return np.full(len(frame), "point", dtype=object)
    return frame["bound"].fillna("point").astype(str).to_numpy(dtype=object)


__all__ = ["BOUNDS", "bound_column", "bounds_of", "censor_logs", "inside_band", "shortfall",
           "within_tolerance"]
