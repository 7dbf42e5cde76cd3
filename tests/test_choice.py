"""The logit choice rule (sim.choice): probabilities, best response, draws, vectorisation.

Utilities are (options, runs).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.choice import logit_choice, logit_probabilities, pick


def test_probabilities_follow_the_logit_formula():
    u = np.array([[0.0], [1.0], [2.0]])      # (options, runs)
    p = logit_probabilities(u, 0.5)
    expected = np.exp(u / 0.5) / np.exp(u / 0.5).sum()
    assert np.allclose(p, expected)


def test_temperature_zero_is_best_response_and_ignores_draws():
    u = np.array([[0.0, 3.0, 1.0], [5.0, 1.0, 5.0]]).T
    for draw in (0.0, 0.5, 0.999):
        assert logit_choice(u, 0.0, np.full(2, draw)).tolist() == [1, 0]


def test_draw_frequencies_match_the_probabilities():
    rng = np.random.default_rng(7)
    n = 200_000
    u = np.tile([[0.0], [0.2], [0.5]], (1, n))
    picked = logit_choice(u, 0.25, rng.random(n))
    freq = np.bincount(picked, minlength=3) / n
    assert np.allclose(freq, logit_probabilities(u[:, :1], 0.25)[:, 0], atol=0.005)


def test_per_run_temperatures_are_honoured():
    u = np.array([[0.0, 1.0], [0.0, 1.0]]).T
    p = logit_probabilities(u, np.array([0.01, 100.0]))
    assert p[1, 0] > 0.999
    assert abs(p[1, 1] - 0.5) < 0.01


def test_huge_utilities_do_not_overflow():
    u = np.array([[1e6], [0.0], [-1e6]])
    assert np.isfinite(logit_probabilities(u, 0.01)).all()
    assert logit_choice(u, 0.01, np.array([0.999])).tolist() == [0]


def test_pick_maps_indices_to_menu_values():
    assert pick((0.2, 0.5, 0.8), np.array([2, 0, 1])).tolist() == [0.8, 0.2, 0.5]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-50, 50), min_size=1, max_size=6),
       st.floats(0.001, 10.0), st.floats(0.0, 0.999999))
def test_choice_is_a_valid_index_and_probabilities_sum_to_one(values, temperature, draw):
    u = np.array(values)[:, None]
    p = logit_probabilities(u, temperature)
    assert p.sum() == pytest.approx(1.0)
    k = logit_choice(u, temperature, np.array([draw]))
    assert 0 <= k[0] < len(values)
