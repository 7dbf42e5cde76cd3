"""Direction tests for China's, the US's and the EU's pulls and route diversification: M11-M15."""

from __future__ import annotations

import numpy as np
import pytest

import kzsim
import sim
from sim.mechanisms.partners import (
    ChinaParams,
    CorridorParams,
    DiscontentParams,
    EUPartnershipParams,
    USEngagementParams,
    china_courtship,
    china_discontent,
    eu_partnership,
    oil_share_via_russia,
    route_diversification,
    transit_cost,
    us_engagement,
)
from sim.state import refs_from

CFG = kzsim.load_config([])
PARAMS = CFG.params
REFS = refs_from(CFG.baseline)
GDP = REFS.gdp
RAIL0 = REFS.oil_routes0[3]   # 2021 oil leaving by rail and other non-Russian outlets


# -------------------------------------------------------------------------------------- M11


def test_m11_investment_above_2021_pulls_toward_china():
    inv = np.array([0.0, REFS.investment_chn, 2 * REFS.investment_chn + 1])
    out = china_courtship(0.5, inv, REFS.investment_chn, 0.2, 0.2, GDP, PARAMS.M11)
    assert out.push_offer[0] < 0
    assert out.push_offer[1] == pytest.approx(0.0)
    assert out.push_offer[2] > 0
    assert np.all(out.push_ties == 0.0)


def test_m11_courtship_above_2021_cuts_trade_cost_with_diminishing_returns():
    p = ChinaParams(trade_cost=0.05, trade_push_ref=0.4, investment_pull=5.0, ties=0.5)
    push = np.array([0.0, 0.4, 0.7, 1.0, 100.0])
    cost = china_courtship(push, 1.8, 1.8, 0.2, 0.2, GDP, p).trade_cost
    assert cost[0] > 0 and cost[1] == 0.0     # below 2021 Chinese trade gets dearer
    assert np.all(np.diff(cost) < 0)
    assert np.all(np.abs(cost) <= p.trade_cost)
    assert cost[-1] == pytest.approx(-p.trade_cost)
    gains = -np.diff(cost[1:4])                # equal steps of push, shrinking cuts
    assert gains[1] < gains[0]


def test_m11_rising_trade_share_pulls_toward_china():
    out = china_courtship(0.5, 1.8, 1.8, np.array([0.1, 0.2, 0.3]), 0.2, GDP, PARAMS.M11)
    assert out.push_ties[0] < 0 and out.push_ties[1] == 0.0 and out.push_ties[2] > 0


# -------------------------------------------------------------------------------------- M12


def test_m12_no_discontent_below_threshold():
    p = PARAMS.M12
    assert np.all(china_discontent(np.array([0.0, 0.1, p.threshold]), p) == 0.0)


def test_m12_discontent_grows_above_threshold():
    p = DiscontentParams(threshold=0.3, strength=0.3)
    out = china_discontent(np.array([0.35, 0.5, 0.9]), p)
    assert np.all(out < 0) and np.all(np.diff(out) < 0)
    assert out[1] == pytest.approx(-0.3 * 0.2)


# -------------------------------------------------------------------------------------- M13


def test_m13_engagement_and_support_attract():
    p = PARAMS.M13
    eng = us_engagement(np.array([0.0, 1.0, 3.0]), 0.0, p.conditionality_ref, 0.03, 0.03, GDP, p)
    assert eng.push_offer[0] == pytest.approx(0.0)
    assert np.all(np.diff(eng.push_offer) > 0)
    assert eng.trade_cost[0] == 0.0 and np.all(np.diff(eng.trade_cost) < 0)
    sup = us_engagement(0.0, np.array([0.0, 0.5, 1.0]), p.conditionality_ref, 0.03, 0.03, GDP, p)
    assert np.all(np.diff(sup.push_offer) > 0)


def test_m13_conditionality_above_ref_repels_below_attracts():
    p = USEngagementParams(engagement_pull=3.0, support_pull=0.02, imposition_repel=0.05,
                           conditionality_ref=0.2, trade_cost=5.0, ties=0.5)
    out = us_engagement(0.0, 0.0, np.array([0.0, 0.2, 0.8]), 0.03, 0.03, GDP, p)
    assert out.push_offer[0] > 0
    assert out.push_offer[1] == pytest.approx(0.0)
    assert out.push_offer[2] < 0


def test_m13_support_can_outweigh_conditionality():
    p = PARAMS.M13
    imposed = us_engagement(0.0, 0.0, 0.6, 0.03, 0.03, GDP, p).push_offer
    supported = us_engagement(0.0, 1.0, 0.6, 0.03, 0.03, GDP, p).push_offer
    assert imposed < 0 and supported > imposed


def test_m13_trade_share_ties():
    p = PARAMS.M13
    out = us_engagement(0.0, 0.0, p.conditionality_ref, np.array([0.02, 0.04]), 0.03, GDP, p)
    assert out.push_ties[0] < 0 < out.push_ties[1]


# -------------------------------------------------------------------------------------- M14


def test_m14_engagement_and_energy_demand_attract_engagement_cuts_trade_cost():
    p = PARAMS.M14
    e = eu_partnership(np.array([0.0, 2.0, 4.0]), 0.0, 0.3, 0.3, GDP, p)
    assert e.push_offer[0] == 0.0 and np.all(np.diff(e.push_offer) > 0)
    assert e.trade_cost[0] == 0.0 and np.all(np.diff(e.trade_cost) < 0)
    d = eu_partnership(0.0, np.array([0.0, 0.5, 1.0]), 0.3, 0.3, GDP, p)
    assert d.push_offer[0] == 0.0 and np.all(np.diff(d.push_offer) > 0)
    assert d.push_offer[2] == pytest.approx(p.energy_pull * p.oil_shift)
    assert np.all(d.trade_cost == 0.0)   # energy demand acts through oil, not trade costs


