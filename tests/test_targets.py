"""Targets as points or bounds (sim.targets): the miss a fit reads and what counts as met."""

import numpy as np
import pytest

from experiments.replay_commands import load_targets
from sim.calibration import _objective
from sim.errors import ConfigError
from sim.targets import (
    bounds_of,
    censor_logs,
    inside_band,
    shortfall,
    within_tolerance,
)

KINDS = np.array(["point", "lower", "upper"], dtype=object)


def test_shortfall_keeps_a_points_log_ratio_and_only_a_bounds_miss():
    r = np.array([[0.3, 0.3, 0.3], [-0.2, -0.2, -0.2]])
    np.testing.assert_array_equal(shortfall(r, KINDS), [[0.3, 0.0, 0.3], [-0.2, -0.2, 0.0]])


def test_censored_statistics_put_a_met_bound_on_its_observed_value():
    obs = np.log([2.0, 2.0, 2.0])
    logs = np.log([[3.0, 3.0, 3.0], [1.0, 1.0, 1.0]])
    out = censor_logs(logs, obs, KINDS)
    np.testing.assert_allclose(np.exp(out), [[3.0, 2.0, 3.0], [1.0, 1.0, 2.0]])


def test_within_tolerance_is_one_sided_for_a_bound():
    rel = np.array([2.0, -0.4, -0.6])   # far above, a bit below, far below
    assert within_tolerance(rel, 0.5, "lower").tolist() == [True, True, False]
    assert within_tolerance(rel, 0.5, "point").tolist() == [False, True, False]
    assert within_tolerance(-rel, 0.5, "upper").tolist() == [True, True, False]


def test_inside_band_for_points_and_bounds():
    lo, hi = np.array([1.0, 1.0, 1.0]), np.array([2.0, 2.0, 2.0])
    assert inside_band([0.5, 0.5, 0.5], lo, hi, KINDS).tolist() == [False, True, False]
    assert inside_band([3.0, 3.0, 3.0], lo, hi, KINDS).tolist() == [False, False, True]
    assert inside_band([2.0, 2.0, 1.0], lo, hi, KINDS).tolist() == [True, True, True]


def test_an_unknown_bound_is_refused_with_the_choices():
    with pytest.raises(ConfigError, match="bound 'above' is unknown; valid choices: point, "
                                          "lower, upper"):
        bounds_of([{"quantity": "x", "bound": "above"}])
    assert bounds_of([{"quantity": "x"}]).tolist() == ["point"]


def test_the_calibration_objective_reads_only_a_bounds_shortfall():
    observed, weights = np.array([2.0, 2.0]), np.array([1.0, 3.0])
    kinds = np.array(["point", "lower"], dtype=object)
    above = _objective(np.array([4.0, 4.0]), observed, weights, kinds)
    below = _objective(np.array([4.0, 1.0]), observed, weights, kinds)
    assert above == pytest.approx(np.log(2.0) ** 2)            # the met bound adds nothing
    assert below == pytest.approx(np.log(2.0) ** 2 + 3 * np.log(0.5) ** 2)


def test_the_shipped_targets_hold_the_re_export_lower_bound_with_its_row():
    targets = load_targets("kz2022")["targets"]
    (reexports,) = [t for t in targets if t["quantity"] == "reexports_to_russia_usd_bn"]
    assert reexports["bound"] == "lower" and reexports["source"].startswith("B04")
    # B04: 575.1 mn in January-October 2022 against 30.7 mn a year before, annualised
    assert reexports["observed"] == pytest.approx((575.1 - 30.7) / 10 * 12 / 1000, abs=0.005)
