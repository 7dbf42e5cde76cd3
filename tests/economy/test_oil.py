"""M23 Oil routes: bypass routes first, then the CPC as far as it is up, then Atyrau-Samara;
the rest is shut in. Sanctions discount CPC crude unless a carve-out covers it."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kzsim
from sim.economy.oil import ROUTES, route_oil
from sim.state import refs_from

CFG = kzsim.load_config([])
P = CFG.params.M23
REFS = refs_from(CFG.baseline)
VOLUME = REFS.oil_exports_mt
UNIT = REFS.oil_value / REFS.oil_exports_mt
CPC, SAMARA, CASPIAN, RAIL = (ROUTES.index(r) for r in ("cpc", "atyrau_samara", "caspian", "rail"))


def _route(down=0.0, volume=VOLUME, caspian=REFS.caspian0, intensity=0.0, licences=0.0, p=P):
    down = np.atleast_1d(np.asarray(down, dtype=float))
    return route_oil(volume, 1.0, UNIT, caspian, down, intensity, licences, p)


def test_2021_routing_delivers_everything_at_the_2021_revenue():
    out = _route()
    assert out.lost_mt[0] == 0.0
    assert out.share_via_russia[0] == pytest.approx(REFS.oil_share0, abs=1e-3)
    assert out.revenue[0] == pytest.approx(REFS.oil_value)
    assert out.revenue[0] == pytest.approx(out.potential_revenue)


@settings(max_examples=80, derandomize=True, deadline=None)
@given(st.floats(0.0, 150.0), st.floats(0.0, 1.0), st.floats(0.0, 20.0))
def test_routes_plus_shut_in_conserve_volume(volume, down, caspian):
    out = _route(down, volume=volume, caspian=caspian)
    assert np.all(out.routes >= 0) and np.all(out.lost_mt >= 0)
    assert out.routes.sum(axis=1) + out.lost_mt == pytest.approx(volume, abs=1e-9)
    assert out.routes[0, CPC] <= P.cpc_capacity_mt * (1 - down) + 1e-9
    assert out.routes[0, SAMARA] <= P.atyrau_samara_capacity_mt + 1e-9
    assert 0.0 <= out.share_via_russia[0] <= 1.0


def test_bypass_routes_are_filled_first():
    out = _route(volume=3.0, caspian=2.0)
    assert out.routes[0, CASPIAN] == 2.0 and out.routes[0, RAIL] == 1.0
    assert out.routes[0, CPC] == 0.0 and out.routes[0, SAMARA] == 0.0
    assert out.share_via_russia[0] == 0.0
    more_caspian = _route(caspian=np.array(6.0))
    assert more_caspian.routes[0, CASPIAN] == 6.0
    assert more_caspian.share_via_russia[0] < _route().share_via_russia[0]


def test_cpc_outage_reroutes_to_atyrau_samara_up_to_capacity_then_shuts_in():
    down = np.array([0.0, 0.05, 0.5, 1.0])
    out = _route(down)
    assert np.all(np.diff(out.routes[:, CPC]) < 0)
    assert np.all(np.diff(out.routes[:, SAMARA]) >= 0)
    spare = P.atyrau_samara_capacity_mt - out.routes[0, SAMARA]
    # a small outage is rerouted entirely
    assert out.routes[1, CPC] == pytest.approx(out.routes[0, CPC] - 0.05 * P.cpc_capacity_mt)
    assert 0.05 * P.cpc_capacity_mt < spare
    assert out.lost_mt[1] == 0.0
    # a large one fills Atyrau-Samara and shuts in the rest
    assert out.routes[2, SAMARA] == pytest.approx(P.atyrau_samara_capacity_mt)
    assert out.lost_mt[2] == pytest.approx(0.5 * P.cpc_capacity_mt - spare)
    assert np.all(np.diff(out.lost_mt[1:]) > 0)
    assert np.all(np.diff(out.revenue) <= 0)


def test_sanctions_discount_cpc_crude_and_a_full_carve_out_removes_it():
    clean = _route()
    sanctioned = _route(intensity=1.0)
    licensed = _route(intensity=1.0, licences=1.0)
    assert sanctioned.revenue[0] == pytest.approx(
        clean.revenue[0] - P.sanctions_discount * UNIT * clean.routes[0, CPC])
    assert licensed.revenue[0] == pytest.approx(clean.revenue[0])
    half = _route(intensity=1.0, licences=0.5).revenue[0]
    assert sanctioned.revenue[0] < half < licensed.revenue[0]


def test_no_intensity_no_discount_whatever_the_discount_rate():
    p = dataclasses.replace(P, sanctions_discount=0.5)
    out = _route(intensity=0.0, licences=0.0, p=p)
    assert out.revenue[0] == pytest.approx(out.potential_revenue)