def test_m14_trade_share_ties():
    p = EUPartnershipParams(engagement_pull=3.0, energy_pull=0.01, oil_shift=0.1, trade_cost=5.0,
                            ties=0.5)
    out = eu_partnership(0.0, 0.0, np.array([0.25, 0.3, 0.35]), 0.3, GDP, p)
    assert out.push_ties[0] < 0 and out.push_ties[1] == 0.0 and out.push_ties[2] > 0


# -------------------------------------------------------------------------------------- M15


def test_m15_funding_grows_corridor_and_caspian_capacity_and_cuts_oil_share():
    p = PARAMS.M15
    cargo, oil = np.array([REFS.corridor0]), np.array([REFS.caspian0])
    share = oil_share_via_russia(oil, RAIL0, REFS.oil_exports_mt)
    assert share[0] == pytest.approx(REFS.oil_share0)
    for _ in range(120):
        new_cargo, new_oil = route_diversification(cargo, oil, 1.5, 0.0, 0.0, p)
        new_share = oil_share_via_russia(new_oil, RAIL0, REFS.oil_exports_mt)
        assert new_cargo > cargo and new_oil > oil
        assert new_share < share
        assert new_cargo <= p.ceiling_mt and new_oil <= p.oil_ceiling_mt
        cargo, oil, share = new_cargo, new_oil, new_share
    assert share[0] < REFS.oil_share0 - 0.04


def test_m15_nothing_grows_without_funding_demand_or_outages():
    p = PARAMS.M15
    cargo, oil = route_diversification(np.array([0.6]), np.array([0.25]), 0.0, 0.0, 0.0, p)
    assert cargo[0] == 0.6 and oil[0] == 0.25


def test_m15_sanctions_intensity_and_outages_add_capacity():
    p = PARAMS.M15
    cargo, _ = route_diversification(0.6, 0.25, 0.0, np.array([0.0, 0.7]), 0.0, p)
    assert cargo[1] > cargo[0]
    _, oil = route_diversification(0.6, 0.25, 0.0, 0.0, np.array([0.0, 15.0, 30.0]), p)
    assert np.all(np.diff(oil) > 0)


def test_m15_capacities_never_exceed_ceilings_with_default_params():
    p = PARAMS.M15
    start = np.linspace(0.0, 0.99, 12)
    cargo, oil = start * p.ceiling_mt, start * p.oil_ceiling_mt
    for _ in range(600):
        cargo, oil = route_diversification(cargo, oil, 5.0, 1.0, 30.0, p)
        assert np.all(cargo <= p.ceiling_mt) and np.all(oil <= p.oil_ceiling_mt)
    assert np.allclose(cargo, p.ceiling_mt, rtol=1e-3)
    assert np.allclose(oil, p.oil_ceiling_mt, rtol=1e-3)


def test_m15_capacities_never_exceed_ceilings_for_any_valid_params():
    p = CorridorParams(funding_share=0.3, build_per_bn=0.02, route_demand=0.11, ceiling_mt=10.0,
                       oil_build_per_bn=0.05, oil_urgency=10.0, oil_ceiling_mt=6.5,
                       transit_cost=0.06, corridor_need_mt=10.0)
    cargo, oil = np.array([0.6]), np.array([0.25])
    for _ in range(24):
        cargo, oil = route_diversification(cargo, oil, 0.0, 0.7, 30.0, p)
        assert cargo[0] <= p.ceiling_mt
        assert oil[0] <= p.oil_ceiling_mt


def test_m15_oil_share_via_russia_bounds():
    out = oil_share_via_russia(np.array([0.0, 10.0, 100.0]), RAIL0,
                               REFS.oil_exports_mt)
    assert out[0] > out[1] > out[2] == 0.0
    assert np.all((out >= 0) & (out <= 1))


def test_m15_transit_cost_rises_with_intensity_and_the_corridor_removes_it():
    p = PARAMS.M15
    by_intensity = transit_cost(np.array([0.0, 0.5, 1.0]), 0.0, p)
    assert by_intensity[0] == 0.0 and np.all(np.diff(by_intensity) > 0)
    assert by_intensity[2] == pytest.approx(p.transit_cost)
    corridor = np.array([0.0, 0.5, 1.0, 2.0]) * p.corridor_need_mt
    by_corridor = transit_cost(0.7, corridor, p)
    assert np.all(np.diff(by_corridor[:3]) < 0)
    assert by_corridor[2] == 0.0 and by_corridor[3] == 0.0   # never a subsidy


def test_m15_funding_share_changes_model_oil_route():
    """Through the model: more corridor funding lowers the oil share via Russia (same seeds)."""
    lo = sim.run(kzsim.load_config(["sanctions=engaged_partner", "params.M15.funding_share=0.0"]),
                 [3], turns=36)
    hi = sim.run(kzsim.load_config(["sanctions=engaged_partner", "params.M15.funding_share=1.0"]),
                 [3], turns=36)
    assert hi.oil_share_via_russia.iloc[-1] < lo.oil_share_via_russia.iloc[-1]
    assert hi.caspian_oil_mt.iloc[-1] > lo.caspian_oil_mt.iloc[-1]

