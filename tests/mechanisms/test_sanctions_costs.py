"""Direction tests for the sanctions side-effect mechanisms M1, M2, M4-M6 and M19 (pure functions).

M3 Transshipment moved to :mod:`sim.economy.russia_trade`; its tests are in
``tests/economy/test_russia_trade.py``.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import kzsim
from sim.economy import russia_trade
from sim.mechanisms import MECHANISMS
from sim.mechanisms.sanctions_costs import (
    BystanderParams,
    CalibrationParams,
    FairnessParams,
    RegionalParams,
    backfire,
    bystander_friction,
    calibration_relief,
    compliance_strain,
    regional_relief,
    resentment_push,
    unfairness,
)

PARAMS = kzsim.load_config([]).params


# --------------------------------------------------------------------------------------- M1


def test_m1_params_come_from_config():
    assert isinstance(PARAMS.M1, BystanderParams)
    assert PARAMS.M1.accumulation > 0


def test_m1_friction_grows_with_months_under_when_accumulating():
    out = bystander_friction(0.7, np.array([0, 6, 12, 24]), 1.0, PARAMS.M1)
    assert out[0] > 0
    assert np.all(np.diff(out) > 0)


def test_m1_friction_constant_in_months_without_accumulation():
    p = dataclasses.replace(PARAMS.M1, accumulation=0.0)
    out = bystander_friction(0.7, np.array([0, 6, 12, 24]), 1.0, p)
    assert np.allclose(out, out[0])
    assert out[0] > 0


def test_m1_relief_below_one_lowers_friction_to_zero():
    out = bystander_friction(0.7, 6, np.array([1.0, 0.8, 0.5, 0.0]), PARAMS.M1)
    assert np.all(np.diff(out) < 0)
    assert out[-1] == 0.0


def test_m1_friction_proportional_to_intensity():
    out = bystander_friction(np.array([0.0, 0.35, 0.7]), 6, 1.0, PARAMS.M1)
    assert out[0] == 0.0
    assert out[2] == pytest.approx(2 * out[1])
    p = dataclasses.replace(PARAMS.M1, accumulation=0.0)
    assert bystander_friction(1.0, 0, 1.0, p) == pytest.approx(
        p.friction * (1 + p.over_compliance))


def test_m1_over_compliance_raises_friction():
    lo = dataclasses.replace(PARAMS.M1, over_compliance=0.0)
    hi = dataclasses.replace(PARAMS.M1, over_compliance=1.0)
    assert bystander_friction(0.7, 6, 1.0, hi) > bystander_friction(0.7, 6, 1.0, lo)


def test_m1_resentment_push_is_away_from_west_and_grows_with_the_loss():
    p = dataclasses.replace(PARAMS.M1, resentment=3.0)
    pushes = resentment_push(np.array([0.0, 0.01, 0.02]), p)
    assert pushes[0] == 0.0
    assert np.all(np.diff(pushes) < 0)
    assert pushes[2] == pytest.approx(-3.0 * 0.02)


# --------------------------------------------------------------------------------------- M2


def test_m2_compliance_pushes_away_from_russia_and_adds_grievance():
    out = compliance_strain(np.zeros(3), np.array([0.0, 0.5, 1.0]), 0.7, 0.0, PARAMS.M2)
    assert out.push_rus[0] == 0.0
    assert np.all(np.diff(out.push_rus) < 0)
    assert np.all(np.diff(out.grievance) > 0)


def test_m2_grievance_unchanged_without_compliance_or_intensity():
    """Decay is applied by the politics stage, not by M2 itself."""
    g = np.array([1.0, 0.4])
    assert np.all(compliance_strain(g, 0.0, 0.7, 0.0, PARAMS.M2).grievance == g)
    assert np.all(compliance_strain(g, 1.0, 0.0, 0.0, PARAMS.M2).grievance == g)


def test_m2_retaliation_raises_the_cost_of_exports_to_russia():
    p = dataclasses.replace(PARAMS.M2, retaliation_cost=0.2)
    out = compliance_strain(np.zeros(3), 0.5, 0.7, np.array([0.0, 0.5, 1.0]), p)
    assert out.export_cost[0] == 0.0
    assert np.all(np.diff(out.export_cost) > 0)
    assert out.export_cost[-1] == pytest.approx(0.2)


# --------------------------------------------------------------------------------------- M3


def test_m3_is_registered_from_the_economy_package():
    assert MECHANISMS["M3"].function is russia_trade.transshipment
    assert MECHANISMS["M3"].params is russia_trade.TransshipmentParams
    assert isinstance(PARAMS.M3, russia_trade.TransshipmentParams)


# --------------------------------------------------------------------------------------- M4


def test_m4_zero_push_at_or_below_tolerance():
    p = PARAMS.M4
    assert np.all(backfire(np.array([0.0, 0.2, p.tolerance]), p.tolerance, p) == 0.0)


def test_m4_pressure_past_tolerance_pushes_west_down():
    p = dataclasses.replace(PARAMS.M4, tolerance=0.5, strength=0.3)
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
