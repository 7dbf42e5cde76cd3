"""The evidence fit (issue 12): ABC-SMC of the 2022 replay against 2022's data.

**Data.** The 15 yearly 2022 targets of ``configs/targets/kz2022.yaml`` (trade by partner, the
Chinese import share, oil routes, the Middle Corridor, total exports and imports, each citing
its row of ``data/kz_observed.csv``), entered as logs, and Kazakhstan's 2022 UN vote agreement
with Russia, China, the US and the EU (:data:`sim.observation.OBSERVED`, rows of
``data/unga_agreement.csv``), entered as shares: 19 statistics.

**Simulator.** One replay of January-December 2022 (``history=events_2022_2025``) per
parameter set, on a fresh seed, all parameter sets of a batch in one batched model with
per-run parameter arrays (:func:`sim.sweep.chunk.with_levers`). ``params.*`` names vary the
model; ``observation.*`` names vary the UN-vote measurement equation
(:class:`sim.observation.VoteObservationParams`), whose draw adds the vote's observation error,
so the simulated statistics are what one world would show, as the observed ones are
(Sisson, Fan & Beaumont 2018, *Handbook of ABC*, ch. 1).

**Prior.** Uniform over each parameter's declared prior (the ``effect`` metadata of its field,
:func:`sim.priors.priors`), or over a range given explicitly.

**Posterior predictive.** :func:`predictive_check` simulates the statistics at parameter sets
resampled from the posterior and reports, per observation, the 5-95% band and whether the
observation lies inside: the in-sample coverage.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from sim.api import run
from sim.errors import ConfigError
from sim.hindcast import yearly, yearly_columns
from sim.inference.abc_mcmc import ReplenishSettings, abc_replenish
from sim.inference.posterior import Generation, Posterior
from sim.inference.prewar_fit import (
    make_prewar_simulator,
    prewar_labels,
    prewar_observed,
    prewar_scales,
)
from sim.inference.prior import Prior
from sim.observation import (
    VoteObservationParams,
    observed_agreement,
    simulate_agreement,
    summary_labels,
    yearly_alignment,
)
from sim.priors import priors
from sim.replay_settings import SCALES, replay_months
from sim.state import refs_from
from sim.sweep.chunk import with_levers
from sim.targets import bounds_of, censor_logs, inside_band

YEARS = (2021, 2022)
"""The replay's years: 2021 (turn 0) anchors the vote intercepts; 2022 is fitted."""
OBSERVATION = "observation"
"""Prefix of the parameters of the UN-vote measurement equation."""


def known_priors(config) -> dict[str, tuple[float, float]]:
    """Every sampleable prior: ``params.*`` fields and ``observation.*`` (low < high only)."""
    out = {k: (lo, hi) for k, (lo, hi, _s) in priors(config, ("params",)).items() if lo < hi}
    for f in dataclasses.fields(VoteObservationParams):
        lo, hi = f.metadata["prior"]
        if lo < hi:
            out[f"{OBSERVATION}.{f.name}"] = (float(lo), float(hi))
    return out


def fit_prior(config, names: Sequence[str],
              ranges: Mapping[str, Sequence[float]] | None = None) -> Prior:
    """Uniform prior over ``names``: their declared priors, or ``ranges`` where given.

    Raises:
        ConfigError: an unknown name, or a range that is not ``[low, high]`` with low < high
            inside the declared prior's field.

    """
    known = known_priors(config)
    ranges = dict(ranges or {})
    unknown = [n for n in [*names, *ranges] if n not in known]
    if unknown:
        raise ConfigError(f"fit.parameters: {unknown[0]!r} is not a parameter with a prior; "
                          f"valid names are params.* fields with a prior range (see `kzsim run "
                          f"--cfg`) and {', '.join(k for k in known if k.startswith('observ'))}")
    if len(set(names)) != len(names) or not names:
        raise ConfigError("fit.parameters must list distinct parameter names, at least one")
    bounds = {}
    for n in names:
        lo, hi = ranges.get(n, known[n])
        if not (np.isfinite([lo, hi]).all() and lo < hi):
            raise ConfigError(f"fit range of {n} must be [low, high] with low < high, "
                              f"got {[lo, hi]}")
        bounds[n] = (float(lo), float(hi))
    return Prior.uniform(bounds)


