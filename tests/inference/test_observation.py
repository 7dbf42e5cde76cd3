"""The UN-vote observation model: anchoring, the data-derived sigma, draws and summaries."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import numpy as np
import pytest

from sim.errors import ConfigError
from sim.observation import (
    OBSERVED,
    PARTNERS,
    SIGMA_YEARS,
    VoteObservationParams,
    agreement_distance,
    agreement_summaries,
    expected_agreement,
    intercepts,
    read_agreement,
    sigma_from_series,
    simulate_agreement,
    yearly_alignment,
)
from sim.state import refs_from

DATA = Path(__file__).resolve().parents[2] / "data" / "unga_agreement.csv"


@pytest.fixture(scope="module")
def align0(config):
    return refs_from(config().baseline).align0


def test_observed_constants_are_the_csv_rows():
    rows = {(int(r["year"]), r["partner"]): float(r["agreement"])
            for r in csv.DictReader(DATA.open()) if r["method"] == "agree_share"}
    for year, values in OBSERVED.items():
        assert values == tuple(rows[(year, p)] for p in PARTNERS)
    assert max(OBSERVED) == 2022  # later years are predictions


def test_sigma_is_the_2005_2021_year_to_year_variability_of_the_csv():
    years, values = read_agreement(DATA)
    lo, hi = SIGMA_YEARS
    span = (years >= lo) & (years <= hi)
    assert list(years[span]) == list(range(lo, hi + 1))  # consecutive years
    derived = sigma_from_series(values[span])
    declared = VoteObservationParams().sigma
    np.testing.assert_allclose(declared, derived, atol=5e-5)
    # von Neumann: mean squared successive difference / 2
    d = np.diff(values[span][:, 0])
    assert derived[0] == pytest.approx(np.sqrt((d ** 2).sum() / (2 * len(d))))
    # sigma is data-derived (a fixed prior citing the CSV); the slope is an assumption
    meta = {f.name: f.metadata for f in dataclasses.fields(VoteObservationParams)}
    for k in ("sigma_rus", "sigma_chn", "sigma_usa", "sigma_eu"):
        assert meta[k]["source"].startswith("derived: data/unga_agreement.csv")
        assert meta[k]["prior"][0] == meta[k]["prior"][1]
    assert meta["slope"]["source"].startswith("assumption")
    assert meta["slope"]["prior"] == (0.5, 6.0)


def test_anchoring_reproduces_2021_exactly_at_align0(align0):
    observed = np.array(OBSERVED[2021])
    for slope in (0.5, 2.0, 6.0):
        p = VoteObservationParams(slope=slope)
        got = expected_agreement(align0[None, :], p, align0)[0]
        np.testing.assert_allclose(got, observed, rtol=0, atol=1e-12)
        np.testing.assert_allclose(intercepts(p, align0) + slope * align0, observed, atol=1e-12)
    # per-run slopes against (runs, years, 4)
    p = VoteObservationParams(slope=np.array([1.0, 3.0, 5.0]))
    a = np.tile(align0, (3, 2, 1))
    a[:, 1] += np.array([0.05, 0.0, -0.05, 0.0])  # 2022: more Russia, less USA
    got = expected_agreement(a, p, align0)
    np.testing.assert_allclose(got[:, 0], np.tile(observed, (3, 1)), atol=1e-12)
    np.testing.assert_allclose(got[:, 1, 0] - observed[0], [0.05, 0.15, 0.25], atol=1e-12)


def test_simulated_agreement_has_the_stated_error(align0):
    p = VoteObservationParams(slope=2.0)
    a = np.tile(align0, (20000, 1, 1))
    draws = simulate_agreement(a, p, np.random.default_rng(5), align0)[:, 0]
    np.testing.assert_allclose(draws.mean(axis=0), OBSERVED[2021], atol=3e-3)
    np.testing.assert_allclose(draws.std(axis=0), p.sigma, rtol=0.03)
    again = simulate_agreement(a[:10], p, np.random.default_rng(5), align0)
    np.testing.assert_array_equal(again[:, 0], draws[:10])


def test_yearly_alignment_is_the_mean_of_the_months(config, align0):
    from sim.api import run

    cfg = config("history=events_2022_2025")
    traj = run(cfg, [1, 2], turns=13)  # through January 2023
    a = yearly_alignment(traj, (2021, 2022))
    assert a.shape == (2, 2, 4)
    np.testing.assert_allclose(a[:, 0], np.tile(align0, (2, 1)), atol=1e-12)
    months = traj[(traj["run"] == 1) & traj["date"].str.startswith("2022")]
    np.testing.assert_allclose(a[1, 1], months[[f"align_{p.lower()}" for p in PARTNERS]].mean())
    with pytest.raises(ConfigError):
        yearly_alignment(traj, (2021, 2024))


def test_summaries_and_distance():
    p = VoteObservationParams()
    sim = np.tile(np.array([OBSERVED[2021], OBSERVED[2022]]), (3, 1, 1))
    sim[1, 1, 0] += p.sigma_rus  # one sigma off on Russia 2022
    stats, observed, scale, labels = agreement_summaries(sim, p)
    assert stats.shape == (3, 4) and labels[0] == "unga_agreement.RUS.2022"
    np.testing.assert_array_equal(observed, OBSERVED[2022])
    np.testing.assert_allclose(scale, p.sigma)
    d = agreement_distance(stats, observed, scale)
    np.testing.assert_allclose(d, [0.0, 0.5, 0.0], atol=1e-12)


def test_read_agreement_refuses_a_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        read_agreement(tmp_path / "none.csv")
    with pytest.raises(ConfigError, match="lacks method"):
        read_agreement(DATA, method="no_such_method")


def test_agreement_is_censored_at_zero_and_one():
    from sim.observation import VoteObservationParams, expected_agreement, simulate_agreement
    p = VoteObservationParams()
    align0 = np.array([0.2646, 0.2770, 0.1348, 0.3236])
    far = np.array([[[0.9, 0.05, 0.0, 0.05]]])          # far beyond 2021: the line leaves [0, 1]
    assert expected_agreement(far, p, align0).max() == 1.0
    draws = simulate_agreement(np.repeat(far, 500, axis=0), p, np.random.default_rng(0), align0)
    assert draws.min() >= 0.0 and draws.max() <= 1.0
