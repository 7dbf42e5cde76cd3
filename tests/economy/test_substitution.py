"""M22 Partner substitution: CES (Armington) shares, trade diversion, welfare terms, adjustment."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import kzsim
from sim.blocs import CHN, EU, ROW, RUS, USA
from sim.economy.substitution import adjust, allocate, ces_shares, cost_index
from sim.state import refs_from

CFG = kzsim.load_config([])
P = CFG.params.M22
REFS = refs_from(CFG.baseline)
W_M, W_X = REFS.import_share0, REFS.nonoil_share0
THETA = P.trade_elasticity


def _tau(n=1, **costs):
    """Trade costs (n, 5), 1 everywhere except the partners named, e.g. ``_tau(RUS=1.2)``."""
    tau = np.ones((n, 5))
    for name, value in costs.items():
        tau[:, {"RUS": RUS, "CHN": CHN, "USA": USA, "EU": EU, "ROW": ROW}[name]] = value
    return tau


def test_shares_reproduce_the_2021_weights_at_tau_one():
    shares, total = ces_shares(W_M, _tau(3), THETA)
    assert np.allclose(shares, W_M)
    assert np.allclose(total, 1.0)


@settings(max_examples=60, derandomize=True, deadline=None)
@given(arrays(float, (4, 5), elements=st.floats(0.01, 1.0)),
       arrays(float, (4, 5), elements=st.floats(0.5, 3.0)),
       st.floats(0.5, 15.0))
def test_shares_are_a_distribution_for_any_weights_and_costs(weights, tau, theta):
    shares, _ = ces_shares(weights / weights.sum(axis=1, keepdims=True), tau, theta)
    assert np.all(shares > 0)
    np.testing.assert_allclose(shares.sum(axis=1), 1.0, rtol=1e-12)


def test_dearer_russian_trade_diverts_to_every_other_partner():
    base, _ = ces_shares(W_M, _tau(), THETA)
    dear, _ = ces_shares(W_M, _tau(RUS=1.3), THETA)
    assert dear[0, RUS] < base[0, RUS]
    assert np.all(dear[0, [CHN, USA, EU, ROW]] > base[0, [CHN, USA, EU, ROW]])
    # diversion in proportion to the others' shares: their ratios are unchanged
    others = [CHN, USA, EU, ROW]
    assert np.allclose(dear[0, others] / dear[0, CHN], base[0, others] / base[0, CHN])


def test_dearer_western_trade_raises_china_and_russia():
    base, _ = ces_shares(W_X, _tau(), THETA)
    dear, _ = ces_shares(W_X, _tau(USA=1.2, EU=1.2), THETA)
    assert dear[0, CHN] > base[0, CHN] and dear[0, RUS] > base[0, RUS]
    assert dear[0, USA] < base[0, USA] and dear[0, EU] < base[0, EU]


def test_higher_elasticity_diverts_more():
    tau = _tau(RUS=1.2)
    china = [ces_shares(W_M, tau, theta)[0][0, CHN] for theta in (2.0, 4.5, 8.0)]
    russia = [ces_shares(W_M, tau, theta)[0][0, RUS] for theta in (2.0, 4.5, 8.0)]
    assert np.all(np.diff(china) > 0) and np.all(np.diff(russia) < 0)


def _allocate(tau_m, tau_x, p=P):
    n = tau_m.shape[0]
    return allocate(np.full(n, REFS.imports0.sum()), np.full(n, REFS.nonoil_exports0),
                    tau_m, tau_x, W_M, W_X, p)


def test_allocate_at_2021_costs_has_no_loss_and_2021_trade():
    out = _allocate(_tau(2), _tau(2))
    assert np.allclose(out.import_price_loss, 0.0, atol=1e-9)
    assert np.allclose(out.export_access_loss, 0.0, atol=1e-9)
    assert np.allclose(out.imports, REFS.imports0.sum() * W_M)
    assert np.allclose(out.exports, REFS.nonoil_exports0 * W_X)


def test_allocate_dearer_costs_lose_income_and_redirection_softens_export_losses():
    costs = np.array([1.0, 1.1, 1.3])
    out = _allocate(_tau(3, RUS=costs), _tau(3, RUS=costs))
    assert out.import_price_loss[0] == pytest.approx(0.0, abs=1e-9)
    assert np.all(np.diff(out.import_price_loss) > 0)
    assert np.all(np.diff(out.export_access_loss) > 0)
    # imports keep their total: spending is shared out, not lost
    assert np.allclose(out.imports.sum(axis=1), REFS.imports0.sum())
    easy = _allocate(_tau(RUS=1.3), _tau(RUS=1.3), dataclasses.replace(P, redirection=0.9))
    hard = _allocate(_tau(RUS=1.3), _tau(RUS=1.3), dataclasses.replace(P, redirection=0.3))
    assert 0.0 < easy.export_access_loss[0] < hard.export_access_loss[0]


def test_cost_index_is_one_at_2021_and_has_a_floor():
    assert np.allclose(cost_index(np.zeros((2, 5)), np.zeros((2, 5))), 1.0)
    tau = cost_index(np.array([[-2.0, 0.0, 0.2, 0.0, 0.0]]), np.zeros((1, 5)))
    assert tau[0, 0] == pytest.approx(0.05) and tau[0, 2] == pytest.approx(1.2)
    assert cost_index(np.zeros((1, 5)), np.full((1, 5), 0.1))[0, 0] == pytest.approx(np.exp(0.1))


@settings(max_examples=60, derandomize=True, deadline=None)
@given(st.floats(0.05, 5.0), st.floats(0.05, 5.0), st.floats(0.0, 1.0))
def test_adjust_moves_part_way_and_never_overshoots(used, now, speed):
    p = dataclasses.replace(P, adjustment=speed)
    new = adjust(np.array([used]), np.array([now]), p)[0]
    assert min(used, now) - 1e-12 <= new <= max(used, now) + 1e-12
    assert abs(now - new) <= abs(now - used) + 1e-12
    assert new - used == pytest.approx(speed * (now - used), abs=1e-12)


def test_adjust_converges_to_todays_costs():
    tau = np.ones((1, 5))
    target = _tau(RUS=1.4)
    first = adjust(tau, target, P)
    assert 1.0 < first[0, RUS] < 1.4 and first[0, CHN] == 1.0
    for _ in range(300):
        tau = adjust(tau, target, P)
    assert np.allclose(tau, target, atol=1e-6)
