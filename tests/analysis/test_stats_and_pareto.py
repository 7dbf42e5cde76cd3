import numpy as np
import pandas as pd
import pytest

from sim.analysis.compare import comparison_table, pareto_marks
from sim.analysis.pareto import pareto_front
from sim.analysis.stats import (
    clustered_mean_interval,
    interval,
    mean_interval,
    paired_difference,
    paired_proportion_difference,
    proportion_interval,
)


def test_mean_interval_known_answer():
    est = mean_interval([1, 2, 3, 4, 5])
    half = 2.7764451051977987 * np.std([1, 2, 3, 4, 5], ddof=1) / np.sqrt(5)
    assert est.estimate == 3.0
    assert est.low == pytest.approx(3 - half) and est.high == pytest.approx(3 + half)


def test_wilson_known_answers():
    zero = proportion_interval(np.zeros(10, bool))
    assert zero.estimate == 0 and zero.low == 0 and zero.high == pytest.approx(0.2775, abs=1e-4)
    half = proportion_interval(np.array([True] * 5 + [False] * 5))
    assert (half.low == pytest.approx(0.2366, abs=1e-4)
            and half.high == pytest.approx(0.7634, abs=1e-4))


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
            "final_balance_index": np.full(20, 0.9), "final_captured_rus": np.zeros(20, bool),
            "final_captured_chn": np.zeros(20, bool), "final_captured_west": np.zeros(20, bool),
            "ever_captured_rus": np.zeros(20, bool), "ever_captured_chn": np.zeros(20, bool),
            "ever_captured_west": np.zeros(20, bool),
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


def _pairs(e, f, g, h):
    """Paired 0/1 samples with e pairs (1, 1), f pairs (1, 0), g pairs (0, 1), h pairs (0, 0)."""
    a = np.array([True] * (e + f) + [False] * (g + h))
    b = np.array([True] * e + [False] * f + [True] * g + [False] * h)
    return a, b


# Newcombe (1998), Statist. Med. 17:2635-2650, Table III, method 10: (e, f, g, h) -> limits.
NEWCOMBE_TABLE_III = [
    ((36, 12, 2, 0), (0.0569, 0.3404)),
    ((20, 12, 2, 16), (0.0562, 0.3292)),
    ((36, 14, 0, 0), (0.1528, 0.4167)),
    ((18, 14, 0, 18), (0.1441, 0.3963)),
    ((2, 97, 1, 0), (0.8721, 0.9854)),
    ((0, 29, 1, 0), (0.6666, 0.9882)),
    ((0, 30, 0, 0), (0.8395, 1.0)),
    ((54, 0, 0, 0), (-0.0664, 0.0664)),
]


@pytest.mark.parametrize("counts,limits", NEWCOMBE_TABLE_III)
def test_newcombe_method_10_reproduces_the_papers_examples(counts, limits):
    a, b = _pairs(*counts)
    est = paired_proportion_difference(a, b)
    e, f, g, h = counts
    assert est.estimate == pytest.approx((f - g) / (e + f + g + h))
    assert est.low == pytest.approx(limits[0], abs=1e-4)
    assert est.high == pytest.approx(limits[1], abs=1e-4)
    # the comparison uses it for shares, and reverses cleanly
    assert paired_difference(a, b) == est
    flipped = paired_difference(b, a)
    assert flipped.low == pytest.approx(-est.high) and flipped.high == pytest.approx(-est.low)


def test_paired_share_differences_stay_within_minus_one_and_one():
    # the review's case: a design captured in 49 of 50 pairs, the reference in 1, a t
    # interval on the 0/1 differences gave an upper limit above 1
    a, b = _pairs(1, 48, 0, 1)
    assert mean_interval(a.astype(float) - b.astype(float)).high > 1  # the old interval
    est = paired_difference(a, b)
    assert -1 <= est.low < est.estimate < est.high <= 1
    rng = np.random.default_rng(7)
    for _ in range(300):
        n = int(rng.integers(1, 60))
        x, y = rng.random(n) < rng.random(), rng.random(n) < rng.random()
        d = paired_difference(x, y)
        assert -1 <= d.low <= d.estimate <= d.high <= 1
    all_agree = paired_difference(np.ones(50, bool), np.ones(50, bool))
    assert all_agree.estimate == 0 and all_agree.high > 0.05   # not a zero-width interval


