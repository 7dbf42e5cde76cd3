"""The pre-war (2014-2021) part of the multi-year fit: statistics, simulator, command."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import kzsim
from kzsim.replay_commands import load_targets
from sim.inference.abc_mcmc import ReplenishSettings
from sim.inference.posterior_store import load_posterior
from sim.inference.prewar_fit import (
    POINTS,
    TRADE_ERROR,
    make_prewar_simulator,
    prewar_labels,
    prewar_observed,
    prewar_scales,
)
from sim.inference.replay_fit import (
    fit,
    fit_prior,
    observed_statistics,
    predictive_check,
    statistic_labels,
    statistic_scales,
)
from sim.observation import VoteObservationParams
from sim.prewar import AGREEMENT
from sim.spinup import OVERRIDES, YEARS


@pytest.fixture(scope="module")
def spin():
    return kzsim.load_config([*OVERRIDES, "ensemble=point"])


def test_statistics_are_the_kazakh_points_and_eight_years_of_votes():
    labels, observed, scales = prewar_labels(), prewar_observed(), prewar_scales()
    assert len(labels) == len(observed) == len(scales) == len(POINTS) + 4 * len(YEARS)
    assert YEARS == tuple(range(2014, 2022))
    assert all(p.side == "kazakh" and p.bound == "point" for p in POINTS)
    assert {(p.quantity, p.year) for p in POINTS} >= {("trade_usd_bn.TOTAL", 2014),
                                                      ("trade_usd_bn.TOTAL", 2015)}
    np.testing.assert_allclose(np.exp(observed[:len(POINTS)]), [p.value for p in POINTS])
    np.testing.assert_array_equal(observed[len(POINTS):],
                                  np.array([AGREEMENT[y] for y in YEARS]).ravel())
    assert (scales[:len(POINTS)] == TRADE_ERROR).all()
    np.testing.assert_array_equal(scales[len(POINTS):len(POINTS) + 4],
                                  VoteObservationParams().sigma)


def test_the_multi_year_statistics_follow_the_2022_ones():
    targets = load_targets("kz2022")["targets"]
    short, both = statistic_labels(targets), statistic_labels(targets, prewar=True)
    assert both[:len(short)] == short and both[len(short):] == prewar_labels()
    assert len(observed_statistics(targets, True)) == len(both)
    assert len(statistic_scales(targets, True)) == len(both)


def test_simulator_is_seeded_and_moved_by_its_parameters(spin):
    names = ["params.alignment.rate", "observation.slope"]
    simulate = make_prewar_simulator(spin, names)
    theta = np.array([[0.5, 2.0], [2.0, 2.0], [0.5, 2.0]])
    a = simulate(theta, np.random.default_rng(3))
    np.testing.assert_array_equal(a, simulate(theta, np.random.default_rng(3)))
    assert a.shape == (3, len(prewar_labels())) and np.isfinite(a).all()
    # a faster alignment moves the 2021 votes further from their 2013 level (any direction)
    last = slice(len(POINTS) + 4 * 7, None)
    start = np.array(AGREEMENT[2013])
    assert np.abs(a[1, last] - start).sum() > np.abs(a[0, last] - start).sum()


def test_a_small_multi_year_fit_and_its_check(spin):
    cfg = kzsim.load_config(["history=events_2022_2025", "ensemble=point"])
    targets = load_targets("kz2022")["targets"]
    prior = fit_prior(cfg, ["params.alignment.rate", "observation.slope"])
    post = fit(cfg, targets, prior, ReplenishSettings(n_particles=40, max_generations=2,
                                                      max_moves=3, seed=2), spinup_config=spin)
    assert post.particles.shape == (40, 2)
    check = predictive_check(cfg, targets, post, draws=30, seed=1, spinup_config=spin)
    assert len(check) == len(statistic_labels(targets, prewar=True))
    prewar = check.iloc[len(targets) + 4:]   # after the 2022 targets and votes
    assert set(prewar["year"]) == set(YEARS)
    assert prewar.loc[prewar.statistic == "log(trade_usd_bn.TOTAL) 2014", "observed"].item() \
        == pytest.approx(120.8)
    assert ((check["lower"] <= check["mean"]) & (check["mean"] <= check["upper"])).all()


def test_fit_command_with_the_multi_year_window(tmp_path):
    out = tmp_path / "fit"
    res = subprocess.run([sys.executable, "-m", "kzsim.cli", "fit", "fit.window=2014-2022",
                          "fit.particles=200", "fit.generations=1", "fit.moves=2",
                          "fit.check_draws=20", "fit.parameters=[params.alignment.rate]",
                          f"out={out}"], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    post = load_posterior(out / "posterior")
    files = post.metadata["data_version"]["files"]
    assert set(files) == {"kz_observed.csv", "unga_agreement.csv", "kz_trade_2010_2021.csv",
                          "unga_ukraine_votes.csv"}
    assert post.metadata["settings"]["fit"]["spinup"][0] == "baseline=kz2013"
    assert len(pd.read_csv(out / "fit_check.csv")) == 20 + len(prewar_labels())
    bad = subprocess.run([sys.executable, "-m", "kzsim.cli", "fit", "fit.window=2010-2022",
                          f"out={tmp_path / 'x'}"], capture_output=True, text=True)
    assert bad.returncode == 2 and "valid choices: 2022, 2014-2022" in bad.stderr
