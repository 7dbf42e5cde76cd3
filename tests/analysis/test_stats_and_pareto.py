import numpy as np
import pandas as pd
import pytest

from sim.analysis.compare import comparison_table, pareto_marks
from sim.analysis.pareto import pareto_front
from sim.analysis.stats import mean_interval, paired_difference, proportion_interval


def test_mean_interval_known_answer():
    est = mean_interval([1, 2, 3, 4, 5])
    half = 2.7764451051977987 * np.std([1, 2, 3, 4, 5], ddof=1) / np.sqrt(5)
    assert est.estimate == 3.0
    assert est.low == pytest.approx(3 - half) and est.high == pytest.approx(3 + half)


def test_wilson_known_answers():
    zero = proportion_interval(np.zeros(10, bool))
    assert zero.estimate == 0 and zero.low == 0 and zero.high == pytest.approx(0.2775, abs=1e-4)
    half = proportion_interval(np.array([True] * 5 + [False] * 5))
    assert half.low == pytest.approx(0.2366, abs=1e-4) and half.high == pytest.approx(0.7634, abs=1e-4)


def test_paired_difference_removes_common_noise():
    rng = np.random.default_rng(0)
    common = rng.normal(0, 10, 200)
    a, b = common + 0.5 + rng.normal(0, 0.01, 200), common
    paired = paired_difference(a, b)
    assert paired.low < 0.5 < paired.high and paired.high - paired.low < 0.01
    unpaired = mean_interval(a).estimate - mean_interval(b).estimate
    assert unpaired == pytest.approx(paired.estimate)
    with pytest.raises(ValueError):
        paired_difference([1, 2], [1])


def test_pareto_front_constructed():
    values = np.array([[1, 1], [2, 0], [0, 2], [0.5, 0.5], [2, 2], [2, 2]])
    assert pareto_front(values, (True, True)).tolist() == [False, False, False, False, True, True]
    assert pareto_front(values[:4], (True, True)).tolist() == [True, True, True, False]
    # minimise the second objective: (2, 0) beats everything with x <= 2
    assert pareto_front(values[:4], (True, False)).tolist() == [False, True, False, False]


def test_comparison_table_and_marks_on_constructed_runs():
    pairs = np.arange(20)
    base = {"pair": pairs, "mean_pressure_on_russia": 0.5 + 0.01 * pairs,
            "welfare_loss_pct_gdp": 1.0 + 0.1 * pairs, "final_align_west": np.full(20, 0.4),
            "final_align_rus": np.full(20, 0.3), "final_align_chn": np.full(20, 0.3),
            "final_balance_index": np.full(20, 0.9), "captured_rus": np.zeros(20, bool),
            "captured_chn": np.zeros(20, bool), "captured_west": np.zeros(20, bool),
            "mean_evasion_usd_bn": np.ones(20), "mean_leakage": np.zeros(20),
            "final_russia_capacity": np.ones(20), "mean_stability": np.ones(20),
            "cpc_disruption_days": np.zeros(20)}
    ref = pd.DataFrame({**base, "design": "ref"})
    better = pd.DataFrame({**base, "design": "better",
                           "mean_pressure_on_russia": base["mean_pressure_on_russia"] + 0.2,
                           "welfare_loss_pct_gdp": base["welfare_loss_pct_gdp"] - 0.3})
    table = comparison_table(pd.concat([ref, better]), "ref")
    row = table[(table.design == "better") & (table.outcome == "mean_pressure_on_russia")].iloc[0]
    assert row["diff"] == pytest.approx(0.2) and row["diff_low"] == pytest.approx(0.2)
    assert row["diff_high"] == pytest.approx(0.2) and row["low"] < row["estimate"] < row["high"]
    w = table[(table.design == "better") & (table.outcome == "welfare_loss_pct_gdp")].iloc[0]
    assert w["diff"] == pytest.approx(-0.3)
    marks = pareto_marks(table)
    assert marks.loc["better", "pareto_welfare"] and not marks.loc["ref", "pareto_welfare"]
