"""Replenishment ABC-SMC: exact posterior, recovery in many dimensions, reproducibility."""

from __future__ import annotations

import numpy as np
import pytest

from sim.errors import ConfigError
from sim.inference.abc import Prior
from sim.inference.abc_mcmc import (
    ReplenishSettings,
    abc_replenish,
    from_probit,
    moves_needed,
    to_probit,
)
from tests.inference.test_abc import _gaussian, _observed


def test_matches_the_exact_posterior_of_a_normal_mean():
    """Known SD 1, flat prior: the posterior of mu is N(xbar, 1/n) (the mean is sufficient)."""
    n, xbar = 25, 0.4

    def simulate(theta, rng):
        return theta[:, :1] + rng.standard_normal((len(theta), 1)) / np.sqrt(n)

    post = abc_replenish(simulate, [xbar], Prior.uniform({"mu": (-4.0, 4.0)}),
                         ReplenishSettings(n_particles=1000, max_generations=40,
                                           min_acceptance=0.05, seed=2), scale=[1.0])
    sd = 1 / np.sqrt(n)
    assert post.epsilon < 0.3 * sd
    assert post.mean()[0] == pytest.approx(xbar, abs=0.1 * sd)
    spread = post.particles[:, 0].std()
    assert spread == pytest.approx(sd, rel=0.1)
    np.testing.assert_allclose(post.interval(0.9)[0], xbar + np.array([-1.645, 1.645]) * sd,
                               atol=0.25 * sd)


def test_recovers_twenty_independent_means_where_weights_would_degenerate():
    """20 parameters, each seen through its own noisy mean: every truth inside its 90% interval
    for most parameters, intervals narrower than the prior, and no duplicated population."""
    k, noise = 20, 0.05
    truth = np.linspace(0.15, 0.85, k)

    def simulate(theta, rng):
        return theta + noise * rng.standard_normal(theta.shape)

    prior = Prior.uniform({f"x{j}": (0.0, 1.0) for j in range(k)})
    post = abc_replenish(simulate, truth, prior,
                         ReplenishSettings(n_particles=400, max_generations=30, seed=5),
                         scale=np.full(k, noise))
    iv = post.interval(0.9)
    inside = (iv[:, 0] <= truth) & (truth <= iv[:, 1])
    assert inside.sum() >= 17, iv
    assert (post.width_ratio(0.9) < 0.6).all()
    assert post.generations[-1].ess > 0.5 * 400          # distinct particles, equal weights
    assert np.allclose(post.weights, 1 / 400)


def test_same_seed_same_posterior_bit_for_bit():
    prior = Prior.uniform({"mu": (-5.0, 5.0), "sd": (0.1, 5.0)}, log=["sd"])
    obs = _observed(_gaussian, (1.0, 1.0), 3)
    settings = ReplenishSettings(n_particles=100, max_generations=4, seed=9)
    a, b = (abc_replenish(_gaussian, obs, prior, settings) for _ in range(2))
    np.testing.assert_array_equal(a.particles, b.particles)
    np.testing.assert_array_equal(a.distances, b.distances)
    assert [g.epsilon for g in a.generations] == [g.epsilon for g in b.generations]
    c = abc_replenish(_gaussian, obs, prior,
                      ReplenishSettings(n_particles=100, max_generations=4, seed=10))
    assert not np.array_equal(a.particles, c.particles)


def test_batches_stay_inside_the_bounds_and_tolerances_shrink():
    calls = []
    prior = Prior.uniform({"mu": (0.0, 1.0), "sd": (0.5, 2.0)})

    def simulate(theta, rng):
        calls.append(theta.copy())
        return _gaussian(theta, rng)

    post = abc_replenish(simulate, _observed(_gaussian, (0.05, 1.0), 1), prior,
                         ReplenishSettings(n_particles=100, max_generations=6, seed=0))
    assert len(calls[0]) == 100 and all(len(t) == 50 for t in calls[1:])
    for theta in calls:
        assert ((theta > prior.low) & (theta < prior.high)).all()
    eps = [g.epsilon for g in post.generations[1:]]
    assert all(b <= a for a, b in zip(eps, eps[1:], strict=False)) and eps[-1] < eps[0]
    assert sum(len(t) for t in calls) == post.simulations
    assert post.mean()[0] < 0.3                       # the truth near the lower bound is reached


def test_stopping_rules():
    prior = Prior.uniform({"mu": (-5.0, 5.0), "sd": (0.1, 5.0)}, log=["sd"])
    obs = _observed(_gaussian, (1.0, 1.0), 3)
    budget = abc_replenish(_gaussian, obs, prior, ReplenishSettings(
        n_particles=100, max_generations=50, max_simulations=1500, seed=1))
    assert budget.stopped == "max_simulations" and budget.simulations <= 1500
    rate = abc_replenish(_gaussian, obs, prior, ReplenishSettings(
        n_particles=100, max_generations=50, min_acceptance=0.3, seed=1))
    assert rate.stopped == "min_acceptance" and rate.generations[-1].acceptance < 0.3
    floor = abc_replenish(_gaussian, obs, prior, ReplenishSettings(
        n_particles=100, max_generations=50, min_epsilon=0.5, seed=1))
    assert floor.stopped == "min_epsilon" and floor.epsilon == 0.5


def test_moves_needed_and_probit_round_trip():
    assert moves_needed(1.0, 0.01, 50) == 1 and moves_needed(0.0, 0.01, 50) == 50
    assert moves_needed(0.5, 0.01, 50) == 7            # 0.5^7 < 0.01 <= 0.5^6
    assert moves_needed(0.01, 0.01, 50) == 50
    prior = Prior.uniform({"a": (-2.0, 3.0), "b": (0.1, 10.0)}, log=["b"])
    u = prior.to_u(prior.sample(50, np.random.default_rng(0)))
    np.testing.assert_allclose(from_probit(to_probit(u, prior), prior), u, rtol=1e-9)


@pytest.mark.parametrize(("settings", "fragment"), [
    (ReplenishSettings(n_particles=2), "n_particles"),
    (ReplenishSettings(drop=1.0), "drop"),
    (ReplenishSettings(c=0.0), "c must"),
    (ReplenishSettings(max_moves=0), "max_moves"),
    (ReplenishSettings(min_acceptance=1.0), "min_acceptance"),
    (ReplenishSettings(n_particles=100, max_simulations=50), "max_simulations"),
])
def test_bad_settings_are_one_line_errors(settings, fragment):
    prior = Prior.uniform({"mu": (0.0, 1.0)})
    with pytest.raises(ConfigError, match=fragment) as err:
        abc_replenish(lambda t, r: t, [0.5], prior, settings)
    assert "\n" not in str(err.value)
