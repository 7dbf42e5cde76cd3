"""Direction tests for Kazakhstan's own dynamics: doctrine (M16), stability (M17), bridge (M18)."""

from __future__ import annotations

import numpy as np
import pytest

import kzsim
from sim.blocs import CHN, EU, RUS, USA, balance_index
from sim.mechanisms.domestic import (
    BridgeParams,
    StabilityParams,
    bridge_value,
    concentration,
    concentration_gradient,
    doctrine_pull,
    domestic_stability,
)
from sim.stages.alignment import replicator as _replicator
from sim.state import refs_from

CFG = kzsim.load_config([])
PARAMS = CFG.params
REFS = refs_from(CFG.baseline)
A0 = REFS.align0


# -------------------------------------------------------------------------------------- M16


M16 = PARAMS.M16          # cap 0.45 on each bloc, floor 0.10 on each partner


def test_m16_concentration_is_zero_inside_the_bounds_and_grows_outside():
    inside = np.array([[0.30, 0.30, 0.15, 0.25], A0])      # 2021: West 0.458, just over the cap
    assert concentration(inside[:1], M16)[0] == 0.0
    assert concentration(inside[1:], M16)[0] == pytest.approx((A0[2] + A0[3] - M16.cap) ** 2)
    # a dominant bloc, the West counted as one
    assert concentration(np.array([[0.55, 0.15, 0.15, 0.15]]), M16)[0] == pytest.approx(0.01)
    assert concentration(np.array([[0.15, 0.15, 0.25, 0.30]]), M16)[0] == pytest.approx(0.01)
    # a neglected partner
    assert concentration(np.array([[0.35, 0.35, 0.05, 0.25]]), M16)[0] == pytest.approx(0.0025)
    # it grows with the square of the excess, whichever bloc
    for k in (RUS, CHN):
        a = np.full((2, 4), 0.125)
        a[:, k] = [0.6, 0.7]
        a /= a.sum(axis=1, keepdims=True)
        c = concentration(a, M16)
        assert 0 < c[0] < c[1]


def test_m16_concentration_gradient_is_the_derivative_of_concentration():
    for align in (np.array([[0.60, 0.20, 0.05, 0.15]]), np.array([[0.10, 0.20, 0.08, 0.62]])):
        h = 1e-7
        for k in range(4):
            step = np.zeros((1, 4))
            step[0, k] = h
            numeric = ((concentration(align + step, M16) - concentration(align - step, M16))
                       / (2 * h))
            assert numeric[0] == pytest.approx(concentration_gradient(align, M16)[0, k],
                                               abs=1e-6)


def test_m16_zero_with_zero_weight_and_lean_and_inside_the_bounds():
    for align in (np.tile(A0, (3, 1)), np.array([[0.5, 0.2, 0.1, 0.2]]), np.eye(4)):
        assert np.all(doctrine_pull(align, 0.0, 0.0, M16) == 0.0)
    inside = np.array([[0.30, 0.30, 0.15, 0.25]])
    assert np.all(doctrine_pull(inside, 1.0, 0.0, M16) == 0.0)   # no target portfolio


@pytest.mark.parametrize("dominant", [RUS, CHN, USA, EU])
def test_m16_penalises_dependence_on_any_one_bloc(dominant):
    align = np.full((1, 4), 0.1)
    align[0, dominant] = 0.7
    new, _ = _replicator(align, doctrine_pull(align, 1.0, 0.0, M16), PARAMS.alignment)
    bloc = [dominant] if dominant in (RUS, CHN) else [USA, EU]
    others = [k for k in range(4) if k not in bloc]
    assert new[0, bloc].sum() < align[0, bloc].sum()
    assert np.all(new[0, others] > align[0, others])


def test_m16_objects_to_the_neglect_of_a_partner():
    align = np.array([[0.40, 0.30, 0.02, 0.28]])        # the US almost dropped
    out = doctrine_pull(align, 1.0, 0.0, M16)
    assert out[0, USA] > 0 and np.all(out[0, [RUS, CHN, EU]] == 0.0)
    new, _ = _replicator(align, out, PARAMS.alignment)
    assert new[0, USA] > align[0, USA]


def test_m16_lean_adds_to_pull_and_weight_scales_it():
    align = np.array([[0.55, 0.30, 0.05, 0.10]])
    lean = np.array([[0.0, 0.0, 0.02, 0.02]])
    base = doctrine_pull(align, 0.1, 0.0, M16)
    assert np.any(base != 0.0)
    assert np.allclose(doctrine_pull(align, 0.1, lean, M16) - base, lean)
    assert np.allclose(doctrine_pull(align, 0.2, 0.0, M16), 2 * base)
    assert np.allclose(doctrine_pull(align, 0.0, lean, M16), lean)
    assert np.allclose(doctrine_pull(align, 0.1, 2 * lean, M16) - base, 2 * lean)


