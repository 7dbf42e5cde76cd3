"""experiments/drift_check.py: the restoring-force slopes close on the alignment change, and
the grouped summary adds up its members."""

import numpy as np
import pandas as pd

import kzsim
from kzsim.drift_check import GROUPS, NO_SANCTIONS, grouped, restoring
from sim.api import run

SEEDS = [21, 22, 23]


def test_restoring_total_is_the_slope_of_the_alignment_change():
    size = 0.05
    slopes = restoring(SEEDS, size=size)
    base = kzsim.load_config(list(NO_SANCTIONS)).baseline.alignment
    change = {}
    for d in (size, 0.0, -size):
        over = [*NO_SANCTIONS, f"baseline.alignment.rus.value={base.rus.value + d}",
                f"baseline.alignment.eu.value={base.eu.value - d}"]
        df = run(kzsim.load_config(over), SEEDS, turns=12)
        a = df["align_rus"].to_numpy().reshape(len(SEEDS), 13)
        change[d] = (a[:, -1] - a[:, 0]).mean()
    assert np.isclose(slopes.loc["total", "up"], (change[size] - change[0.0]) / size,
                      atol=1e-9)
    assert np.isclose(slopes.loc["total", "down"], (change[0.0] - change[-size]) / size,
                      atol=1e-9)
    # the actors' split covers the same change as the mechanisms' (plus the shock)
    actors = slopes.loc[["KAZ", "RUS", "CHN", "USA", "EU", "shock"]].sum()
    assert np.allclose(actors, slopes.loc["total"], atol=1e-9)


def test_grouped_adds_up_members_per_power_and_year():
    idx = pd.MultiIndex.from_tuples([(s, p) for s in ("M8", "M9", "M16", "RUS")
                                     for p in ("rus", "eu")])
    table = pd.DataFrame({1: np.arange(8.0), 2: np.arange(8.0) * 10}, index=idx)
    out = grouped(table)
    offers = "Russia's offers and threats (M8, M9)"
    assert GROUPS[offers] == ("M8", "M9")
    assert out.loc[offers, "rus year 1"] == 0.0 + 2.0
    assert out.loc[offers, "eu all years"] == (1.0 + 10.0) + (3.0 + 30.0)
    assert out.loc["bridge value (M18)", "rus year 1"] == 0.0


def test_a_quiet_spinup_no_longer_drifts_toward_russia_in_its_first_year():
    """Russia's revealed price of incentives (branch v2-russia-rp) removes the systematic drift.

    The 2014 spin-up with no events and no sanctions (point parameters, run seeds 0..19), mean
    Russian share at the end of the first year: with the assumed ``offer_cost`` 1 (Russia
    buying near-full incentives at the baseline) it rose from 0.266 to 0.375 (+0.109; 50 runs:
    0.373, and 0.468 by 2021). With the revealed price it is 0.24 (-0.029 over 50 runs). Later
    the runs split: the 2021 state is an unstable rest point under Russia's kept price
    (docs/EVIDENCE_PLAN.md, "Russia's incentive price by revealed preference"), so only the
    first year is asserted here.
    """
    from kzsim.drift_check import NO_SHOCKS
    from sim.spinup import OVERRIDES
    from sim.streams import run_seeds

    cfg = kzsim.load_config([*OVERRIDES, *NO_SHOCKS, "ensemble=point"])
    df = run(cfg, run_seeds(0, 20), turns=12)
    start = df.loc[df["turn"] == 0, "align_rus"].mean()
    year1 = df.loc[df["turn"] == 12, "align_rus"].mean()
    assert abs(year1 - start) < 0.05   # before: +0.109
