"""The evidence fit: its prior, statistics, simulator, predictive check and `kzsim fit`."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import kzsim
from kzsim.replay_commands import load_targets
from sim.errors import ConfigError
from sim.inference.abc_mcmc import ReplenishSettings
from sim.inference.posterior_store import load_posterior
from sim.inference.replay_fit import (
    fit,
    fit_prior,
    make_simulator,
    observed_statistics,
    predictive_check,
    statistic_labels,
)
from sim.observation import OBSERVED


@pytest.fixture(scope="module")
def cfg():
    return kzsim.load_config(["history=events_2022_2025"])


@pytest.fixture(scope="module")
def targets():
    return load_targets("kz2022")["targets"]


def test_prior_comes_from_the_declared_priors(cfg):
    prior = fit_prior(cfg, ["params.M22.trade_elasticity", "observation.slope"])
    assert prior.names == ("params.M22.trade_elasticity", "observation.slope")
    np.testing.assert_array_equal(prior.low, [3.0, 0.5])
    np.testing.assert_array_equal(prior.high, [7.0, 6.0])
    narrower = fit_prior(cfg, ["observation.slope"], {"observation.slope": [1.0, 3.0]})
    np.testing.assert_array_equal([narrower.low[0], narrower.high[0]], [1.0, 3.0])


@pytest.mark.parametrize(("names", "fragment"), [
    (["params.M22.nope"], "is not a parameter with a prior"),
    (["observation.sigma_rus"], "is not a parameter with a prior"),   # fixed, not sampled
    (["observation.slope", "observation.slope"], "distinct"),
    ([], "distinct parameter names, at least one"),
])
def test_bad_parameter_lists_are_one_line_errors(cfg, names, fragment):
    with pytest.raises(ConfigError, match=fragment) as err:
        fit_prior(cfg, names)
    assert "\n" not in str(err.value)


def test_statistics_are_the_logged_targets_and_the_2022_votes(targets):
    labels, observed = statistic_labels(targets), observed_statistics(targets)
    assert len(labels) == len(observed) == len(targets) + 4
    assert labels[-4:] == [f"unga_agreement.{p}.2022" for p in ("RUS", "CHN", "USA", "EU")]
    np.testing.assert_allclose(np.exp(observed[:len(targets)]),
                               [t["observed"] for t in targets])
    np.testing.assert_array_equal(observed[-4:], OBSERVED[2022])


def test_simulator_is_seeded_batched_and_moved_by_its_parameters(cfg, targets):
    names = ["params.replay.oil_price_2022", "observation.slope"]
    simulate = make_simulator(cfg, targets, names)
    theta = np.array([[0.1, 1.0], [0.9, 1.0], [0.1, 5.0]])
    a = simulate(theta, np.random.default_rng(7))
    b = simulate(theta, np.random.default_rng(7))
    assert a.shape == (3, len(targets) + 4) and np.isfinite(a).all()
    np.testing.assert_array_equal(a, b)
    exports = [t["quantity"] for t in targets].index("exports_usd_bn.TOTAL")
    assert a[1, exports] > a[0, exports]          # a higher 2022 oil price raises exports
    assert not np.array_equal(a, simulate(theta, np.random.default_rng(8)))
    # a met lower bound enters at its observed value; uncensored, the simulated value
    raw = make_simulator(cfg, targets, names, censor=False)(theta, np.random.default_rng(7))
    k = [t.get("bound", "point") for t in targets].index("lower")
    observed_log = np.log(targets[k]["observed"])
    np.testing.assert_array_equal(a[:, k], np.minimum(raw[:, k], observed_log))
    assert (raw[:, k] > observed_log).any()
    others = np.arange(a.shape[1]) != k
    np.testing.assert_array_equal(a[:, others], raw[:, others])


def test_a_small_fit_and_its_predictive_check(cfg, targets):
    prior = fit_prior(cfg, ["params.replay.oil_price_2022", "observation.slope"])
    post = fit(cfg, targets, prior, ReplenishSettings(n_particles=60, max_generations=3,
                                                      max_moves=5, seed=1))
    assert post.particles.shape == (60, 2) and post.generations[-1].epsilon < np.inf
    assert post.width_ratio(0.9)[0] < 1.0
    check = predictive_check(cfg, targets, post, draws=40, seed=3)
    assert list(check.columns) == ["statistic", "quantity", "year", "observed", "mean",
                                   "lower", "upper", "bound", "inside"]
    assert len(check) == len(targets) + 4 and (check["lower"] <= check["upper"]).all()
    point = check["bound"] == "point"
    inside = (check["observed"] >= check["lower"]) & (check["observed"] <= check["upper"])
    assert (check["inside"] == inside)[point].all()
    at_least = check["bound"] == "lower"                      # the re-exports' bound (B04)
    assert at_least.sum() == 1
    assert (check["inside"] == (check["upper"] >= check["observed"]))[at_least].all()
    again = predictive_check(cfg, targets, post, draws=40, seed=3)
    pd.testing.assert_frame_equal(check, again)


def test_fit_command_writes_a_loadable_posterior(tmp_path):
    out = tmp_path / "fit"
    res = subprocess.run([sys.executable, "-m", "kzsim.cli", "fit", "fit.window=2022",
                          "fit.particles=200",
                          "fit.generations=1", "fit.moves=3", "fit.check_draws=50",
                          "fit.parameters=[params.replay.oil_price_2022,observation.slope]",
                          f"out={out}"], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert "in-sample coverage of the 90% bands" in res.stdout
    post = load_posterior(out / "posterior")
    assert post.names == ("params.replay.oil_price_2022", "observation.slope")
    assert len(post.weights) == 200
    meta = post.metadata
    assert set(meta["data_version"]["files"]) == {"kz_observed.csv", "unga_agreement.csv"}
    assert meta["settings"]["fit"]["targets"] == "configs/targets/kz2022.yaml"
    summary = pd.read_csv(out / "posterior_summary.csv")
    assert list(summary["name"]) == list(post.names)
    assert (summary["width_ratio"] > 0).all() and (summary["width_ratio"] <= 1).all()
    check = pd.read_csv(out / "fit_check.csv")
    assert len(check) == 20
    assert meta["settings"]["fit"]["coverage_90"] == pytest.approx(check["inside"].mean())
    bad = subprocess.run([sys.executable, "-m", "kzsim.cli", "fit",
                          "fit.parameters=[params.M4.nope]", f"out={tmp_path / 'x'}"],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
    assert "is not a parameter with a prior" in bad.stderr
    assert not (tmp_path / "x").exists()