def test_clustered_interval_is_wider_with_draw_effects():
    rng = np.random.default_rng(11)
    draws, per_draw = 20, 20
    clusters = np.repeat(np.arange(draws), per_draw)
    x = rng.normal(0, 1.0, draws)[clusters] + rng.normal(0, 0.1, draws * per_draw)
    naive = mean_interval(x)
    clustered = interval(x, clusters=clusters)
    assert clustered.estimate == pytest.approx(naive.estimate)
    assert clustered.high - clustered.low > 3 * (naive.high - naive.low)
    # with equal cluster sizes it is the t interval over the per-draw means (draws - 1 df)
    per_draw_means = mean_interval(x.reshape(draws, per_draw).mean(axis=1))
    direct = clustered_mean_interval(x, clusters)
    assert direct.low == pytest.approx(per_draw_means.low)
    assert direct.high == pytest.approx(per_draw_means.high)
    # without draw effects it is never narrower than the independent interval
    y = rng.normal(0, 1.0, draws * per_draw)
    assert interval(y, clusters=clusters).high >= mean_interval(y).high


def test_clustered_share_intervals_stay_in_range():
    clusters = np.repeat(np.arange(4), 10)
    shares = np.repeat([True, False, False, False], 10)       # one draw captures every run
    est = interval(shares, clusters=clusters)
    assert est.estimate == pytest.approx(0.25) and est.low == 0.0
    assert est.high > proportion_interval(shares).high
    diff = paired_difference(shares, np.zeros(40, bool), clusters=clusters)
    assert -1 <= diff.low and diff.high <= 1 and diff.high > 0.5


def test_comparison_table_clusters_by_uncertainty_draw():
    rng = np.random.default_rng(3)
    draws, seeds = 10, 10
    draw = np.repeat(np.arange(draws), seeds)
    effect = rng.normal(0, 0.05, draws)[draw]           # the parameter draw moves both designs
    frames = []
    for design, shift in (("ref", 0.0), ("other", 0.02)):
        west = 0.4 + shift + effect + shift * 3 * effect + rng.normal(0, 0.005, draws * seeds)
        frames.append(pd.DataFrame({
            "design": design, "pair": np.arange(draws * seeds), "uncertainty_sample": draw,
            "mean_pressure_on_russia": np.full(draws * seeds, 0.5 + shift),
            "welfare_loss_pct_gdp": np.ones(draws * seeds), "final_align_west": west,
            "final_balance_index": np.full(draws * seeds, 0.9),
            "final_captured_west": west > 0.45}))
    runs = pd.concat(frames)
    clustered = comparison_table(runs, "ref").set_index(["design", "outcome"])
    naive = comparison_table(runs.drop(columns="uncertainty_sample"), "ref").set_index(
        ["design", "outcome"])
    row = clustered.loc[("other", "final_align_west")]
    plain = naive.loc[("other", "final_align_west")]
    assert row["clusters"] == draws and plain["clusters"] == 0
    assert row["high"] - row["low"] > 3 * (plain["high"] - plain["low"])
    assert row["diff_high"] - row["diff_low"] > plain["diff_high"] - plain["diff_low"]
    share = clustered.loc[("other", "final_captured_west")]
    assert 0 <= share["low"] <= share["high"] <= 1
    assert -1 <= share["diff_low"] <= share["diff_high"] <= 1
    assert "ever_captured_rus" not in set(clustered.index.get_level_values("outcome"))
