"""Distances and summary statistics for ABC: standardised distance, scale, regression summaries.

The distance is the root mean square of the statistics standardised by a scale, by default
the median absolute deviation of a pilot (generation 0) times 1.4826.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from sim.errors import ConfigError
from sim.inference.prior import Prior

MAD_TO_SD = 1.4826


def standardised_distance(stats: np.ndarray, observed: np.ndarray,
                          scale: np.ndarray) -> np.ndarray:
    """Root mean square of ``(stats - observed) / scale`` per row; NaN rows are infinitely far."""
    z = (stats - observed) / scale
    d = np.sqrt(np.mean(z * z, axis=1))
    return np.where(np.isfinite(d), d, np.inf)


def default_scale(stats: np.ndarray) -> np.ndarray:
    """MAD x 1.4826 of each statistic (the SD if the MAD is 0, 1 if both are)."""
    med = np.nanmedian(stats, axis=0)
    mad = MAD_TO_SD * np.nanmedian(np.abs(stats - med), axis=0)
    sd = np.nanstd(stats, axis=0)
    return np.where(mad > 0, mad, np.where(sd > 0, sd, 1.0))


def regression_summaries(theta: np.ndarray, stats: np.ndarray,
                         prior: Prior) -> Callable[[np.ndarray], np.ndarray]:
    """Semi-automatic summaries: the linear regression of the parameters on the statistics.

    Fearnhead & Prangle (2012, "Constructing summary statistics for approximate Bayesian
    computation: semi-automatic approximate Bayesian computation", J. R. Stat. Soc. B
    74(3):419-474): from a pilot ``(theta, stats)`` drawn from the prior, fit
    ``E[theta_j | stats]`` by least squares (in the prior's own scale, on standardised
    statistics) and use the ``k`` fitted values as the summaries, one per parameter. Many noisy
    statistics then count by what they say about the parameters. Wrap a simulator with it::

        project = regression_summaries(theta0, simulate(theta0, rng), prior)
        abc_smc(lambda th, r: project(simulate(th, r)), project(observed[None])[0], prior)

    Returns:
        ``project(stats (n, m)) -> summaries (n, k)``; rows with NaN give NaN.

    """
    theta, stats = np.asarray(theta, float), np.asarray(stats, float)
    ok = np.isfinite(stats).all(axis=1)
    if ok.sum() <= stats.shape[1] + 1:
        raise ConfigError(f"the pilot needs more than {stats.shape[1] + 1} finite simulations "
                          f"for {stats.shape[1]} statistics, got {int(ok.sum())}")
    center, spread = stats[ok].mean(axis=0), stats[ok].std(axis=0)
    spread = np.where(spread > 0, spread, 1.0)
    design = np.hstack([np.ones((int(ok.sum()), 1)), (stats[ok] - center) / spread])
    beta, *_ = np.linalg.lstsq(design, prior.to_u(theta[ok]), rcond=None)

    def project(s: np.ndarray) -> np.ndarray:
        s = np.atleast_2d(np.asarray(s, float))
        return np.hstack([np.ones((len(s), 1)), (s - center) / spread]) @ beta

    return project
