"""Batched ABC-SMC: recovers known parameters, matches an exact posterior, is reproducible."""

from __future__ import annotations

import numpy as np
import pytest

from sim.errors import ConfigError
from sim.inference.abc import (
    ABCSettings,
    Prior,
    abc_smc,
    regression_summaries,
    weighted_quantile,
)

N_OBS = 40


def _gaussian(theta, rng):
    """Mean and log SD of N_OBS draws from N(mu, sd^2): one whole population per call."""
    y = rng.normal(theta[:, :1], theta[:, 1:2], (len(theta), N_OBS))
    return np.stack([y.mean(axis=1), np.log(y.std(axis=1, ddof=1))], axis=1)


def _ar1(theta, rng, steps=120):
    """x_t = a x_{t-1} + s e_t from x_0 = 0: lag-1 autocorrelation and log SD (batched)."""
    a, s = theta[:, :1], theta[:, 1:2]
    e = rng.standard_normal((len(theta), steps))
    x = np.zeros_like(e)
    for t in range(1, steps):
        x[:, t] = a[:, 0] * x[:, t - 1] + s[:, 0] * e[:, t]
    x = x[:, 20:] - x[:, 20:].mean(axis=1, keepdims=True)
    acf = (x[:, 1:] * x[:, :-1]).sum(axis=1) / (x * x).sum(axis=1)
    return np.stack([acf, np.log(x.std(axis=1))], axis=1)


def _observed(simulate, truth, seed):
    return simulate(np.array([truth]), np.random.default_rng(seed))[0]


@pytest.mark.parametrize(("simulate", "truth", "bounds"), [
    (_gaussian, (1.3, 0.7), {"mu": (-5.0, 5.0), "sd": (0.1, 5.0)}),
    (_ar1, (0.6, 1.5), {"a": (-0.9, 0.9), "sd": (0.1, 5.0)}),
], ids=["gaussian", "ar1"])
def test_recovers_known_parameters(simulate, truth, bounds):
    prior = Prior.uniform(bounds, log=["sd"])
    post = abc_smc(simulate, _observed(simulate, truth, 11), prior,
                   ABCSettings(n_particles=300, max_generations=8, seed=4))
    iv = post.interval(0.9)
    for j, value in enumerate(truth):
        assert iv[j, 0] <= value <= iv[j, 1], (post.names[j], value, iv[j])
    assert (post.width_ratio(0.9) < 0.3).all(), post.width_ratio(0.9)
    assert post.particles.shape == (300, 2) and post.weights.sum() == pytest.approx(1.0)
    assert ((post.particles >= prior.low) & (post.particles <= prior.high)).all()
    eps = [g.epsilon for g in post.generations]
    assert eps[0] == np.inf and all(b < a for a, b in zip(eps[1:], eps[2:], strict=False))
    assert all(g.ess > 100 for g in post.generations)


def test_matches_the_exact_posterior_of_a_normal_mean():
    """Known SD 1, flat prior: the posterior of mu is N(xbar, 1/n) (the mean is sufficient)."""
    n, xbar = 25, 0.4

    def simulate(theta, rng):
        return theta[:, :1] + rng.standard_normal((len(theta), 1)) / np.sqrt(n)

    post = abc_smc(simulate, [xbar], Prior.uniform({"mu": (-4.0, 4.0)}),
                   ABCSettings(n_particles=1000, max_generations=10, seed=2), scale=[1.0])
    sd = 1 / np.sqrt(n)
    assert post.epsilon < 0.1 * sd
    assert post.mean()[0] == pytest.approx(xbar, abs=0.1 * sd)
    spread = np.sqrt(post.weights @ (post.particles[:, 0] - post.mean()[0]) ** 2)
    assert spread == pytest.approx(sd, rel=0.1)
    np.testing.assert_allclose(post.interval(0.9)[0], xbar + np.array([-1.645, 1.645]) * sd,
                               atol=0.2 * sd)


def test_same_seed_same_posterior_bit_for_bit():
    prior = Prior.uniform({"mu": (-5.0, 5.0), "sd": (0.1, 5.0)}, log=["sd"])
    obs = _observed(_gaussian, (1.0, 1.0), 3)
    settings = ABCSettings(n_particles=150, max_generations=4, seed=9)
    a, b = (abc_smc(_gaussian, obs, prior, settings) for _ in range(2))
    np.testing.assert_array_equal(a.particles, b.particles)
    np.testing.assert_array_equal(a.weights, b.weights)
    np.testing.assert_array_equal(a.distances, b.distances)
    assert [g.epsilon for g in a.generations] == [g.epsilon for g in b.generations]
    c = abc_smc(_gaussian, obs, prior, ABCSettings(n_particles=150, max_generations=4, seed=10))
    assert not np.array_equal(a.particles, c.particles)


