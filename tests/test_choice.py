"""The logit choice rule (sim.choice): probabilities, best response, draws, vectorisation.

Utilities are (options, runs).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.choice import logit_choice, logit_probabilities, pick, revealed_price


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


def test_revealed_price_makes_the_middle_option_the_best_response():
    """Revealed preference: the midpoint of the prices at which the middle option is best."""
    q = np.array([[0.1], [0.2], [0.3]])
    gain = np.array([[1.0], [1.5], [1.8]])              # concave: slopes 5 then 3
    price = revealed_price(gain, q, 99.0)
    assert price == pytest.approx([4.0])
    assert (gain - price * q).argmax(axis=0).tolist() == [1]
    # a stance that loses gain as it designates more: a negative price (valued for itself)
    assert revealed_price(-gain, q, 99.0) == pytest.approx([-4.0])


def test_revealed_price_of_convex_gains_is_the_chord():
    q = np.array([[0.1], [0.2], [0.3]])
    gain = np.array([[1.0], [1.2], [1.8]])              # slopes 2 then 6: no price works
    price = revealed_price(gain, q, 99.0)
    assert price == pytest.approx([4.0])
    net = (gain - price * q)[:, 0]
    assert net[0] == pytest.approx(net[2])              # the outer options tie


def test_revealed_price_of_degenerate_menus_is_finite():
    gain = np.array([[1.0, 1.0, 2.0], [1.5, 1.0, 2.5], [1.5, 1.0, 2.5]])
    q = np.array([[0.5, 0.0, 0.6], [1.0, 0.0, 0.9], [1.0, 0.0, 0.9]])   # clipped; zero; equal
    with np.errstate(all="raise"):
        price = revealed_price(gain, q, 2.0)
    # the upper option clipped onto the middle: the upper bound less half the fallback
    assert price[0] == pytest.approx(1.0 - 1.0)
    assert price[1] == 2.0                              # nothing to price: the fallback
    assert price[2] == pytest.approx(0.5 / 0.3 - 1.0)
    assert np.isfinite(price).all()
