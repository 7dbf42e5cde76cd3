"""Direction tests for the sanctions side-effect mechanisms M1-M6 and M19 (pure functions)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import kzsim
from sim.mechanisms.sanctions_costs import (
    BackfireParams,
    BystanderParams,
    CalibrationParams,
    ComplianceStrainParams,
    FairnessParams,
    RegionalParams,
    TransshipmentParams,
    backfire,
    bystander_cost,
    calibration_relief,
    compliance_strain,
    regional_relief,
    resentment_push,
    transshipment,
    unfairness,
)

PARAMS = kzsim.load_config([]).params
GDP = 197.0


# --------------------------------------------------------------------------------------- M1


def test_m1_params_come_from_config():
    assert isinstance(PARAMS.M1, BystanderParams)
    assert PARAMS.M1.accumulation > 0


def test_m1_compensation_lowers_net_cost_not_unrelieved_cost():
    comp = np.array([0.0, 0.3, 0.8, 1.0])
    out = bystander_cost(0.7, 24.5, 6, 1.0, comp, PARAMS.M1)
    assert np.all(np.diff(out.net) < 0)
    assert out.net[-1] == 0.0
    # compensation offsets the cost, it does not remove it (unrelieved ignores compensation)
    assert np.ndim(out.unrelieved) == 0 and out.unrelieved > 0
    assert np.allclose(out.net, out.unrelieved * (1.0 - comp))


def test_m1_cost_grows_with_months_under_when_accumulating():
    months = np.array([0, 6, 12, 24])
    out = bystander_cost(0.7, 24.5, months, 1.0, 0.0, PARAMS.M1)
    assert np.all(np.diff(out.unrelieved) > 0)
    assert np.all(np.diff(out.net) > 0)


def test_m1_cost_constant_in_months_without_accumulation():
    p = dataclasses.replace(PARAMS.M1, accumulation=0.0)
    out = bystander_cost(0.7, 24.5, np.array([0, 6, 12, 24]), 1.0, 0.0, p)
    assert np.allclose(out.net, out.net[0])
    assert out.net[0] > 0


def test_m1_relief_below_one_lowers_cost_and_trade_friction():
    relief = np.array([1.0, 0.8, 0.5, 0.0])
    out = bystander_cost(0.7, 24.5, 6, relief, 0.0, PARAMS.M1)
    assert np.all(np.diff(out.net) < 0)
    assert out.net[-1] == 0.0
    # less friction on Russian trade with more relief (trade_growth is negative, rises to 0)
    assert np.all(out.trade_growth <= 0)
    assert np.all(np.diff(out.trade_growth) > 0)


def test_m1_cost_scales_with_intensity_and_exposure():
    out = bystander_cost(np.array([0.0, 0.35, 0.7]), 24.5, 6, 1.0, 0.0, PARAMS.M1)
    assert out.net[0] == 0.0
    assert np.isclose(out.net[2], 2 * out.net[1])
    low, high = (bystander_cost(0.7, t, 6, 1.0, 0.0, PARAMS.M1).net for t in (10.0, 20.0))
    assert high == pytest.approx(2 * low)


def test_m1_over_compliance_raises_cost():
    lo = dataclasses.replace(PARAMS.M1, over_compliance=0.0)
    hi = dataclasses.replace(PARAMS.M1, over_compliance=1.0)
    assert (bystander_cost(0.7, 24.5, 6, 1.0, 0.0, hi).net
            > bystander_cost(0.7, 24.5, 6, 1.0, 0.0, lo).net)


def test_m1_resentment_push_is_away_from_west_and_compensation_softens_it():
    p = BystanderParams(cost_share=0.05, over_compliance=0.5, accumulation=0.3, friction=0.05,
                        resentment=3.0)
    pushes = resentment_push(2.0, np.array([0.0, 0.5, 1.0]), GDP, p)
    assert pushes[0] < pushes[1] < pushes[2] == 0.0
    assert pushes[0] == pytest.approx(-3.0 * 2.0 / GDP)


# --------------------------------------------------------------------------------------- M2


def test_m2_compliance_pushes_away_from_russia_and_adds_grievance():
    p = PARAMS.M2
    compliance = np.array([0.0, 0.5, 1.0])
    out = compliance_strain(np.zeros(3), compliance, 0.7, 0.0, 24.5, p)
    assert out.push_rus[0] == 0.0
    assert np.all(np.diff(out.push_rus) < 0)
    assert np.all(np.diff(out.grievance) > 0)


def test_m2_grievance_decays_without_compliance():
    p = PARAMS.M2
    out = compliance_strain(np.array([1.0]), 0.0, 0.7, 0.0, 24.5, p)
    assert out.grievance[0] == pytest.approx(1.0 - p.grievance_decay)


def test_m2_retaliation_lowers_trade_and_income():
    p = ComplianceStrainParams(strain=0.02, grievance_rate=0.05, grievance_decay=0.1,
                               retaliation_trade=0.2, retaliation_cost=0.05)
    retaliation = np.array([0.0, 0.5, 1.0])
    out = compliance_strain(np.zeros(3), 0.5, 0.7, retaliation, 24.5, p)
    assert out.trade_growth[0] == 0.0 and out.loss_bn[0] == 0.0
    assert np.all(np.diff(out.trade_growth) < 0)
    assert np.all(np.diff(out.loss_bn) > 0)
    assert out.loss_bn[-1] == pytest.approx(0.05 * 24.5)


# --------------------------------------------------------------------------------------- M3


def _m3(reexports=0.0, intensity=0.7, power=1.0, enforcement=0.4, secondary=0.2, p=None):
    return transshipment(reexports, intensity, power, enforcement, secondary, GDP,
                         p or PARAMS.M3)


def _target(**kw):
    """The flow's target: with adjust=1 the flow jumps straight to it."""
    return _m3(p=dataclasses.replace(PARAMS.M3, adjust=1.0), **kw).reexports


