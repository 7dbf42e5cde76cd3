"""The search loop on test problems with known fronts, reproducibility and replay."""

import numpy as np
import pytest

from sim.errors import ConfigError
from sim.search.nsga import non_dominated, search


def zdt1(X):
    """ZDT1 (Zitzler, Deb & Thiele 2000): front f2 = 1 - sqrt(f1) at x2..xn = 0."""
    f1 = X[:, 0]
    g = 1.0 + 9.0 * X[:, 1:].mean(axis=1)
    return np.column_stack([f1, g * (1.0 - np.sqrt(f1 / g))]), np.zeros((len(X), 0))


def front_distance(gens):
    F = np.vstack([g.F for g in gens])
    front = F[non_dominated(F)]
    return np.abs(front[:, 1] - (1.0 - np.sqrt(front[:, 0]))), front


def test_zdt1_front_is_reached_within_a_stated_distance():
    gens = search(zdt1, [0.0] * 8, [1.0] * 8, 2, 0, 40, 60, seed=3)
    distance, front = front_distance(gens)
    # 2,400 evaluations: every non-dominated point within 0.05 of the true front (measured
    # 0.035 at most, 0.010 on average), and the front spread over f1
    assert distance.max() < 0.05 and distance.mean() < 0.02
    assert front[:, 0].min() < 0.05 and front[:, 0].max() > 0.9


def test_a_constraint_keeps_the_front_feasible():
    def constrained(X):
        F, _ = zdt1(X)
        return F, (0.4 - X[:, :1])          # feasible where x1 >= 0.4
    gens = search(constrained, [0.0] * 4, [1.0] * 4, 2, 1, 20, 20, seed=1)
    X = np.vstack([g.X for g in gens])
    F, G = np.vstack([g.F for g in gens]), np.vstack([g.G for g in gens])
    front = non_dominated(F, G)
    assert front.any() and (X[front, 0] >= 0.4).all()


def test_same_seed_same_search_and_a_replay_evaluates_only_what_is_missing():
    full = search(zdt1, [0.0] * 4, [1.0] * 4, 2, 0, 12, 6, seed=5)
    again = search(zdt1, [0.0] * 4, [1.0] * 4, 2, 0, 12, 6, seed=5)
    for a, b in zip(full, again, strict=True):
        np.testing.assert_array_equal(a.X, b.X)
    calls = []

    def counting(X):
        calls.append(len(X))
        return zdt1(X)

    kept = []
    resumed = search(counting, [0.0] * 4, [1.0] * 4, 2, 0, 12, 6, seed=5, stored=full[:4],
                     on_generation=kept.append)
    assert len(calls) == 2 and [g.index for g in kept] == [4, 5]
    for a, b in zip(full, resumed, strict=True):
        np.testing.assert_array_equal(a.X, b.X)
        np.testing.assert_array_equal(a.F, b.F)
    with pytest.raises(ConfigError, match="stored generation 0 is not the one"):
        search(zdt1, [0.0] * 4, [1.0] * 4, 2, 0, 12, 6, seed=6, stored=full[:2])


def test_non_dominated_with_and_without_constraints():
    F = np.array([[1.0, 1.0], [0.0, 2.0], [2.0, 0.0], [2.0, 2.0], [0.5, 0.5]])
    assert non_dominated(F).tolist() == [False, True, True, False, True]
    G = np.array([[0.0], [0.0], [0.0], [0.0], [1.0]])      # the best point is infeasible
    assert non_dominated(F, G).tolist() == [True, True, True, False, False]
