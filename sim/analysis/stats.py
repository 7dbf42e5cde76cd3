"""Intervals for means, proportions and paired differences, for independent or clustered runs.

Runs of two designs that share a replication share their seed (and uncertainty sample), so
the difference of a design against the reference is taken run by run (paired), which removes
the common noise: its interval is much narrower than the difference of two separate means.

Which interval:

* a mean: Student's t;
* a share of runs (booleans): the Wilson score interval (Wilson 1927), inside [0, 1];
* a paired difference of means: t on the run-by-run differences;
* a paired difference of shares: Newcombe's method 10 (Newcombe 1998, "Improved confidence
  intervals for the difference between binomial proportions based on paired data", Statist.
  Med. 17:2635-2650), inside [-1, 1] by construction;
* runs in clusters (a comparison across uncertainty draws: the runs of one draw share its
  structural parameters, so they are correlated): the cluster-robust (CR1) standard error of
  Liang & Zeger (1986, Biometrika 73:13-22) with t critical values on G - 1 degrees of freedom
  for G clusters, as Cameron & Miller (2015, "A practitioner's guide to cluster-robust
  inference", J. Human Resources 50:317-372, section VI) recommend for few clusters. With
  equal cluster sizes this is exactly the t interval over the G per-cluster means. The
  interval is kept inside the range of the quantity ([0, 1] for shares, [-1, 1] for their
  differences) and is never narrower than the interval for independent runs.
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


def _wilson_limits(successes: int, n: int, z: float) -> tuple[float, float]:
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def paired_proportion_difference(a, b, level: float = 0.95) -> Interval:
    """Share of ``a`` minus share of ``b`` over paired runs, with Newcombe's method-10 interval.

    Newcombe (1998, Statist. Med. 17:2635-2650, method 10): the Wilson score limits of each
    share are combined by square-and-add, corrected for the correlation of the pairs,
    ``phi = max(eh - fg - n/2, 0) / sqrt((e+f)(g+h)(e+g)(f+h))`` when ``eh > fg`` (``phi``
    uncorrected when ``eh < fg``, 0 when a margin is empty), where ``e`` counts pairs true in
    both, ``f`` true only in ``a``, ``g`` true only in ``b`` and ``h`` true in neither. The
    interval lies within [-1, 1] and, unlike a t interval on the 0/1 differences, does not
    shrink to zero width when every pair agrees.
    """
    a = np.asarray(a, dtype=bool)
    b = np.asarray(b, dtype=bool)
    if a.shape != b.shape:
        raise ValueError("paired samples must have the same length")
    n = a.size
    if n == 0:
        return Interval(np.nan, np.nan, np.nan)
    e, f = int(np.sum(a & b)), int(np.sum(a & ~b))
    g, h = int(np.sum(~a & b)), int(np.sum(~a & ~b))
    z = stats.norm.ppf(0.5 + level / 2)
    p1, p2 = (e + f) / n, (e + g) / n
    l1, u1 = _wilson_limits(e + f, n, z)
    l2, u2 = _wilson_limits(e + g, n, z)
    margins = float(e + f) * (g + h) * (e + g) * (f + h)
    numerator = float(e * h - f * g)
    if numerator > 0:
        numerator = max(numerator - n / 2, 0.0)
    phi = numerator / np.sqrt(margins) if margins > 0 else 0.0
    d1, d2 = p1 - l1, u2 - p2      # towards the lower limit
    e1, e2 = u1 - p1, p2 - l2      # towards the upper limit
    theta = p1 - p2
    low = theta - np.sqrt(max(d1 * d1 - 2 * phi * d1 * d2 + d2 * d2, 0.0))
    high = theta + np.sqrt(max(e1 * e1 - 2 * phi * e1 * e2 + e2 * e2, 0.0))
    return Interval(float(theta), float(max(-1.0, low)), float(min(1.0, high)))


def clustered_mean_interval(x, clusters, level: float = 0.95,
                            bounds: tuple[float, float] = (-np.inf, np.inf)) -> Interval:
    """Mean with a cluster-robust (CR1) t interval on G - 1 degrees of freedom (G clusters).

    Liang & Zeger (1986); Cameron & Miller (2015, section VI) for the G - 1 degrees of
    freedom. ``se^2 = G / (G - 1) * sum_g (sum_{i in g} (x_i - mean))^2 / N^2``, which for
    equal cluster sizes is the variance of the per-cluster means over G. The limits are
    clipped to ``bounds``. Fewer than two clusters: the t interval for independent values.
    """
    x = np.asarray(x, dtype=float)
    clusters = np.asarray(clusters)
    if x.shape != clusters.shape:
        raise ValueError("every value needs its cluster")
    labels, index = np.unique(clusters, return_inverse=True)
    if labels.size < 2:
        return mean_interval(x, level)
    m = float(x.mean())
    sums = np.bincount(index, weights=x - m, minlength=labels.size)
    g = labels.size
    se = np.sqrt(g / (g - 1) * np.sum(sums ** 2)) / x.size
    half = stats.t.ppf(0.5 + level / 2, g - 1) * se
    return Interval(m, float(max(bounds[0], m - half)), float(min(bounds[1], m + half)))


def _hull(a: Interval, b: Interval) -> Interval:
    return Interval(a.estimate, min(a.low, b.low), max(a.high, b.high))


def paired_difference(a, b, level: float = 0.95, clusters=None) -> Interval:
    """Mean of ``a - b`` over paired runs with its interval.

    Booleans (shares of runs): Newcombe's method 10 (:func:`paired_proportion_difference`);
    numbers: the t interval on the differences. With ``clusters`` (one label per pair, at
    least two distinct), the hull of that interval and the cluster-robust one
    (:func:`clustered_mean_interval`), within [-1, 1] for shares.
    """
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        raise ValueError("paired samples must have the same length")
    shares = a.dtype == bool and b.dtype == bool
    if shares:
        independent = paired_proportion_difference(a, b, level)
    else:
        independent = mean_interval(a.astype(float) - b.astype(float), level)
    if clusters is None or np.unique(np.asarray(clusters)).size < 2:
        return independent
    clustered = clustered_mean_interval(a.astype(float) - b.astype(float), clusters, level,
                                        (-1.0, 1.0) if shares else (-np.inf, np.inf))
    return _hull(clustered, independent)


def interval(x, level: float = 0.95, clusters=None) -> Interval:
    """Proportion interval for booleans, mean interval otherwise.

    With ``clusters`` (at least two distinct labels): the hull of that interval and the
    cluster-robust one (:func:`clustered_mean_interval`), within [0, 1] for shares.
    """
    x = np.asarray(x)
    shares = x.dtype == bool
    independent = proportion_interval(x, level) if shares else mean_interval(x, level)
    if clusters is None or np.unique(np.asarray(clusters)).size < 2:
        return independent
    clustered = clustered_mean_interval(x.astype(float), clusters, level,
                                        (0.0, 1.0) if shares else (-np.inf, np.inf))
    return _hull(clustered, independent)