def test_m3_enforcement_lowers_flow_target():
    targets = _target(enforcement=np.array([0.0, 0.5, 1.0]))
    assert np.all(np.diff(targets) < 0)
    assert targets[-1] == pytest.approx(targets[0] * (1 - PARAMS.M3.enforcement_effect))


def test_m3_secondary_pressure_lowers_flow_target():
    targets = _target(secondary=np.array([0.0, 0.3, 0.9]))
    assert np.all(np.diff(targets) < 0)
    assert targets[0] == pytest.approx(PARAMS.M3.max_flow * 0.7 * (1 - 0.6 * 0.4))


def test_m3_flow_target_rises_with_intensity_and_russian_capacity():
    assert np.all(np.diff(_target(intensity=np.array([0.0, 0.5, 1.0]))) > 0)
    assert np.all(np.diff(_target(power=np.array([0.2, 0.6, 1.0]))) > 0)
    assert _target(intensity=0.0) == 0.0


def test_m3_flow_moves_gradually_toward_target():
    target = _target()
    flow = 0.0
    for _ in range(60):
        new = _m3(reexports=flow).reexports
        assert flow < new <= target + 1e-12
        flow = new
    assert flow == pytest.approx(target, rel=1e-6)
    # from above the target the flow falls
    assert _m3(reexports=2 * target).reexports < 2 * target


def test_m3_leakage_rises_with_flow_and_stays_below_one():
    out = _m3(reexports=np.array([0.0, 1.0, 5.0, 50.0]),
              p=dataclasses.replace(PARAMS.M3, adjust=0.0))
    assert out.leakage[0] == 0.0
    assert np.all(np.diff(out.leakage) > 0)
    assert np.all(out.leakage < 1.0)
    # half the pressure leaks at leak_half
    half = _m3(reexports=PARAMS.M3.leak_half, p=dataclasses.replace(PARAMS.M3, adjust=0.0))
    assert half.leakage == pytest.approx(0.5)


def test_m3_flow_ties_to_russia_and_penalties_cut_income():
    p = TransshipmentParams(max_flow=8.0, enforcement_effect=0.6, deterrence=2.0, adjust=0.0,
                            import_content=1.5, margin=0.1, penalty_rate=0.05, leak_half=20.0,
                            tie=0.5)
    out = transshipment(np.array([1.0, 2.0]), 0.7, 1.0, 0.4, 0.0, GDP, p)
    assert np.all(out.push_rus > 0) and out.push_rus[1] > out.push_rus[0]
    income = [transshipment(2.0, 0.7, 1.0, 0.4, s, GDP, p).income_bn for s in (0.0, 0.5, 1.0)]
    assert income[0] > income[1] > income[2]