def test_m16_per_run_weights():
    align = np.array([[0.60, 0.20, 0.05, 0.15], [0.25, 0.25, 0.25, 0.25],
                      [0.10, 0.60, 0.10, 0.20]])
    weight = np.array([0.0, 0.3, 0.5])
    lean = np.array([[0.01, 0.0, 0.0, -0.01], [0.0, 0.0, 0.0, 0.0], [0.0, -0.02, 0.01, 0.01]])
    out = doctrine_pull(align, weight, lean, M16)
    assert out.shape == (3, 4)
    for i in range(3):
        assert np.allclose(out[i], doctrine_pull(align[i:i + 1], weight[i], lean[i:i + 1],
                                                 M16)[0])
    assert np.allclose(out[0], lean[0])          # no doctrine: the lean alone


def test_m16_repeated_pull_brings_a_captured_portfolio_back_inside_the_bounds():
    align = np.array([[0.70, 0.15, 0.03, 0.12]])
    conc = concentration(align, M16)[0]
    for _ in range(400):
        align, _ = _replicator(align, doctrine_pull(align, 1.0, 0.0, M16), PARAMS.alignment)
        assert align.sum() == pytest.approx(1.0) and np.all(align > 0)
        new = concentration(align, M16)[0]
        assert new <= conc + 1e-12
        conc = new
    assert conc < 1e-4
    assert align[0, RUS] < M16.cap + 0.01 and align[0, USA] > M16.floor - 0.01


# -------------------------------------------------------------------------------------- M17


def test_m17_income_loss_lowers_stability():
    p = PARAMS.M17
    s0 = REFS.stability0
    out = domestic_stability(np.full(3, s0), s0, np.array([0.0, 0.01, 0.05]), 0.5, p)
    assert out.stability[0] == pytest.approx(s0)
    assert np.all(np.diff(out.stability) < 0)
    assert np.all((out.stability >= 0) & (out.stability <= 1))


def test_m17_instability_pushes_toward_russia_only_with_a_security_offer():
    p = StabilityParams(recovery=0.1, unrest=2.0, security_demand=0.05, reform_drag=0.05)
    unstable = domestic_stability(np.array([0.4]), 0.7, 0.0, np.array([0.0, 0.5, 1.0]), p)
    assert unstable.push_rus[0] == 0.0
    assert 0.0 < unstable.push_rus[1] < unstable.push_rus[2]
    # and more instability, more push toward Russia (same offer)
    levels = domestic_stability(np.array([0.7, 0.5, 0.3]), 0.7, 0.0, 0.6, p)
    assert levels.push_rus[0] == 0.0
    assert np.all(np.diff(levels.push_rus) > 0)


def test_m17_instability_drags_reform_away_from_the_west():
    p = PARAMS.M17
    out = domestic_stability(np.array([0.7, 0.5, 0.2]), 0.7, 0.0, 0.5, p)
    assert out.push_west[0] == 0.0
    assert np.all(np.diff(out.push_west) < 0)


def test_m17_stability_recovers_toward_2021_level():
    p = PARAMS.M17
    s = np.array([0.3])
    for _ in range(120):
        new = domestic_stability(s, 0.7, 0.0, 0.5, p).stability
        assert s < new <= 0.7
        s = new
    assert s[0] == pytest.approx(0.7, abs=1e-3)


def test_m17_stability_clipped_to_unit_interval():
    p = PARAMS.M17
    out = domestic_stability(np.array([0.1, 0.99]), 0.7, np.array([1.0, -1.0]), 0.5, p)
    assert out.stability[0] == 0.0 and out.stability[1] == 1.0
    # stability above 2021 is no instability: no push
    assert out.push_rus[1] == 0.0 and out.push_west[1] == 0.0


# -------------------------------------------------------------------------------------- M18


def test_m18_more_balance_than_2021_gives_factor_above_one():
    p = PARAMS.M18
    even = np.array([[1 / 3, 1 / 3, 1 / 6, 1 / 6]])
    assert balance_index(even)[0] == pytest.approx(1.0)
    assert balance_index(even)[0] > REFS.balance0
    assert bridge_value(balance_index(even), REFS.balance0, p)[0] > 1.0


def test_m18_less_balance_gives_factor_below_one_and_never_negative():
    p = BridgeParams(strength=1.0)
    captured = np.array([[0.85, 0.05, 0.05, 0.05]])
    f = bridge_value(balance_index(captured), REFS.balance0, p)
    assert 0.0 <= f[0] < 1.0
    assert bridge_value(REFS.balance0, REFS.balance0, p) == pytest.approx(1.0)
    strong = BridgeParams(strength=10.0)
    assert bridge_value(np.array([0.0]), 0.9, strong)[0] == 0.0


def test_m18_factor_monotone_in_balance():
    f = bridge_value(np.array([0.2, 0.5, 0.8, 1.0]), REFS.balance0, PARAMS.M18)
    assert np.all(np.diff(f) > 0)
