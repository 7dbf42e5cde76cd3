"""The pre-war part of the multi-year fit (issue 12): the 2014-2021 spin-up's statistics.

**Data** (:mod:`sim.prewar`, constants citing their rows): the Kazakh-side point values of
``data/kz_trade_2010_2021.csv`` for 2014-2021 (total turnover 2014 and 2015, trade with Russia,
China and the US in scattered years; partner-side figures and the EU's 2016 lower bound are
left out), entered as logs, and Kazakhstan's UN vote agreement with Russia, China, the US and
the EU for every year 2014-2021 (``data/unga_agreement.csv``), entered as shares.

**Errors** (the distance's scales): a trade point's log has the error
:data:`TRADE_ERROR`; a vote share its ``sigma_k`` (:class:`~sim.observation.VoteObservationParams`).

**Simulator.** One spin-up (:func:`sim.spinup.spinup`: January 2014 to December 2021 on the
2013 baseline with the 2014-2021 events) per parameter set on a fresh seed, the vote intercepts
anchored on 2013, each run's ``observation.*`` values in the measurement equation and a fresh
vote error per year (:func:`sim.observation.with_vote_error`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from sim.observation import PARTNERS, VoteObservationParams, with_vote_error
from sim.prewar import AGREEMENT, TRADE
from sim.spinup import YEARS, spinup
from sim.sweep.chunk import with_levers

TRADE_ERROR = 0.15
"""Relative error of a pre-war trade figure: assumption. Where ``kz_trade_2010_2021.csv`` has
two figures for one quantity they differ by 3% (Russia 2018: 17.6 Kazakh, 18.2 partner), 6%
(China 2021: 17 and 18) and 27% (China 2013: 22.5 and 28.5)."""

POINTS = tuple(p for p in TRADE if p.side == "kazakh" and p.bound == "point"
               and p.year in YEARS)
"""The trade points fitted: Kazakh figures, exact values, 2014-2021."""


def prewar_labels() -> list[str]:
    """``log(<quantity>) <year>`` per trade point, then ``unga_agreement.<P>.<year>``."""
    return ([f"log({p.quantity}) {p.year}" for p in POINTS]
            + [f"unga_agreement.{k}.{y}" for y in YEARS for k in PARTNERS])


def prewar_observed() -> np.ndarray:
    """The observed values of :func:`prewar_labels`."""
    return np.concatenate([np.log([p.value for p in POINTS]),
                           np.array([AGREEMENT[y] for y in YEARS], float).ravel()])


def prewar_scales() -> np.ndarray:
    """The error scale of each of :func:`prewar_labels`."""
    sigma = VoteObservationParams().sigma
    return np.concatenate([np.full(len(POINTS), TRADE_ERROR), np.tile(sigma, len(YEARS))])


def make_prewar_simulator(config, names: Sequence[str]) -> Callable[
        [np.ndarray, np.random.Generator], np.ndarray]:
    """``simulate(theta (n, k), rng) -> stats (n, len(prewar_labels()))``.

    ``config`` is the spin-up's (:data:`sim.spinup.OVERRIDES`, at point values); ``names``
    are dotted ``params.*`` and ``observation.*`` names, the columns of ``theta``.
    """
    from sim.inference.replay_fit import split_names  # replay_fit imports this module

    names = list(names)
    agree_cols = [f"unga_agreement.{k}" for k in PARTNERS]

    def simulate(theta: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        theta = np.asarray(theta, float)
        n = len(theta)
        levers, obs_values = split_names(names, theta)
        _, params = with_levers(config, levers)
        obs = VoteObservationParams(**obs_values)
        seeds = rng.integers(0, 2**62, size=n)
        per_run = spinup(config, seeds, params=params, obs_params=obs)
        trade = np.column_stack([per_run.xs(p.year, level="year")[p.quantity].to_numpy(float)
                                 for p in POINTS])
        expected = np.stack([per_run.xs(y, level="year")[agree_cols].to_numpy(float)
                             for y in YEARS], axis=1)                       # (n, years, 4)
        sigma = obs.sigma if obs.sigma.ndim == 1 else obs.sigma[:, None, :]
        votes = with_vote_error(expected, sigma, rng).reshape(n, -1)
        return np.hstack([np.log(np.maximum(trade, 1e-9)), votes])

    return simulate


__all__ = ["POINTS", "TRADE_ERROR", "make_prewar_simulator", "prewar_labels",
           "prewar_observed", "prewar_scales"]
