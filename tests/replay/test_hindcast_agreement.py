"""Issue 12: the hindcast's ``unga_agreement.*`` (expected agreement, predictive bands)."""

import numpy as np
import pandas as pd
import pytest

import kzsim
from kzsim.figures import hindcast as figure
from sim.hindcast import AGREEMENT_QUANTITIES, hindcast_table, observed_agreement_rows
from sim.observation import OBSERVED, PARTNERS
from sim.streams import run_seeds


@pytest.fixture(scope="module")
def table():
    cfg = kzsim.load_config(["history=events_2022_2025"])
    return hindcast_table(cfg, run_seeds(5, 8))


def _block(table):
    return table[table.quantity.isin(AGREEMENT_QUANTITIES)].set_index(["quantity", "year"])


def test_every_year_2021_2025_has_the_four_agreements(table):
    block = _block(table)
    assert set(block.index) == {(q, y) for q in AGREEMENT_QUANTITIES for y in range(2021, 2026)}
    assert not block.isna().any().any()


def test_2021_expected_agreement_is_the_observed_2021(table):
    block = _block(table)
    for k, p in enumerate(PARTNERS):
        assert block.loc[(f"unga_agreement.{p}", 2021), "value"] == pytest.approx(OBSERVED[2021][k])


def test_bands_contain_the_expected_value_and_hold_the_observation_error(table):
    block = _block(table)
    assert (block.p05 < block.value).all() and (block.value < block.p95).all()
    # 2021 has no spread over runs (alignment is align0), so its band is the vote error alone:
    # about +-1.645 sigma_k around the observed value
    r2021 = block.xs(2021, level="year")
    sigma = np.array([0.0300, 0.0291, 0.0695, 0.0483])
    width = (r2021.p95 - r2021.p05).to_numpy()
    assert width == pytest.approx(2 * 1.645 * sigma, rel=0.15)


def test_same_seeds_same_values_other_seeds_other_bands(table):
    cfg = kzsim.load_config(["history=events_2022_2025"])
    again = hindcast_table(cfg, run_seeds(5, 8))
    pd.testing.assert_frame_equal(table, again)
    other = _block(hindcast_table(cfg, run_seeds(6, 8)))
    assert not np.allclose(other.loc[("unga_agreement.RUS", 2021), "p05"],
                           _block(table).loc[("unga_agreement.RUS", 2021), "p05"])


def test_observed_agreement_only_2021_and_2022():
    rows = observed_agreement_rows()
    assert set(rows.year) == {2021, 2022} and len(rows) == 8
    obs = rows.set_index(["quantity", "year"])["observed"]
    assert obs[("unga_agreement.RUS", 2022)] == pytest.approx(0.582, abs=5e-4)
    assert obs[("unga_agreement.USA", 2022)] == pytest.approx(0.228, abs=5e-4)
    assert set(observed_agreement_rows(2021).year) == {2021}


def test_figure_has_the_agreement_panels_with_observed_points(table):
    fig = figure.hindcast_figure(table, observed_agreement_rows())
    axes = {ax.get_title(): ax for ax in fig.axes if ax.get_visible()}
    ax = axes["UN vote agreement with Russia (share)"]
    points = ax.collections[-1].get_offsets()
    assert sorted(np.asarray(points)[:, 0].tolist()) == [2021, 2022]
    assert "UN vote agreement with the EU (share)" in axes


def test_agreement_and_its_bands_stay_shares(table):
    block = _block(table)
    values = block[["value", "p05", "p95"]].to_numpy()
    assert ((values >= 0) & (values <= 1)).all()
