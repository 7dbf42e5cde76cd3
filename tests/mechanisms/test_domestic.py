"""Direction tests for Kazakhstan's own dynamics: doctrine (M16), stability (M17), bridge (M18)."""

from __future__ import annotations

import numpy as np
import pytest

import kzsim
from sim.blocs import CHN, EU, RUS, USA, balance_index
from sim.mechanisms.domestic import (
    BLOC_SIZE,
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


IDEAL = np.array([[1 / 3, 1 / 3, 1 / 6, 1 / 6]])   # a third per bloc, the West's split evenly


def test_m16_concentration_is_least_at_a_third_per_bloc_with_the_west_split_evenly():
    assert concentration(IDEAL)[0] == pytest.approx(1 / 3)
    rng = np.random.default_rng(3)
    others = rng.dirichlet(np.ones(4), size=500)
    assert np.all(concentration(others) >= 1 / 3 - 1e-12)
    # with the West split evenly it is the Herfindahl index of the three blocs
    even = np.array([[0.4, 0.2, 0.2, 0.2], [0.1, 0.5, 0.2, 0.2]])
    assert np.allclose(concentration(even), 1.0 - balance_index(even) / 1.5)
    # an uneven split of the West raises it; one bloc holding all gives 1
    assert concentration(np.array([[0.4, 0.2, 0.3, 0.1]]))[0] > concentration(even[:1])[0]
    assert np.allclose(concentration(np.eye(4)[:2]), 1.0)
    assert np.allclose(concentration(np.array([[0.0, 0.0, 0.5, 0.5]])), 1.0)


def test_m16_concentration_gradient_is_the_derivative_of_concentration():
    align = np.array([[0.40, 0.20, 0.10, 0.30]])
    h = 1e-6
    for k in range(4):
        step = np.zeros((1, 4))
        step[0, k] = h
        numeric = (concentration(align + step) - concentration(align - step)) / (2 * h)
        assert numeric[0] == pytest.approx(concentration_gradient(align)[0, k], rel=1e-6)


def test_m16_zero_with_zero_weight_and_lean():
    for align in (np.tile(A0, (3, 1)), np.array([[0.5, 0.2, 0.1, 0.2]]), np.eye(4)):
        assert np.all(doctrine_pull(align, 0.0, 0.0) == 0.0)


def test_m16_push_moves_share_from_the_most_concentrated_to_the_least():
    align = np.array([[0.40, 0.20, 0.10, 0.30]])
    out = doctrine_pull(align, 0.1, 0.0)
    weighted = BLOC_SIZE * align[0]        # the West's partners count with their bloc
    assert out[0].argmin() == weighted.argmax()
    assert out[0].argmax() == weighted.argmin()
    new, _ = _replicator(align, out, PARAMS.alignment)
    # shares whose weighted share is above the alignment-weighted mean lose, the others gain
    above = weighted > (align[0] * weighted).sum()
    assert np.all((new[0] < align[0]) == above)


@pytest.mark.parametrize("dominant", [RUS, CHN, USA, EU])
def test_m16_penalises_dependence_on_any_one_power(dominant):
    align = np.full((1, 4), 0.1)
    align[0, dominant] = 0.7
    new, _ = _replicator(align, doctrine_pull(align, 0.3, 0.0), PARAMS.alignment)
    assert new[0, dominant] < align[0, dominant]
    others = np.arange(4) != dominant
    assert np.all(new[0, others] > align[0, others])


def test_m16_the_least_concentrated_portfolio_does_not_move():
    align = np.tile(IDEAL, (2, 1))
    new, _ = _replicator(align, doctrine_pull(align, 0.3, 0.0), PARAMS.alignment)
    assert np.allclose(new, align)


def test_m16_lean_adds_to_pull_and_weight_scales_it():
    align = np.array([[0.30, 0.30, 0.10, 0.30]])
    lean = np.array([[0.0, 0.0, 0.02, 0.02]])
    base = doctrine_pull(align, 0.1, 0.0)
    assert np.allclose(doctrine_pull(align, 0.1, lean) - base, lean)
    assert np.allclose(doctrine_pull(align, 0.2, 0.0), 2 * base)
    assert np.allclose(doctrine_pull(align, 0.0, lean), lean)
    assert np.allclose(doctrine_pull(align, 0.1, 2 * lean) - base, 2 * lean)


def test_m16_per_run_weights():
    align = np.array([[0.40, 0.20, 0.10, 0.30], [0.25, 0.25, 0.25, 0.25],
                      [0.10, 0.60, 0.10, 0.20]])
    weight = np.array([0.0, 0.3, 0.5])
    lean = np.array([[0.01, 0.0, 0.0, -0.01], [0.0, 0.0, 0.0, 0.0], [0.0, -0.02, 0.01, 0.01]])
    out = doctrine_pull(align, weight, lean)
    assert out.shape == (3, 4)
    for i in range(3):
        assert np.allclose(out[i], doctrine_pull(align[i:i + 1], weight[i], lean[i:i + 1])[0])
    assert np.allclose(out[0], lean[0])          # no doctrine: the lean alone


def test_m16_repeated_pull_converges_to_the_least_concentrated_portfolio_on_simplex():
    align = np.array([[0.55, 0.15, 0.05, 0.25]])
    conc = concentration(align)[0]
    for _ in range(200):
        align, _ = _replicator(align, doctrine_pull(align, 0.3, 0.0), PARAMS.alignment)
        assert align.sum() == pytest.approx(1.0) and np.all(align > 0)
        new = concentration(align)[0]
        assert new <= conc + 1e-12
        conc = new
    assert np.allclose(align, IDEAL, atol=1e-3)


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