# --------------------------------------------------------------------------------------- M4


def test_m4_zero_push_at_or_below_tolerance():
    p = PARAMS.M4
    below = backfire(np.array([0.0, 0.2, p.tolerance]), p.tolerance, p)
    assert np.all(below == 0.0)


def test_m4_pressure_past_tolerance_pushes_west_down():
    p = BackfireParams(tolerance=0.5, strength=0.3)
    out = backfire(np.array([0.5, 0.6, 0.9, 1.0]), p.tolerance, p)
    assert out[0] == 0.0
    assert np.all(out[1:] < 0)
    assert np.all(np.diff(out) < 0)
    assert out[-1] == pytest.approx(-0.3 * 0.5)


def test_m4_lower_tolerance_means_earlier_backlash():
    p = PARAMS.M4
    assert backfire(0.4, 0.3, p) < backfire(0.4, 0.5, p) == 0.0


# --------------------------------------------------------------------------------------- M5


def test_m5_no_licences_no_clarity_gives_factor_one():
    assert calibration_relief(0.0, 0.0, PARAMS.M1.over_compliance, PARAMS.M5) == pytest.approx(1.0)


def test_m5_licences_lower_the_factor():
    f = calibration_relief(np.array([0.0, 0.3, 0.6, 1.0]), 0.4, 0.5, PARAMS.M5)
    assert np.all(np.diff(f) < 0)
    assert np.all((f > 0) & (f <= 1))


def test_m5_clarity_lowers_the_factor():
    f = calibration_relief(0.3, np.array([0.0, 0.4, 0.9, 1.0]), 0.5, PARAMS.M5)
    assert np.all(np.diff(f) < 0)
    # full clarity removes exactly the over-compliance part
    assert f[-1] == pytest.approx((1 - PARAMS.M5.licence_coverage * 0.3) / 1.5)


def test_m5_factor_never_above_one_on_a_grid():
    p = CalibrationParams(licence_coverage=0.8)
    lic, cla = np.meshgrid(np.linspace(0, 1, 11), np.linspace(0, 1, 11))
    f = calibration_relief(lic, cla, 0.5, p)
    assert np.all(f <= 1.0 + 1e-12) and np.all(f > 0)


def test_m5_clarity_irrelevant_without_over_compliance():
    f = calibration_relief(0.2, np.array([0.0, 1.0]), 0.0, PARAMS.M5)
    assert f[0] == pytest.approx(f[1])


# --------------------------------------------------------------------------------------- M6


def test_m6_unfairness_rises_with_pressure_and_falls_with_consistency():
    p = PARAMS.M6
    by_pressure = unfairness(0.3, np.array([0.0, 0.5, 0.9]), p)
    assert by_pressure[0] == 0.0 and np.all(np.diff(by_pressure) > 0)
    by_consistency = unfairness(np.array([0.0, 0.5, 1.0]), 0.8, p)
    assert np.all(np.diff(by_consistency) < 0)
    assert by_consistency[-1] == 0.0


def test_m6_unfairness_lowers_effective_backfire_tolerance():
    f = unfairness(0.3, 0.45, FairnessParams(sensitivity=1.0, resentment=0.1))
    assert f > 0
    # 0.45 is below the 0.5 tolerance, but not below tolerance - unfairness
    assert backfire(0.45, PARAMS.M4.tolerance, PARAMS.M4) == 0.0
    assert backfire(0.45, PARAMS.M4.tolerance - f, PARAMS.M4) < 0.0


# -------------------------------------------------------------------------------------- M19


def test_m19_coordination_lowers_the_factor():
    f = regional_relief(np.array([0.0, 0.5, 1.0]), 0.0, PARAMS.M19)
    assert f[0] == 1.0
    assert np.all(np.diff(f) < 0)


def test_m19_us_diplomacy_doubles_the_effect_of_coordination():
    p = RegionalParams(relief=0.3)
    without = 1.0 - regional_relief(1.0, 0.0, p)
    with_us = 1.0 - regional_relief(1.0, 1.0, p)
    assert with_us == pytest.approx(2 * without)
    assert regional_relief(1.0, 1.0, p) == pytest.approx(0.7)
