"""The West's outlay (compensation paid and engagement money), an outcome a search can minimise."""

import numpy as np
import pandas as pd

import kzsim
from sim.search.objectives import OBJECTIVES
from sim.streams import run_seeds
from sim.sweep.chunk import run_chunk

LITERAL = ["policy.usa=follow_design", "policy.eu=follow_design"]   # the design, as written


def outlay(overrides, **design):
    cfg = kzsim.load_config([*LITERAL, *overrides])
    points = pd.DataFrame({f"sanctions__{k}": [v] for k, v in design.items()})
    runs = run_chunk(cfg, points, run_seeds(3, 6), 36, band_every=None).runs
    return runs["mean_west_outlay_usd_bn"].to_numpy(), runs


def test_nothing_offered_costs_nothing_and_compensation_costs_what_it_pays():
    none, _ = outlay([], compensation=0.0, engagement=0.0)
    np.testing.assert_array_equal(none, 0.0)
    half, _ = outlay([], compensation=0.5, engagement=0.0)
    full, _ = outlay([], compensation=1.0, engagement=0.0)
    assert (half > 0).all() and (full > half).all()


def test_engagement_money_counts_and_the_objective_reads_it():
    engaged, runs = outlay([], compensation=0.0, engagement=1.0)
    assert (engaged > 0).all()
    values = OBJECTIVES["west_cost"].per_run(runs)
    np.testing.assert_array_equal(values, engaged)
    assert not OBJECTIVES["west_cost"].maximise
