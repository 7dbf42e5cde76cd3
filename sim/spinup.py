"""The spin-up: a replay from 2014-01 on the 2013 baseline, reported per run and year.

Issue 12 asks for a multi-year fit over 2014-2022. The spin-up is its simulator for the
pre-war years: the configuration the edge composes (``kzsim.load_config`` with
:data:`OVERRIDES`: ``baseline=kz2013``, ``history=events_2014_2021``,
``sanctions=crimea_2014``, ``start=2014-01``) runs from turn 0 = December 2013 through
December of ``last_year``, and :func:`spinup` returns the yearly quantities of
:func:`sim.hindcast.yearly` for 2013 (turn 0 alone) to ``last_year``, in the same wide form
(one row per run and year, one column per quantity), plus ``trade_usd_bn.TOTAL`` (exports
plus imports, the turnover of ``kz_trade_2010_2021.csv``). Parameters may be per-run arrays
(:func:`sim.sweep.chunk.with_levers`), so ABC can batch it as the 2022 fit does.

**Vote intercepts.** The observation model (:mod:`sim.observation`) anchors its intercepts on
the year latent alignment is known: the start. Here that is 2013: ``intercept_k =
agreement_k(2013, observed) - slope * align_k(2013)`` with ``align(2013)`` the kz2013
baseline's alignment (itself the observation model's inverse from 2021 at slope 2,
configs/baseline/kz2013.yaml) and ``agreement(2013)`` :data:`sim.prewar.AGREEMENT`. So the
expected agreement reproduces 2013 exactly at the 2013 alignment, and 2014-2021 (2021
included) are what the simulated alignment says: none of them is used for anchoring, so all
are fit statistics. The 2022 replay anchors on 2021 instead; the two agree if the spin-up
lands on kz2021's alignment in 2021.

Pure Python: no file is read (configurations come from the edge).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.api import run
from sim.design import month_index
from sim.errors import ConfigError
from sim.hindcast import yearly, yearly_columns
from sim.prewar import AGREEMENT
from sim.state import refs_from

OVERRIDES = ("baseline=kz2013", "history=events_2014_2021", "sanctions=crimea_2014",
             "start=2014-01")
"""The configuration of the spin-up, as ``kzsim.load_config`` overrides."""
FIRST_YEAR = 2013
"""The year turn 0 stands for (the baseline year) and the vote intercepts are anchored on."""
YEARS = tuple(range(2014, 2022))
"""The spin-up's simulated years (turn 1 = January 2014 to December 2021)."""


def anchor_year(config) -> int:
    """The calendar year of turn 0 (the month before ``config.start``)."""
    return (month_index(config.start, "start") - 1) // 12


def spinup(config, seeds, last_year: int = 2021, params=None, design=None,
           obs_params=None) -> pd.DataFrame:
    """Per run and year ``first..last_year``: :func:`sim.hindcast.yearly`'s quantities.

    Args:
        config: the spin-up configuration (:data:`OVERRIDES`); its start must be a January
            whose previous year has an observed UN agreement (:data:`sim.prewar.AGREEMENT`).
        seeds: run seeds.
        last_year: the last year replayed (2021; up to 2022 the 2014 design and no 2022
            events would run on, so later years are refused).
        params: replacement structural parameters (per-run arrays allowed).
        design: replacement sanctions design (per-run arrays allowed).
        obs_params: UN-vote observation parameters (scalar; default
            :class:`~sim.observation.VoteObservationParams`).

    Returns:
        A frame indexed by ``(run, year)`` with one column per quantity, including
        ``unga_agreement.<P>`` (anchored on the first year) and ``trade_usd_bn.TOTAL``.

    """
    first = anchor_year(config)
    if not config.start.endswith("-01") or first not in AGREEMENT:
        raise ConfigError(f"the spin-up starts in a January after a year with observed UN "
                          f"agreement ({min(AGREEMENT)}-{max(AGREEMENT)}), got "
                          f"start={config.start}")
    if not first < last_year <= max(YEARS):
        raise ConfigError(f"last_year must be in {first + 1}..{max(YEARS)}, got {last_year}")
    turns = month_index(f"{last_year}-12", "end") - month_index(config.start, "start") + 1
    traj = run(config, seeds, turns=turns, params=params, design=design,
               columns=yearly_columns())
    per_run = yearly(traj, range(first, last_year + 1), align0=refs_from(config.baseline).align0,
                     obs_params=obs_params, anchor=np.array(AGREEMENT[first]), first_year=first)
    per_run["trade_usd_bn.TOTAL"] = (per_run["exports_usd_bn.TOTAL"]
                                     + per_run["imports_usd_bn.TOTAL"])
    return per_run


def compare(per_run: pd.DataFrame, observed: pd.DataFrame) -> pd.DataFrame:
    """Observed statistics next to the mean, 5% and 95% over runs of the simulated ones.

    ``observed`` is :func:`sim.prewar.observed_prewar`'s frame; rows whose quantity or year
    the spin-up did not simulate are dropped.
    """
    g = per_run.groupby(level="year")
    rows = []
    for r in observed.itertuples(index=False):
        if r.quantity not in per_run.columns or r.year not in g.groups:
            continue
        values = g.get_group(r.year)[r.quantity]
        rows.append({**r._asdict(), "simulated": values.mean(),
                     "p05": values.quantile(0.05), "p95": values.quantile(0.95)})
    return pd.DataFrame(rows)


__all__ = ["FIRST_YEAR", "OVERRIDES", "YEARS", "anchor_year", "compare", "spinup"]
