"""M3 Transshipment, M24 Displacement and the accounting of pressure on Russia.

Each lever that lets goods reach Russia (evasion, displacement, carve-outs) costs pressure.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kzsim
from sim.economy.russia_trade import (
    blocked_imports,
    displace,
    pressure_on_russia,
    transshipment,
)

PARAMS = kzsim.load_config([]).params
P3, P24, PR = PARAMS.M3, PARAMS.M24, PARAMS.russia
GDP = 197.0
BLOCKED = float(blocked_imports(0.7, PR))


def _m3(flow=None, blocked=BLOCKED, capacity=1.0, intensity=0.7, enforcement=0.4, secondary=0.2,
        p=P3):
    flow = p.baseline_flow if flow is None else flow
    return transshipment(flow, blocked, capacity, intensity, enforcement, secondary, GDP, p)


def _target(**kw):
    """The flow's target: with adjust=1 the flow jumps straight to it."""
    return _m3(p=dataclasses.replace(P3, adjust=1.0), **kw)


# ----------------------------------------------------------------------- blocked and pressure


def test_no_intensity_nothing_blocked_and_no_pressure_at_all():
    blocked = blocked_imports(np.zeros(2), PR)
    assert np.all(blocked == 0.0)
    out = pressure_on_russia(blocked, np.array([0.0, 0.4]), np.array([0.0, 0.2]), 0.0,
                             np.array([0.0, 1.0]), PR)
    for name, value in out._asdict().items():
        assert np.all(value == 0.0), name


def test_blocked_imports_proportional_to_intensity():
    b = blocked_imports(np.array([0.0, 0.5, 1.0]), PR)
    assert b[2] == pytest.approx(PR.imports_usd_bn * PR.controlled_share * PR.reach)
    assert b[1] == pytest.approx(b[2] / 2)


def test_leak_free_full_sanctions_give_index_one():
    p = dataclasses.replace(PR, elsewhere=0.0, carve_out=0.0)
    out = pressure_on_russia(blocked_imports(1.0, p), 0.0, 0.0, 1.0, 0.0, p)
    assert out.index == pytest.approx(1.0)
    assert out.leaked == 0.0 and out.lost_imports == pytest.approx(out.blocked)


def test_evasion_lowers_pressure_leakage_costs_pressure():
    out = pressure_on_russia(BLOCKED, np.array([0.0, 1.0, 3.0]), 0.0, 0.7, 0.0, PR)
    assert np.all(np.diff(out.leaked) > 0)
    assert np.all(np.diff(out.total) < 0) and np.all(np.diff(out.index) < 0)


def test_licences_lower_lost_exports_carve_outs_cost_pressure():
    out = pressure_on_russia(BLOCKED, 0.0, 0.0, 0.7, np.array([0.0, 0.5, 1.0]), PR)
    assert np.all(np.diff(out.lost_exports) < 0)
    assert out.lost_exports[2] == pytest.approx(out.lost_exports[0] * (1 - PR.carve_out))
    assert np.all(np.diff(out.total) < 0)   # lost imports do not depend on licences


@settings(max_examples=80, derandomize=True, deadline=None)
@given(st.floats(0.0, 1.0), st.floats(0.0, 100.0), st.floats(0.0, 100.0), st.floats(0.0, 1.0))
def test_leaked_never_exceeds_blocked_and_pressure_never_negative(intensity, evasion, displaced,
                                                                   licences):
    blocked = blocked_imports(intensity, PR)
    out = pressure_on_russia(blocked, evasion, displaced, intensity, licences, PR)
    assert 0.0 <= out.leaked <= out.blocked
    assert out.lost_imports >= 0.0 and out.total >= 0.0
    assert 0.0 <= out.index <= 1.0 + 1e-12


# ------------------------------------------------------------------------------------ M3


def test_m3_nothing_blocked_keeps_the_baseline_flow_without_evasion():
    out = _m3(blocked=0.0, enforcement=np.array([0.0, 1.0]), secondary=np.array([0.0, 1.0]))
    assert np.all(out.flow == P3.baseline_flow)
    for name in ("evasion", "deterred", "margin", "penalties", "push_rus"):
        assert np.all(getattr(out, name) == 0.0), name


def test_m3_enforcement_lowers_the_flow_and_raises_deterred():
    out = _target(enforcement=np.array([0.0, 0.5, 1.0]))
    assert np.all(np.diff(out.flow) < 0) and np.all(np.diff(out.deterred) > 0)
    assert np.all(out.flow > P3.baseline_flow)


def test_m3_secondary_enforcement_lowers_the_flow_and_raises_deterred():
    out = _target(secondary=np.array([0.0, 0.3, 0.9]))
    assert np.all(np.diff(out.flow) < 0) and np.all(np.diff(out.deterred) > 0)
    # without secondary enforcement only Kazakh enforcement closes the route
    potential = P3.route_share * BLOCKED
    assert out.deterred[0] == pytest.approx(potential * P3.enforcement_effect * 0.4)


def test_m3_flow_rises_with_what_is_blocked_and_russian_capacity():
    assert np.all(np.diff(_target(blocked=np.array([0.0, 10.0, 30.0])).flow) > 0)
    assert np.all(np.diff(_target(capacity=np.array([0.2, 0.6, 1.0])).flow) > 0)


def test_m3_flow_moves_gradually_toward_target():
    target = _target().flow
    flow = P3.baseline_flow
    for _ in range(80):
        new = _m3(flow=flow).flow
        assert new <= target + 1e-12
        assert flow < new or target - flow < 1e-9   # rises until it has arrived
        flow = new
    assert flow == pytest.approx(target, rel=1e-6)
    assert _m3(flow=2 * target).flow < 2 * target   # from above the flow falls


def test_m3_penalties_only_on_evasion_and_rise_with_secondary_enforcement():
    no_evasion = _m3(flow=0.0, blocked=0.0, secondary=1.0)
    assert no_evasion.evasion == 0.0 and no_evasion.penalties == 0.0
    still = dataclasses.replace(P3, adjust=0.0)
    out = _m3(flow=P3.baseline_flow + 1.0, secondary=np.array([0.0, 0.5, 1.0]), p=still)
    assert np.all(out.evasion == pytest.approx(1.0))
    assert out.penalties[0] == 0.0 and np.all(np.diff(out.penalties) > 0)


def test_m3_evasion_earns_margins_and_ties_to_russia():
    still = dataclasses.replace(P3, adjust=0.0)
    out = _m3(flow=P3.baseline_flow + np.array([0.0, 1.0, 2.0]), p=still)
    assert out.margin[0] == 0.0 and np.all(np.diff(out.margin) > 0)
    assert out.push_rus[0] == 0.0 and np.all(np.diff(out.push_rus) > 0)


# ----------------------------------------------------------------------------------- M24


def test_m24_displaced_is_a_share_of_deterred():
    deterred = np.array([0.0, 1.0, 2.0])
    assert np.allclose(displace(deterred, P24), P24.share * deterred)
    assert np.all(displace(deterred, dataclasses.replace(P24, share=0.0)) == 0.0)


def test_m24_displacement_costs_pressure():
    m3 = _m3(enforcement=1.0, secondary=1.0)
    assert m3.deterred > 0
    shares = (0.0, 0.5, 1.0)
    totals = [pressure_on_russia(BLOCKED, m3.evasion,
                                 displace(m3.deterred, dataclasses.replace(P24, share=s)),
                                 0.7, 0.0, PR).total for s in shares]
    assert totals[0] > totals[1] > totals[2]
