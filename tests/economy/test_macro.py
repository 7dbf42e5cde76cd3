"""M21 Macro frame: GDP and oil volume on their trends, a mean-reverting log oil price."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import kzsim
from sim.economy.macro import macro_frame

P = kzsim.load_config([]).params.M21
GDP0, OIL0 = 197.0, 64.3


def test_gdp_and_oil_volume_follow_their_trends():
    years = np.array([0.0, 1.0, 5.0])
    out = macro_frame(years, np.zeros(3), np.zeros(3), GDP0, OIL0, P)
    assert out.gdp[0] == GDP0 and out.oil_volume_mt[0] == OIL0
    assert out.gdp[2] == pytest.approx(GDP0 * (1 + P.gdp_growth) ** 5)
    assert out.oil_volume_mt[1] == pytest.approx(OIL0 * (1 + P.oil_output_growth))
    assert np.all(np.diff(out.gdp) > 0)
    flat = dataclasses.replace(P, gdp_growth=0.0, oil_output_growth=0.0)
    still = macro_frame(years, np.zeros(3), np.zeros(3), GDP0, OIL0, flat)
    assert np.all(still.gdp == GDP0) and np.all(still.oil_volume_mt == OIL0)


def test_without_volatility_log_price_moves_monotonically_to_its_level():
    for level in (0.7, 1.4):
        p = dataclasses.replace(P, oil_price_volatility=0.0, oil_price_level=level)
        target = np.log(level)
        path = [np.zeros(1)]
        for month in range(240):
            path.append(macro_frame(month / 12, path[-1], np.ones(1), GDP0, OIL0, p).log_oil_price)
        path = np.concatenate(path)
        gaps = np.abs(path - target)
        assert np.all(np.diff(gaps) < 0)                               # closer every month
        assert np.all(np.sign(path[1:] - target) == np.sign(-target))  # never overshoots
        assert gaps[-1] < 1e-3


def test_shocks_move_the_price_and_the_level_is_the_price_at_rest():
    zero = macro_frame(0.0, np.zeros(2), np.array([0.0, 1.0]), GDP0, OIL0, P).log_oil_price
    assert zero[1] - zero[0] == pytest.approx(P.oil_price_volatility)
    p = dataclasses.replace(P, oil_price_level=1.2)
    rest = macro_frame(0.0, np.full(1, np.log(1.2)), np.zeros(1), GDP0, OIL0, p).log_oil_price
    assert rest[0] == pytest.approx(np.log(1.2))


def test_log_price_stays_finite_and_bounded_over_600_months_of_shocks():
    rng = np.random.default_rng(20211201)
    log_price = np.zeros(500)
    for month in range(600):
        log_price = macro_frame(month / 12, log_price, rng.standard_normal(500), GDP0, OIL0,
                                P).log_oil_price
        assert np.all(np.isfinite(log_price))
    # stationary s.d. of an AR(1): volatility / sqrt(1 - (1 - reversion)**2)
    sd = P.oil_price_volatility / np.sqrt(1 - (1 - P.oil_price_reversion) ** 2)
    assert np.abs(log_price.mean() - np.log(P.oil_price_level)) < 0.1
    assert log_price.std() == pytest.approx(sd, rel=0.15)