def statistic_labels(targets: Sequence[Mapping], prewar: bool = False) -> list[str]:
    """``log(<quantity>) <year>`` per target, then ``unga_agreement.<P>.2022``.

    With ``prewar``, the 2014-2021 statistics follow (:func:`sim.inference.prewar_fit.
    prewar_labels`).
    """
    labels = [f"log({t['quantity']}) {t['year']}" for t in targets] + summary_labels((2022,))
    return labels + (prewar_labels() if prewar else [])


def observed_statistics(targets: Sequence[Mapping], prewar: bool = False) -> np.ndarray:
    """The observed values of :func:`statistic_labels`."""
    logs = np.log([float(t["observed"]) for t in targets])
    parts = [logs, observed_agreement((2022,))[0]] + ([prewar_observed()] if prewar else [])
    return np.concatenate(parts)


def statistic_scales(targets: Sequence[Mapping], prewar: bool = False) -> np.ndarray:
    """Each statistic's error scale in the distance (ABC as an error model, Wilkinson 2013).

    A target's stated ``tolerance`` (a relative error, so a scale of its log: e.g. A03's
    Russian trade differs by 6% from the partner-side A04) and the vote error ``sigma_k`` of
    :class:`~sim.observation.VoteObservationParams`. The distance is then the root mean square
    of the residuals in units of their errors.
    """
    missing = [t["quantity"] for t in targets if not t.get("tolerance")]
    if missing:
        raise ConfigError(f"targets {missing[:3]} state no tolerance; every fitted target "
                          "needs one (its relative error)")
    parts = [[float(t["tolerance"]) for t in targets], VoteObservationParams().sigma]
    return np.concatenate(parts + ([prewar_scales()] if prewar else []))


def split_names(names: Sequence[str], theta: np.ndarray) -> tuple[dict, dict]:
    """Columns of ``theta`` as ``({params.* name: values}, {observation field: values})``."""
    params = {n: theta[:, j] for j, n in enumerate(names) if not n.startswith(OBSERVATION)}
    obs = {n.split(".", 1)[1]: theta[:, j] for j, n in enumerate(names)
           if n.startswith(OBSERVATION)}
    return params, obs


