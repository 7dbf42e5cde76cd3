"""The UN-vote observation model: latent alignment -> yearly UN General Assembly vote agreement.

Issue 12 asks that alignment be *measured*. Alignment in the model is a latent share vector
over Russia, China, the US and the EU (``state.align``, starting at the 2021 baseline
``align0``); the observable is Kazakhstan's yearly share of identical recorded UNGA votes with
each of them (``data/unga_agreement.csv``, method ``agree_share``). The measurement equation,
per partner ``k`` in ``PARTNERS`` and year ``t``, is::

    agreement_k(t) = intercept_k + slope * align_k(t) + eps_k(t),   eps_k(t) ~ N(0, sigma_k^2)

with the errors independent across partners and years. In a year with recorded contested
East-West roll calls (2014 and 2022: the Ukraine resolutions, a handful of some 79), those
enter as Kazakhstan actually voted, a share ``c_k(t)`` of the year's roll calls:
``(1 - c_k) * (intercept_k + slope * align_k) + c_k * match_k`` (:func:`with_contested_votes`).

**Which alignment.** ``align_k(t)`` is the *yearly mean* of the monthly alignment (the months of
calendar year ``t``; for 2021 the baseline month, turn 0, alone), not the December value the
hindcast reports as ``alignment.*``. A year's agreement is an average over roll calls spread
over the year (in 2022 the emergency-session Ukraine votes fell in March, April, October and
November, the regular session's plenaries mostly in November-December), and the mean over
twelve months removes the model's month-to-month noise, which ``sigma_k`` is not meant to
carry. For 2021 both choices give ``align0``, so the anchoring below does not depend on it.
:func:`yearly_alignment` computes it from a trajectory frame.

**Identification.** Latent alignment is known only from 2021 on (``align0``, the baseline
composite of ``configs/baseline/kz2021.yaml``), so the four intercepts are anchored on 2021::

    intercept_k = agreement_k(2021, observed) - slope * align0_k

and the expected agreement reproduces 2021 exactly at ``align0``. ``slope`` (agreement per unit
of alignment share, common to the four partners) is an assumption with a prior. The baseline
composite gives alignment a weight 0.5 on the vote share normalised over the four partners
(their 2018-19 shares sum to about 1.98), so the slope is about 1.98 if alignment's vote,
trade and investment parts move together and about 3.95 if only the votes move; the prior
[0.5, 6.0] widens that both ways, and the default is 2.0.

**Error.** ``sigma_k`` is a data-derived constant: the root mean squared successive difference
of the 2005-2021 ``agree_share`` series over sqrt(2) (von Neumann's estimator,
:func:`sigma_from_series`). If a year's value is a slowly moving level plus independent yearly
errors, ``E[(y_t - y_{t-1})^2] = 2 sigma^2`` up to the level's drift, so the estimate ignores
slow trends (Kazakhstan's drift away from Russia after 2013) and, since latent alignment also
moves from year to year, it errs on the large side. The binomial error of a share of about 80
roll calls would be larger for Russia and China (about 0.047 and 0.040), but roll calls are
not independent (the same resolutions return every year), and the yearly series moves less
than that. :func:`tests.inference.test_observation` re-derives the four values from the CSV.

Pure functions with the random generator passed in; no file is read at run time (the observed
values are constants citing their CSV rows, checked against the file by the tests).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from sim.errors import ConfigError
from sim.schema import effect

PARTNERS = ("RUS", "CHN", "USA", "EU")
"""Partner order of every array here: that of ``state.align`` (:data:`sim.blocs.POWERS`)."""
METHOD = "agree_share"
"""The ``method`` of ``data/unga_agreement.csv`` the model is measured by."""
SIGMA_YEARS = (2005, 2021)
"""The years (inclusive) whose year-to-year variability gives ``sigma_k``."""
FIRST_YEAR = 2021
"""The year latent alignment is known (``align0``) and the intercepts are anchored on."""

OBSERVED = {
    2021: (0.6582, 0.7848, 0.2051, 0.5524),
    2022: (0.5823, 0.7821, 0.2278, 0.4589),
}
"""Observed ``agree_share`` by year, in ``PARTNERS`` order: rows ``(year, partner,
agree_share)`` of ``data/unga_agreement.csv`` (the 2022 values include the emergency-session
Ukraine votes). Years after 2022 are predictions and are deliberately absent."""

ROLL_CALLS = {
    2014: (76, 76, 77, 78),
    2021: (79, 79, 78, 79),
    2022: (79, 78, 79, 79),
}
"""Roll calls behind each agreement, in ``PARTNERS`` order: the ``n_votes`` of the same rows."""

CONTESTED = {
    2014: (1, (0, 1, 0, 0)),
    2022: (6, (2, 5, 0, 0)),
}
"""The year's contested East-West roll calls and how many of them Kazakhstan voted as each
partner: ``data/unga_ukraine_votes.csv`` (2014: A/RES/68/262; 2022: ES-11/1-5 and 77/229),
Kazakhstan's vote against the RUS, CHN and USA columns. The file has no EU column: the EU's
members are counted as voting yes, as the US did (assumption: they co-sponsored or voted for
all seven). Counted among the year's roll calls (:data:`ROLL_CALLS`): an assumption the
dataset's note supports for ES-11/1-5 (added to the 2022 values) and that 77/229 (regular
session) shares."""

_SIGMA_SOURCE = ("derived: data/unga_agreement.csv agree_share 2005-2021, root mean squared "
                 "successive difference / sqrt(2) (sim.observation.sigma_from_series)")


@dataclass(frozen=True)
class VoteObservationParams:
    """Parameters of the UN-vote measurement equation (fields may be per-run arrays)."""

    slope: float = field(default=2.0, metadata=effect(
        0.0, 10.0, "agreement per alignment share",
        "change in yearly UN vote agreement with a partner per unit of latent alignment share",
        "assumption: the 2021 alignment composite implies 1.98 (vote, trade and FDI parts move "
        "together) to 3.95 (only votes move); prior widened both ways", (0.5, 6.0)))
    sigma_rus: float = field(default=0.0300, metadata=effect(
        0.0, 0.5, "share", "yearly error of UN vote agreement with Russia", _SIGMA_SOURCE,
        (0.0300, 0.0300)))
    sigma_chn: float = field(default=0.0291, metadata=effect(
        0.0, 0.5, "share", "yearly error of UN vote agreement with China", _SIGMA_SOURCE,
        (0.0291, 0.0291)))
    sigma_usa: float = field(default=0.0695, metadata=effect(
        0.0, 0.5, "share", "yearly error of UN vote agreement with the US", _SIGMA_SOURCE,
        (0.0695, 0.0695)))
    sigma_eu: float = field(default=0.0483, metadata=effect(
        0.0, 0.5, "share", "yearly error of UN vote agreement with the EU (mean over members)",
        _SIGMA_SOURCE, (0.0483, 0.0483)))

    @property
    def sigma(self) -> np.ndarray:
        """``sigma_k`` as an array over ``PARTNERS`` (shape (4,), or (runs, 4) if per-run)."""
        return np.stack(np.broadcast_arrays(self.sigma_rus, self.sigma_chn, self.sigma_usa,
                                            self.sigma_eu), axis=-1).astype(float)


def observed_agreement(years=(2021, 2022)) -> np.ndarray:
    """Observed agreement ``(len(years), 4)`` from :data:`OBSERVED`."""
    missing = [y for y in years if y not in OBSERVED]
    if missing:
        raise ConfigError(f"no observed UN vote agreement for {missing}; observed years: "
                          f"{', '.join(map(str, OBSERVED))}")
    return np.array([OBSERVED[y] for y in years], dtype=float)


def read_agreement(path: str | Path, method: str = METHOD) -> tuple[np.ndarray, np.ndarray]:
    """``(years, values (years, 4))`` of one method of an ``unga_agreement.csv`` file.

    For tests and fitting scripts given an explicit path (the model itself reads no file).

    Raises:
        ConfigError: the file is missing or lacks a (year, partner) of the method.

    """
    path = Path(path)
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            rows = [r for r in csv.DictReader(fh) if r.get("method") == method]
    except OSError as err:
        raise ConfigError(f"cannot read {path} ({err.strerror})") from None
    table: dict[int, dict[str, float]] = {}
    for r in rows:
        if r["partner"] in PARTNERS:
            table.setdefault(int(r["year"]), {})[r["partner"]] = float(r["agreement"])
    years = np.array(sorted(table), dtype=int)
    incomplete = [int(y) for y in years if len(table[y]) != len(PARTNERS)]
    if not len(years) or incomplete:
        raise ConfigError(f"{path} lacks method {method!r} for all of {', '.join(PARTNERS)} "
                          f"in years {incomplete or 'any'}")
    return years, np.array([[table[y][p] for p in PARTNERS] for y in years], dtype=float)


def sigma_from_series(values: np.ndarray) -> np.ndarray:
    """Von Neumann's estimate of the yearly error: ``sqrt(mean(diff(y)^2) / 2)`` per column.

    ``values`` is ``(years, partners)`` of consecutive years.
    """
    d = np.diff(np.asarray(values, dtype=float), axis=0)
    return np.sqrt(np.mean(d * d, axis=0) / 2.0)


def _slope(params: VoteObservationParams) -> np.ndarray:
    return np.asarray(params.slope, dtype=float)


def intercepts(params: VoteObservationParams, align0: np.ndarray,
               anchor: np.ndarray | None = None) -> np.ndarray:
    """``intercept_k = anchor_k - slope * align0_k``; (4,) or (runs, 4).

    ``anchor`` is the observed agreement of the year ``align0`` stands for: by default 2021's
    (:data:`OBSERVED`); the 2014-2021 spin-up anchors on 2013 (:mod:`sim.spinup`).
    """
    slope = _slope(params)
    observed = observed_agreement((FIRST_YEAR,))[0] if anchor is None else np.asarray(anchor,
                                                                                      float)
    return observed - slope[..., None] * np.asarray(align0, float)


def contested_share(years) -> tuple[np.ndarray, np.ndarray]:
    """``(share, match)`` of contested roll calls per year: shapes ``years.shape + (4,)``.

    ``share_k`` is the year's contested roll calls over its roll calls with partner ``k``;
    ``match_k`` the share of them Kazakhstan voted as ``k`` (:data:`CONTESTED`). Zero for a
    year without recorded contested votes (every year but 2014 and 2022, and every year after
    2022: a prediction is of the routine votes' agreement).
    """
    years = np.asarray(years, dtype=int)
    share = np.zeros(years.shape + (len(PARTNERS),))
    match = np.zeros_like(share)
    for year, (count, same) in CONTESTED.items():
        at = years == year
        share[at] = count / np.asarray(ROLL_CALLS[year], float)
        match[at] = np.asarray(same, float) / count
    return share, match


def with_contested_votes(routine: np.ndarray, years) -> np.ndarray:
    """Yearly agreement: ``(1 - c) * routine + c * match`` (:func:`contested_share`).

    ``routine`` is ``(..., 4)``; ``years`` broadcasts against its leading axes (``(years,)``
    against ``(runs, years, 4)``, or one year per row of a ``(rows, 4)`` table).
    """
    share, match = contested_share(years)
    return (1.0 - share) * routine + share * match


def expected_agreement(align_yearly: np.ndarray, params: VoteObservationParams,
                       align0: np.ndarray, years=None,
                       anchor: np.ndarray | None = None) -> np.ndarray:
    """Expected agreement ``intercept_k + slope * align_k(t)``, the shape of ``align_yearly``.

    **Contested votes.** With ``years``, a year's few contested East-West roll calls (the
    Ukraine resolutions) enter as recorded rather than through alignment
    (:func:`with_contested_votes`): on them Kazakhstan's vote is a public signal, observed,
    and in 2022 its abstentions lowered agreement with Russia and the EU at once, which no
    alignment share can do. Without ``years`` (or for years without recorded contested votes)
    the expectation is the routine votes' alone.

    Agreement is a share, so the linear predictor is censored at 0 and 1: far from 2021 (a
    Russian alignment near 0.5 at slope 2) it would otherwise exceed 1. A bounded link (logit)
    would be the better form and is planned with the multi-year fit (docs/EVIDENCE_PLAN.md).

    Args:
        align_yearly: yearly mean alignment, ``(..., years, 4)``, e.g. ``(runs, years, 4)``.
        params: the observation parameters; a per-run ``slope`` of shape ``(runs,)`` pairs
            with the leading axis of ``align_yearly``.
        align0: the 2021 alignment (4,) the intercepts are anchored on.
        years: the calendar year of each row, broadcasting against the leading axes of
            ``align_yearly`` (e.g. ``(years,)``); 2021, the anchor, has no contested votes.
        anchor: the observed agreement (4,) at ``align0`` (default: 2021's, :data:`OBSERVED`).

    """
    a = np.asarray(align_yearly, dtype=float)
    if a.shape[-1] != len(PARTNERS):
        raise ValueError(f"align_yearly must end in an axis of {len(PARTNERS)} partners")
    slope = _slope(params)
    icpt = intercepts(params, align0, anchor)
    if slope.ndim:  # per run: (runs,) -> (runs, 1, 1) against (runs, years, 4)
        routine = np.clip(icpt[:, None, :] + slope[:, None, None] * a, 0.0, 1.0)
    else:
        routine = np.clip(icpt + slope * a, 0.0, 1.0)
    return routine if years is None else with_contested_votes(routine, years)


def simulate_agreement(align_yearly: np.ndarray, params: VoteObservationParams,
                       rng: np.random.Generator, align0: np.ndarray, years=None,
                       anchor: np.ndarray | None = None) -> np.ndarray:
    """A posterior-predictive draw: expected agreement plus ``N(0, sigma_k^2)`` errors.

    The draw is censored at 0 and 1 like the expectation (a share outside them cannot be
    observed); inside the bounds the error is the stated Gaussian (the observed 2005-2022
    values lie 2.5 or more ``sigma_k`` inside them).
    """
    mean = expected_agreement(align_yearly, params, align0, years, anchor)
    sigma = params.sigma
    if sigma.ndim == 2:  # per-run sigma (runs, 4) against (runs, years, 4)
        sigma = sigma[:, None, :]
    return with_vote_error(mean, sigma, rng)


def with_vote_error(expected: np.ndarray, sigma, rng: np.random.Generator) -> np.ndarray:
    """Observed agreement around ``expected``: ``N(0, sigma_k^2)`` errors, censored at 0 and 1."""
    return np.clip(expected + sigma * rng.standard_normal(np.shape(expected)), 0.0, 1.0)


def yearly_alignment(traj, years, first_year: int = FIRST_YEAR) -> np.ndarray:
    """Yearly mean alignment ``(runs, len(years), 4)`` from a :func:`sim.api.run` frame.

    Calendar as in :func:`sim.hindcast.yearly`: turn 0 (December 2021) stands for 2021
    (``first_year``; 2013 for the spin-up) and the months of each later year are averaged.
    """
    year = traj["date"].str[:4].astype(int).to_numpy().copy()
    turn = traj["turn"].to_numpy()
    year[turn == 0] = first_year
    keep = (turn > 0) | (year == first_year)
    cols = [f"align_{p.lower()}" for p in PARTNERS]
    frame = traj.loc[keep, ["run", *cols]].assign(year=year[keep])
    means = frame.groupby(["run", "year"])[cols].mean()
    runs = np.unique(traj["run"].to_numpy())
    try:
        out = means.loc[[(r, y) for r in runs for y in years]].to_numpy()
    except KeyError:
        raise ConfigError(f"the trajectory does not cover the years {list(years)}") from None
    return out.reshape(len(runs), len(years), len(PARTNERS))


def summary_labels(years=(2022,)) -> list[str]:
    """Names of the summary statistics, ``unga_agreement.RUS.2022`` (the hindcast's naming)."""
    return [f"unga_agreement.{p}.{y}" for y in years for p in PARTNERS]


def agreement_summaries(simulated: np.ndarray, params: VoteObservationParams,
                        years=(2021, 2022), fit_years=(2022,)):
    """Summary statistics of yearly agreement for ABC, with their observed values and scales.

    Args:
        simulated: simulated agreement ``(runs, len(years), 4)`` (from
            :func:`simulate_agreement`, or :func:`expected_agreement` with an ABC tolerance of
            about ``sigma_k``, Wilkinson's view of ABC as an error model).
        params: the observation parameters (their ``sigma_k`` are the scales).
        years: the years on the second axis of ``simulated``.
        fit_years: the years that enter the statistics. 2021 is left out by default: the
            intercepts are anchored on it, so it says nothing about the parameters.

    Returns:
        ``(stats (runs, m), observed (m,), scale (m,), labels)`` with ``m = 4 * len(fit_years)``,
        ordered year-major as :func:`summary_labels`; ``(stats - observed) / scale`` are the
        standardised residuals an ABC distance sums.

    """
    years, fit_years = list(years), list(fit_years)
    missing = [y for y in fit_years if y not in years]
    if missing:
        raise ValueError(f"fit_years {missing} are not among the simulated years {years}")
    idx = [years.index(y) for y in fit_years]
    sim = np.asarray(simulated, dtype=float)[:, idx, :]
    stats = sim.reshape(sim.shape[0], -1)
    observed = observed_agreement(fit_years).reshape(-1)
    sigma = np.broadcast_to(params.sigma, (len(PARTNERS),)) if np.ndim(params.sigma) == 1 \
        else params.sigma.mean(axis=0)
    scale = np.tile(sigma, len(fit_years))
    return stats, observed, scale, summary_labels(fit_years)


def agreement_distance(stats: np.ndarray, observed: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """Root mean square of the standardised residuals, one per run: ``(runs,)``."""
    z = (np.asarray(stats, float) - np.asarray(observed, float)) / np.asarray(scale, float)
    return np.sqrt(np.mean(z * z, axis=-1))


__all__ = ["CONTESTED", "FIRST_YEAR", "METHOD", "OBSERVED", "PARTNERS", "ROLL_CALLS",
           "SIGMA_YEARS", "contested_share", "with_contested_votes",
           "VoteObservationParams", "agreement_distance", "agreement_summaries",
           "expected_agreement", "intercepts", "observed_agreement", "read_agreement",
           "sigma_from_series", "simulate_agreement", "summary_labels", "yearly_alignment"]
