"""The 2021-2025 replay: yearly quantities of MODEL.md's History section, with uncertainty.

Aggregation per calendar year (turn 0 is December 2021 and stands for 2021):
- flows (``trade_usd_bn``, ``exports_usd_bn``, ``imports_usd_bn``, ``reexports_to_russia_usd_bn``,
  ``middle_corridor_mt``): yearly totals, i.e. the mean of the year's annualised monthly rates;
- ``import_share``: a partner's yearly imports over all yearly imports;
- ``oil_share_via_russia`` and ``oil_price`` (2021 = 1): the yearly mean of monthly values;
- GDP, pressure on Russia and the welfare loss (USD bn/yr), re-exports by origin and oil by
  route (mt/yr) are flows;
- ``alignment`` and ``balance_index``: the year-end (December) value;
- ``unga_agreement`` (Kazakhstan's yearly share of identical UNGA votes with a power): the
  *expected* agreement of :mod:`sim.observation` at the run's yearly *mean* alignment.
``value`` is the mean over replications, ``p05``/``p95`` their 5% and 95% quantiles.

For ``unga_agreement.*`` the band is posterior-predictive: the 5% and 95% quantiles of
``expected + eps`` with ``eps ~ N(0, sigma_k^2)``, :data:`DRAWS_PER_RUN` draws per run pooled
over runs, so it holds both the spread over replications and the vote's observation error.
The errors come from ``numpy.random.default_rng(SeedSequence([*seeds, AGREEMENT_TAG]))``,
a generator of its own seeded by the run seeds (never the global RNG and never a model
stream), so the same seeds give the same bands. With ``ensemble=point`` the observation
parameters are ``VoteObservationParams()``'s defaults (slope 2.0, the data-derived
``sigma_k``). With the posterior ensemble (the default, issue 12 item 4) every run draws its
parameter set by its seed: its ``params.*`` drive the model and its ``observation.*`` (the
slope) the run's expected agreement, so the bands are posterior predictive: parameter,
stochastic and observation error together.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.api import run
from sim.blocs import PARTNERS as TRADE_PARTNERS  # with ROW; PARTNERS below: the UN vote's 4
from sim.design import month_index
from sim.observation import (
    OBSERVED,
    PARTNERS,
    VoteObservationParams,
    expected_agreement,
    with_vote_error,
)
from sim.state import refs_from

POWERS = ("RUS", "CHN", "EU", "USA")
FLOW = "flow"
AGREEMENT = "agreement"
AGREEMENT_QUANTITIES = tuple(f"unga_agreement.{p}" for p in PARTNERS)
DRAWS_PER_RUN = 200
"""Observation-error draws per run behind the ``unga_agreement.*`` bands."""
AGREEMENT_TAG = 0x554E4741  # "UNGA": keeps the error stream apart from anything else seeded


def quantity_specs() -> list[tuple[str, str, str]]:
    """(quantity, source column or rule, aggregation) for every reported quantity."""
    specs = []
    for kind, col in (("trade_usd_bn", "trade"), ("exports_usd_bn", "exports"),
                      ("imports_usd_bn", "imports")):
        specs += [(f"{kind}.{p}", f"{col}_{p.lower()}_usd_bn", FLOW) for p in POWERS]
    specs += [(f"import_share.{p}", f"imports_{p.lower()}_usd_bn", "share") for p in POWERS]
    specs += [("oil_share_via_russia", "oil_share_via_russia", "mean"),
              ("middle_corridor_mt", "middle_corridor_mt", FLOW),
              ("reexports_to_russia_usd_bn", "evasion_usd_bn", FLOW),
              ("reexports_to_russia_usd_bn.WEST_ORIGIN", "reexports_west_usd_bn", FLOW),
              ("reexports_to_russia_usd_bn.CHN_ORIGIN", "reexports_chn_usd_bn", FLOW),
              ("trade_usd_bn.ROW", "trade_row_usd_bn", FLOW),
              ("gdp_usd_bn", "gdp_usd_bn", FLOW),
              ("oil_price", "oil_price", "mean"),
              ("pressure_on_russia_usd_bn", "pressure_on_russia_usd_bn", FLOW),
              ("welfare_loss_usd_bn", "welfare_loss_usd_bn", FLOW)]
    specs += [(f"oil_route_mt.{r.upper()}", f"oil_{r}_mt", FLOW)
              for r in ("cpc", "atyrau_samara", "caspian", "rail")]
    specs += [(f"alignment.{p}", f"align_{p.lower()}", "end") for p in ("RUS", "CHN", "USA", "EU")]
    specs += [("balance_index", "balance_index", "end"),
              ("exports_usd_bn.TOTAL", "exports_total", FLOW),
              ("imports_usd_bn.TOTAL", "imports_total", FLOW)]
    specs += [(q, f"align_{p.lower()}", AGREEMENT) for q, p in zip(AGREEMENT_QUANTITIES, PARTNERS,
                                                                   strict=True)]
    return specs


def yearly_columns() -> list[str]:
    """The recorded columns :func:`yearly` reads: ``sim.run(..., columns=yearly_columns())``.

    Alignment, exports and imports by partner, and the source column of every quantity
    (a fit needs no more than these 33 of a run's 192).
    """
    computed = {"exports_total", "imports_total"}
    return list(dict.fromkeys([
        *(f"align_{p.lower()}" for p in PARTNERS),
        *(f"{flow}_{p.lower()}_usd_bn" for p in TRADE_PARTNERS
          for flow in ("exports", "imports")),
        *(col for _, col, _ in quantity_specs() if col not in computed)]))


def _columns_read(columns) -> list[str]:
    """The trajectory columns :func:`yearly` reads, in the trajectory's order."""
    read = {"run", "turn", "date", *yearly_columns()}
    return [c for c in columns if c in read]


def yearly(traj: pd.DataFrame, years, align0=None, obs_params=None,
           anchor=None, first_year: int = 2021) -> pd.DataFrame:
    """Per run and year, every quantity (wide: one column per quantity).

    ``align0`` (the 2021 alignment the agreement intercepts are anchored on) defaults to the
    trajectory's turn-0 alignment, ``obs_params`` to ``VoteObservationParams()``; ``anchor``
    (the observed agreement at ``align0``) to 2021's. Turn 0 stands for ``first_year`` (2021;
    2013 for the spin-up, :mod:`sim.spinup`) and is that year's only month.
    """
    align_cols = [f"align_{p.lower()}" for p in PARTNERS]
    if align0 is None:
        align0 = traj.loc[traj["turn"] == 0, align_cols].iloc[0].to_numpy(dtype=float)
    obs_params = VoteObservationParams() if obs_params is None else obs_params
    runs = traj["run"].nunique()
    traj = traj[_columns_read(traj.columns)].copy()   # the columns read, not all ~200
    traj["year"] = traj["date"].str[:4].astype(int)
    traj.loc[traj["turn"] == 0, "year"] = first_year
    traj["exports_total"] = traj.filter(regex=r"^exports_\w+_usd_bn$").sum(axis=1)
    traj["imports_total"] = traj.filter(regex=r"^imports_\w+_usd_bn$").sum(axis=1)
    traj = traj[traj["year"].isin(years)]
    months = traj[(traj["turn"] > 0) | (traj["year"] == first_year)]
    grouped = months.groupby(["run", "year"])
    means = grouped.mean(numeric_only=True)
    ends = months.sort_values("turn").groupby(["run", "year"]).last(numeric_only=True)
    align = means[align_cols].to_numpy()
    row_years = means.index.get_level_values("year").to_numpy()
    if np.ndim(obs_params.slope):  # per-run slope: (runs, years, 4), runs sorted as `run`
        align = align.reshape(runs, -1, len(PARTNERS))
        row_years = row_years.reshape(runs, -1)
    agreement = pd.DataFrame(
        expected_agreement(align, obs_params, align0, row_years, anchor)
        .reshape(-1, len(PARTNERS)),
        index=means.index, columns=align_cols)
    out = {}
    for name, col, how in quantity_specs():
        if how == AGREEMENT:
            out[name] = agreement[col]
        elif how in (FLOW, "mean"):
            out[name] = means[col]
        elif how == "end":
            out[name] = ends[col]
        else:
            out[name] = means[col] / means["imports_total"]
    return pd.DataFrame(out)


def agreement_draws(per_run: pd.DataFrame, seeds, obs_params=None,
                    draws: int = DRAWS_PER_RUN) -> np.ndarray:
    """Posterior-predictive agreement ``(years, runs * draws, 4)`` around each run's expectation.

    Each draw is a run's expected agreement plus ``N(0, sigma_k^2)``, censored at 0 and 1
    (:func:`sim.observation.with_vote_error`, as :func:`~sim.observation.simulate_agreement`),
    ``draws`` per run.

    The years are ``per_run``'s sorted years, partners in ``PARTNERS`` order. The errors come
    from a generator seeded by ``SeedSequence([*seeds, AGREEMENT_TAG])`` (see the module text).
    """
    obs_params = VoteObservationParams() if obs_params is None else obs_params
    expected = per_run[list(AGREEMENT_QUANTITIES)].unstack("year")  # runs x (quantity, year)
    years = sorted(per_run.index.get_level_values("year").unique())
    mean = np.stack([expected.xs(y, axis=1, level="year").to_numpy() for y in years])
    mean = np.repeat(mean, draws, axis=1)                             # (years, runs*draws, 4)
    entropy = [int(s) for s in np.atleast_1d(np.asarray(seeds)).ravel()] + [AGREEMENT_TAG]
    rng = np.random.default_rng(np.random.SeedSequence(entropy))
    sigma = obs_params.sigma
    if sigma.ndim == 2:  # per-run sigma_k (runs, 4): each run's draws use its own
        sigma = np.repeat(sigma, draws, axis=0)
    else:
        sigma = np.broadcast_to(sigma, (len(PARTNERS),))
    return with_vote_error(mean, sigma, rng)


def summarise(per_run: pd.DataFrame, seeds=None, obs_params=None) -> pd.DataFrame:
    """Long table ``quantity,year,value,p05,p95`` over replications.

    With ``seeds`` (the run seeds) the ``unga_agreement.*`` bands are posterior-predictive
    (:func:`agreement_draws`); without them they are, like the rest, over replications only.
    """
    g = per_run.groupby(level="year")
    bands = {}
    if seeds is not None and set(AGREEMENT_QUANTITIES) <= set(per_run.columns):
        draws = agreement_draws(per_run, seeds, obs_params)
        years = sorted(per_run.index.get_level_values("year").unique())
        lo, hi = np.quantile(draws, [0.05, 0.95], axis=1)             # (years, 4) each
        for k, q in enumerate(AGREEMENT_QUANTITIES):
            bands[q] = ({y: lo[i, k] for i, y in enumerate(years)},
                        {y: hi[i, k] for i, y in enumerate(years)})
    rows = []
    for q in per_run.columns:
        mean = g[q].mean()
        lo, hi = bands.get(q) or (g[q].quantile(0.05), g[q].quantile(0.95))
        rows += [{"quantity": q, "year": int(y), "value": mean[y], "p05": lo[y], "p95": hi[y]}
                 for y in mean.index]
    return pd.DataFrame(rows)


def observation_params(config, seeds):
    """Each run's UN-vote observation parameters.

    The posterior ensemble's ``observation.*`` values drawn by seed, or
    ``VoteObservationParams()`` with ``ensemble=point``.
    """
    data = config.ensemble_data if config.ensemble == "posterior" else None
    return VoteObservationParams() if data is None else data.observation_params(seeds)


def replay(config, seeds, last_year: int = 2025, params=None, obs_params=None) -> pd.DataFrame:
    """Run the replay from ``config.start`` through December of ``last_year``; per run, per year."""
    turns = month_index(f"{last_year}-12", "end") - month_index(config.start, "start") + 1
    traj = run(config, seeds, turns=turns, params=params, columns=yearly_columns())
    return yearly(traj, range(2021, last_year + 1), align0=refs_from(config.baseline).align0,
                  obs_params=obs_params)


def observed_agreement_rows(last_year: int = 2025) -> pd.DataFrame:
    """``quantity,year,observed`` of UN vote agreement up to ``last_year``.

    The values are the constants of :data:`sim.observation.OBSERVED` (2021 and 2022, which cite
    their CSV rows; no file is read); no later year is observed.
    """
    return pd.DataFrame([{"quantity": q, "year": y, "observed": OBSERVED[y][k]}
                         for y in sorted(OBSERVED) if y <= last_year
                         for k, q in enumerate(AGREEMENT_QUANTITIES)])


def hindcast_table(config, seeds, last_year: int = 2025) -> pd.DataFrame:
    """``quantity,year,value,p05,p95`` for 2021..last_year (the issue's hindcast.csv).

    With the posterior ensemble every run has its own parameter set (model and observation
    slope), so the bands are posterior predictive.
    """
    obs = observation_params(config, seeds)
    table = summarise(replay(config, seeds, last_year, obs_params=obs), seeds=seeds,
                      obs_params=obs)
    return table[~table["quantity"].str.endswith(".TOTAL")].reset_index(drop=True)


def simulated_targets(per_run: pd.DataFrame, targets, groups: int = 1) -> np.ndarray:
    """Mean over runs of each (quantity, year) target.

    With ``groups`` > 1, runs are split into that many consecutive equal groups (candidates)
    and the result is (groups, targets).
    """
    runs = per_run.index.get_level_values("run")
    group = runs // (runs.max() // groups + 1) if groups > 1 else np.zeros(len(runs), int)
    g = per_run.groupby([group, per_run.index.get_level_values("year")]).mean()
    out = np.array([[g.loc[(k, t["year"]), t["quantity"]] for t in targets] for k in range(groups)])
    return out if groups > 1 else out[0]