def test_simulate_gets_whole_batches_inside_the_bounds():
    calls = []
    prior = Prior.uniform({"mu": (0.0, 1.0), "sd": (0.5, 2.0)})

    def simulate(theta, rng):
        calls.append(theta.copy())
        return _gaussian(theta, rng)

    post = abc_smc(simulate, _observed(_gaussian, (0.05, 1.0), 1), prior,
                   ABCSettings(n_particles=100, max_generations=4, seed=0))
    assert len(calls[0]) == 100                       # generation 0: the population at once
    assert len(calls) < 4 * 10                        # batches, not one call per particle
    for theta in calls:
        assert ((theta >= prior.low) & (theta <= prior.high)).all()
    assert sum(g.proposals_outside for g in post.generations) > 0  # truth near a bound
    assert sum(len(t) for t in calls) == post.simulations


def test_stopping_rules():
    prior = Prior.uniform({"mu": (-5.0, 5.0), "sd": (0.1, 5.0)}, log=["sd"])
    obs = _observed(_gaussian, (1.0, 1.0), 3)
    budget = abc_smc(_gaussian, obs, prior, ABCSettings(n_particles=100, max_generations=20,
                                                        max_simulations=1500, seed=1))
    assert budget.stopped == "max_simulations"
    assert budget.simulations <= 1500 and len(budget.particles) == 100
    rate = abc_smc(_gaussian, obs, prior, ABCSettings(n_particles=100, max_generations=50,
                                                      min_acceptance=0.2, seed=1))
    assert rate.stopped == "min_acceptance" and rate.generations[-1].acceptance < 0.2
    floor = abc_smc(_gaussian, obs, prior, ABCSettings(n_particles=100, max_generations=50,
                                                       min_epsilon=0.5, seed=1))
    assert floor.stopped == "min_epsilon" and floor.epsilon == 0.5


def test_regression_summaries_cut_many_noisy_statistics_to_one_per_parameter():
    rng = np.random.default_rng(0)

    def noisy(theta, rng):  # the Gaussian statistics plus ten pure-noise columns
        return np.hstack([_gaussian(theta, rng), rng.standard_normal((len(theta), 10))])

    prior = Prior.uniform({"mu": (-5.0, 5.0), "sd": (0.1, 5.0)}, log=["sd"])
    pilot = prior.sample(2000, rng)
    project = regression_summaries(pilot, noisy(pilot, rng), prior)
    obs = project(_observed(noisy, (1.3, 0.7), 11)[None, :])[0]
    assert obs.shape == (2,)
    post = abc_smc(lambda th, r: project(noisy(th, r)), obs, prior,
                   ABCSettings(n_particles=300, max_generations=8, seed=4))
    iv = post.interval(0.9)
    assert iv[0, 0] <= 1.3 <= iv[0, 1] and iv[1, 0] <= 0.7 <= iv[1, 1]
    assert (post.width_ratio() < 0.3).all()


def test_bad_priors_and_settings_are_one_line_errors():
    for bounds in ({"a": (1.0, 1.0)}, {"a": (0.0, np.inf)}, {}, {"a": ("x", 1)}):
        with pytest.raises(ConfigError):
            Prior.uniform(bounds)
    with pytest.raises(ConfigError, match="low > 0"):
        Prior.uniform({"a": (0.0, 1.0)}, log=["a"])
    prior = Prior.uniform({"a": (0.0, 1.0)})
    for bad in (ABCSettings(n_particles=1), ABCSettings(quantile=1.0),
                ABCSettings(max_simulations=10)):
        with pytest.raises(ConfigError) as err:
            abc_smc(_gaussian, [0.0, 0.0], prior, bad)
        assert "\n" not in str(err.value)
    with pytest.raises(ValueError, match="shape"):
        abc_smc(lambda th, r: np.zeros((len(th), 3)), [0.0, 0.0], prior)


def test_weighted_quantile():
    x = np.array([3.0, 1.0, 2.0])
    assert weighted_quantile(x, np.ones(3), 0.5) == 2.0
    assert weighted_quantile(x, np.array([0.0, 0.0, 1.0]), [0.1, 0.9]).tolist() == [2.0, 2.0]