def make_simulator(config, targets: Sequence[Mapping], names: Sequence[str],
                   replications: int = 1, spinup_config=None, censor: bool = True
                   ) -> Callable[[np.ndarray, np.random.Generator], np.ndarray]:
    """``simulate(theta (n, k), rng) -> stats (n, m)`` for the samplers: :func:`statistic_labels`.

    With ``spinup_config`` (the 2014-2021 spin-up's configuration, :data:`sim.spinup.OVERRIDES`)
    each parameter set also runs the spin-up, on its own seed, and its pre-war statistics follow
    the 2022 ones (:mod:`sim.inference.prewar_fit`): the multi-year fit.

    ``config`` must carry the replay's history (``history=events_2022_2025``). With
    ``replications`` R > 1 each parameter set runs on R fresh seeds and its statistics are the
    means over them (logs of the mean targets; one vote draw at the mean alignment). The fit
    searches parameters, so every other parameter stays at its point value (``ensemble=point``).

    A target that is a bound (``bound: lower``, :mod:`sim.targets`) enters censored at its
    observed value, so the distance reads only its shortfall; ``censor=False`` returns the
    simulated value itself (the predictive check).
    """
    if config.ensemble != "point":
        config = config.replace(ensemble="point")
    turns = replay_months(config.start, 2022)
    if turns < 1:
        raise ConfigError(f"start={config.start} is after 2022; the fit replays 2022")
    align0 = refs_from(config.baseline).align0
    quantities = [t["quantity"] for t in targets]
    kinds = bounds_of(targets)
    observed_logs = np.log([float(t["observed"]) for t in targets])
    names = list(names)
    prewar = None
    if spinup_config is not None:
        if spinup_config.ensemble != "point":
            spinup_config = spinup_config.replace(ensemble="point")
        prewar = make_prewar_simulator(spinup_config, names)

    def simulate(theta: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        n, r = len(theta), replications
        levers, obs = split_names(names, np.asarray(theta, float))
        _, params = with_levers(config, {k: np.repeat(v, r) for k, v in levers.items()})
        seeds = rng.integers(0, 2**62, size=n * r)
        traj = run(config, seeds, turns=turns, params=params, columns=yearly_columns())
        per_run = yearly(traj, YEARS, align0=align0)
        target = per_run.xs(2022, level="year")[quantities].to_numpy(float)
        logs = np.log(np.maximum(target.reshape(n, r, -1).mean(axis=1), 1e-9))
        if censor:
            logs = censor_logs(logs, observed_logs, kinds)
        align = yearly_alignment(traj, YEARS)
        align = align.reshape(n, r, *align.shape[1:]).mean(axis=1)
        agreement = simulate_agreement(align, VoteObservationParams(**obs), rng, align0, YEARS)
        stats = np.hstack([logs, agreement[:, YEARS.index(2022), :]])
        return stats if prewar is None else np.hstack([stats, prewar(theta, rng)])

    return simulate


def fit(config, targets: Sequence[Mapping], prior: Prior, settings: ReplenishSettings,
        replications: int = 1, scale: str = "errors", spinup_config=None,
        progress: Callable[[Generation], None] | None = None) -> Posterior:
    """Replenishment ABC-SMC of ``prior`` against :func:`observed_statistics` of ``targets``.

    ``scale``: ``errors`` (:func:`statistic_scales`) or ``spread`` (the MAD of the
    prior-predictive statistics, the sampler's default). ``spinup_config``: also fit the
    2014-2021 statistics (:func:`make_simulator`).
    """
    if scale not in SCALES:
        raise ConfigError(f"fit.scale={scale!r} is unknown; valid choices: {', '.join(SCALES)}")
    prewar = spinup_config is not None
    simulate = make_simulator(config, targets, prior.names, replications, spinup_config)
    return abc_replenish(simulate, observed_statistics(targets, prewar), prior, settings,
                         scale=statistic_scales(targets, prewar) if scale == "errors" else None,
                         progress=progress)


PREDICTIVE_TAG = 0x50504300  # "PPC": the check's stream, apart from the sampler's


def predictive_check(config, targets: Sequence[Mapping], post: Posterior, draws: int = 400,
                     seed: int = 0, level: float = 0.9, spinup_config=None) -> pd.DataFrame:
    """Posterior-predictive check of every fitted observation: the in-sample coverage.

    ``draws`` parameter sets are resampled from ``post`` by weight and each replayed on its own
    seed, with a fresh vote error; so the band holds parameter, stochastic and observation
    uncertainty. Returns one row per statistic (:func:`statistic_labels`): ``statistic,
    quantity, year, observed, mean, lower, upper, bound, inside`` in natural units (logs
    transformed back); a bound target's values are not censored, and it is inside when the band
    reaches it (:func:`sim.targets.inside_band`).
    """
    from sim.inference.posterior_store import draw

    prewar = spinup_config is not None
    rng = np.random.default_rng(np.random.SeedSequence([seed, PREDICTIVE_TAG]))
    theta = draw(post, draws, rng)
    stats = make_simulator(config, targets, post.names, 1, spinup_config, censor=False)(theta,
                                                                                        rng)
    labels = statistic_labels(targets, prewar)
    logged = np.array([lab.startswith("log(") for lab in labels])
    natural = np.where(logged, np.exp(stats), stats)
    obs = observed_statistics(targets, prewar)
    obs = np.where(logged, np.exp(obs), obs)
    a = (1.0 - level) / 2.0
    lower, upper = np.quantile(natural, [a, 1.0 - a], axis=0)
    quantity, year = zip(*(_quantity_year(lab) for lab in labels), strict=True)
    kinds = np.full(len(labels), "point", dtype=object)
    kinds[:len(targets)] = bounds_of(targets)
    return pd.DataFrame({
        "statistic": labels, "quantity": quantity, "year": year, "observed": obs,
        "mean": natural.mean(axis=0), "lower": lower, "upper": upper, "bound": kinds,
        "inside": inside_band(obs, lower, upper, kinds)})


def _quantity_year(label: str) -> tuple[str, int]:
    """``log(trade_usd_bn.RUS) 2022`` and ``unga_agreement.RUS.2022`` -> (quantity, year)."""
    if label.startswith("log("):
        quantity, year = label[4:].split(") ")
        return quantity, int(year)
    quantity, year = label.rsplit(".", 1)
    return quantity, int(year)


__all__ = ["OBSERVATION", "SCALES", "YEARS", "fit", "fit_prior", "known_priors", "make_simulator",
           "observed_statistics", "predictive_check", "split_names", "statistic_labels",
           "statistic_scales"]
