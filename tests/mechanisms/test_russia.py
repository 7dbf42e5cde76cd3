"""Direction tests for Russia's levers and standing: M7-M10 and M20 (pure functions)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import kzsim
import sim
from sim.errors import ConfigError
from sim.mechanisms.russia import (
    DeclineParams,
    EnergyLeverageParams,
    SecurityParams,
    SignalParams,
    diplomatic_signal,
    energy_leverage,
    russia_decline,
    russian_offers,
    security_leverage,
    threat_push,
)

CFG = kzsim.load_config([])
PARAMS = CFG.params


def _draws(n, u_pol=1.0, u_pol_len=0.5, u_tech=1.0, u_tech_len=0.5):
    return tuple(np.full(n, float(u)) for u in (u_pol, u_pol_len, u_tech, u_tech_len))


# --------------------------------------------------------------------------------------- M7


def test_m7_forced_political_outage_takes_cpc_capacity_down_and_is_resented():
    p = PARAMS.M7
    out = energy_leverage(np.array([0.2]), np.array([0.94]), _draws(1, u_pol=0.0), p)
    expected_days = p.min_days + (p.max_days - p.min_days) * 0.5
    assert out.political_days[0] == pytest.approx(expected_days)
    assert out.days[0] == pytest.approx(expected_days)
    assert out.down[0] == pytest.approx(expected_days / 30 * p.severity)
    assert out.push_outage[0] < 0


def test_m7_no_political_outage_when_draw_above_probability():
    out = energy_leverage(0.2, 0.94, _draws(1, u_pol=0.2 * 0.94 + 1e-9), PARAMS.M7)
    assert out.political_days[0] == 0.0 and out.push_outage[0] == 0.0
    assert out.down[0] == 0.0


def test_m7_higher_oil_share_via_russia_raises_outage_odds_and_threat():
    shares = np.array([0.2, 0.5, 0.94])
    out = energy_leverage(0.3, shares, _draws(3, u_pol=0.0), PARAMS.M7)
    assert np.all(out.days == out.days[0])  # same outage length in all three
    assert np.all(out.down == out.down[0])  # capacity out does not depend on the share
    assert np.all(np.diff(out.push_threat) > 0)
    assert np.all(out.push_threat > 0)
    assert np.allclose(out.push_threat, threat_push(0.3, shares, PARAMS.M7))
    # a draw between the low and the high outage probability: only exposed routes go down
    mid = energy_leverage(0.3, shares, _draws(3, u_pol=0.3 * 0.35), PARAMS.M7)
    assert mid.political_days[0] == 0.0 and np.all(mid.political_days[1:] > 0)


def test_m7_threat_rises_with_cpc_pressure():
    push = threat_push(np.array([0.0, 0.1, 0.5]), 0.94, PARAMS.M7)
    assert push[0] == 0.0 and np.all(np.diff(push) > 0)


def test_m7_zero_pressure_and_zero_technical_rate_give_zero_days():
    p = dataclasses.replace(PARAMS.M7, technical_rate=0.0)
    rng = np.random.default_rng(0)
    draws = tuple(rng.uniform(size=200) for _ in range(4))
    draws = (np.concatenate([[0.0], draws[0][1:]]), draws[1],
             np.concatenate([[0.0], draws[2][1:]]), draws[3])
    out = energy_leverage(0.0, 0.94, draws, p)
    assert np.all(out.days == 0.0)
    assert np.all(out.down == 0.0)
    assert np.all(out.push_threat == 0.0) and np.all(out.push_outage == 0.0)


def test_m7_technical_outage_disrupts_but_is_not_resented():
    p = EnergyLeverageParams(deterrence=0.1, resentment=0.05, min_days=5.0, max_days=30.0,
                             severity=0.5, technical_rate=0.05)
    out = energy_leverage(0.0, 0.94, _draws(1, u_tech=0.0, u_tech_len=0.0), p)
    assert out.days[0] == pytest.approx(5.0)
    assert out.political_days[0] == 0.0
    assert out.down[0] == pytest.approx(5.0 / 30 * 0.5)
    assert out.push_outage[0] == 0.0


def test_m7_days_capped_at_a_month():
    out = energy_leverage(1.0, 0.94, _draws(1, 0.0, 1.0, 0.0, 1.0), PARAMS.M7)
    assert out.days[0] == 30.0
    assert out.down[0] == pytest.approx(PARAMS.M7.severity)


def test_m7_params_reject_inverted_outage_range():
    p = dataclasses.replace(PARAMS.M7, min_days=20.0, max_days=10.0)
    with pytest.raises(ConfigError):
        p.validate("params.M7")


def test_m7_forced_outages_shut_in_oil_and_lower_real_income_in_the_model():
    """Outages every month (technical_rate=1) shut in oil and cut real income at turn 1."""
    seeds = [11, 12, 13]
    base = sim.run(kzsim.load_config(["params.M7.technical_rate=0.0"]), seeds, turns=2)
    forced = sim.run(kzsim.load_config(["params.M7.technical_rate=1.0"]), seeds, turns=2)
    b, f = base[base.turn == 1], forced[forced.turn == 1]
    assert (f.cpc_disruption_days.values > 0).all()
    assert (f.oil_shut_in_mt.values > b.oil_shut_in_mt.values).all()
    assert (f.real_income_usd_bn.values < b.real_income_usd_bn.values).all()


# --------------------------------------------------------------------------------------- M8


def test_m8_security_offer_above_2021_attracts_below_repels():
    p = PARAMS.M8
    offers = np.array([0.0, p.guarantee_ref, 1.0])
    out = security_leverage(0.0, offers, p)
    assert out[0] < 0 and out[1] == pytest.approx(0.0) and out[2] > 0


def test_m8_threat_sign_follows_deterrence_minus_diversification():
    fear = SecurityParams(deterrence=0.05, diversification=0.01, guarantee=0.0, guarantee_ref=0.5)
    hedge = SecurityParams(deterrence=0.01, diversification=0.05, guarantee=0.0, guarantee_ref=0.5)
    assert security_leverage(0.5, 0.5, fear) > 0
    assert security_leverage(0.5, 0.5, hedge) < 0
    # default: hedging dominates, so more threats push away from Russia
    d = security_leverage(np.array([0.0, 0.5, 1.0]), PARAMS.M8.guarantee_ref, PARAMS.M8)
    assert np.all(np.diff(d) < 0)


def test_m8_more_diversification_lowers_push():
    lo = dataclasses.replace(PARAMS.M8, diversification=0.0)
    hi = dataclasses.replace(PARAMS.M8, diversification=0.1)
    assert security_leverage(0.6, 0.5, hi) < security_leverage(0.6, 0.5, lo)


# --------------------------------------------------------------------------------------- M9


def test_m9_eaeu_offer_above_2021_attracts_and_cuts_trade_cost():
    p = PARAMS.M9
    offers = np.array([0.0, p.eaeu_ref, 1.0])
    out = russian_offers(offers, 0.0, 0.2, 0.2, p)
    assert (out.push_offer[0] < 0 and out.push_offer[1] == pytest.approx(0.0)
            and out.push_offer[2] > 0)
    # above 2021 Russian trade gets cheaper (negative cost), below it dearer
    assert out.trade_cost[0] > 0 and out.trade_cost[1] == pytest.approx(0.0)
    assert out.trade_cost[2] == pytest.approx(-p.trade_cost * (1.0 - p.eaeu_ref))
    assert np.all(out.push_ties == 0.0)


def test_m9_gas_union_attracts():
    p = PARAMS.M9
    out = russian_offers(p.eaeu_ref, np.array([0.0, 0.5, 1.0]), 0.2, 0.2, p)
    assert out.push_offer[0] == pytest.approx(0.0)
    assert np.all(np.diff(out.push_offer) > 0)


def test_m9_trade_share_gain_pulls_toward_russia():
    p = PARAMS.M9
    out = russian_offers(p.eaeu_ref, 0.0, np.array([0.1, 0.2, 0.3]), 0.2, p)
    assert out.push_ties[0] < 0 and out.push_ties[1] == 0.0 and out.push_ties[2] > 0


# -------------------------------------------------------------------------------------- M10


def test_m10_pressure_lowers_capacity():
    cap, push = russia_decline(np.ones(3), np.array([0.0, 0.5, 1.0]), PARAMS.M10)
    assert cap[0] == 1.0
    assert np.all(np.diff(cap) < 0)
    assert np.all(np.diff(push) < 0)
    assert push[0] == 0.0


def test_m10_without_pressure_capacity_recovers_toward_one():
    p = PARAMS.M10
    cap = np.array([0.5])
    for _ in range(240):
        new, push = russia_decline(cap, 0.0, p)
        assert cap < new <= 1.0
        cap = new
    assert cap[0] > 0.9
    assert push[0] > -p.influence_loss * 0.5  # influence regained with capacity


def test_m10_sustained_pressure_erodes_capacity_monotonically():
    p = DeclineParams(erosion=0.015, recovery=0.01, influence_loss=0.05, supply_cost=0.5)
    cap = np.array([1.0])
    for _ in range(120):
        new, _ = russia_decline(cap, 0.7, p)
        assert new < cap
        cap = new
    assert 0.0 < cap[0] < 1.0


def test_m10_capacity_stays_in_unit_interval_on_grid():
    cap, press = np.meshgrid(np.linspace(0.01, 1, 21), np.linspace(0, 1, 21))
    new, push = russia_decline(cap, press, PARAMS.M10)
    assert np.all((new >= 0) & (new <= 1))
    assert np.all(push <= 0)


# -------------------------------------------------------------------------------------- M20


def test_m20_westward_signal_pushes_west_up_russia_down_and_adds_grievance():
    p = PARAMS.M20
    p_rus, p_west, grievance = diplomatic_signal(np.array([0.3]), p)
    assert p_rus[0] < 0 and p_west[0] > 0 and grievance[0] > 0
    assert p_west[0] == pytest.approx(-p_rus[0])
    assert grievance[0] == pytest.approx(p.provocation * 0.3)


def test_m20_eastward_signal_reverses_and_provokes_nothing():
    p = SignalParams(strength=0.05, provocation=0.5)
    p_rus, p_west, grievance = diplomatic_signal(np.array([-0.5, 0.0]), p)
    assert p_rus[0] > 0 and p_west[0] < 0
    assert np.all(grievance == 0.0)
    assert p_rus[1] == 0.0 and p_west[1] == 0.0


def test_m20_bigger_signal_bigger_effect():
    p_rus, p_west, grievance = diplomatic_signal(np.array([0.1, 0.5, 1.0]), PARAMS.M20)
    assert np.all(np.diff(p_west) > 0) and np.all(np.diff(p_rus) < 0)
    assert np.all(np.diff(grievance) > 0)


def test_m10_capacity_stays_in_unit_interval_even_under_extreme_pressure():
    p = DeclineParams(erosion=1.0, recovery=1.0, influence_loss=1.0, supply_cost=0.5)
    cap = np.array([0.5, 1.0])
    for pressure in (2.0, -1.0):
        new, _ = russia_decline(cap, pressure, p)
        assert np.all((new >= 0.0) & (new <= 1.0))
