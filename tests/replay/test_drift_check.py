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
