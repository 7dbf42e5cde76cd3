"""The 2014-2021 spin-up (issue 12): finite yearly values, the oil-price fall, anchoring,
per-run parameters, and the import_demand event kind it added."""

import dataclasses

import numpy as np
import pytest

import kzsim
import sim
from sim.errors import ConfigError
from sim.hindcast import AGREEMENT_QUANTITIES
from sim.history import Event, History, Schedule
from sim.prewar import AGREEMENT
from sim.spinup import OVERRIDES, YEARS, compare, spinup
from sim.sweep.chunk import with_levers

SEEDS = [11, 12, 13, 14]


@pytest.fixture(scope="module")
def cfg():
    return kzsim.load_config(list(OVERRIDES))


@pytest.fixture(scope="module")
def per_run(cfg):
    return spinup(cfg, SEEDS)


def test_every_year_2013_2021_is_finite_for_every_run(per_run):
    assert set(per_run.index) == {(r, y) for r in range(len(SEEDS)) for y in (2013, *YEARS)}
    assert np.isfinite(per_run.to_numpy(float)).all()
    assert (per_run["trade_usd_bn.TOTAL"] > 0).all()
    np.testing.assert_allclose(per_run["trade_usd_bn.TOTAL"],
                               per_run["exports_usd_bn.TOTAL"] + per_run["imports_usd_bn.TOTAL"])


def test_2013_is_the_baseline(cfg, per_run):
    y2013 = per_run.xs(2013, level="year")
    b = cfg.baseline
    total = b.exports_usd_bn.array().sum() + b.imports_usd_bn.array().sum()
    np.testing.assert_allclose(y2013["trade_usd_bn.TOTAL"], total)
    assert y2013["trade_usd_bn.CHN"].iloc[0] == pytest.approx(22.527)   # 14.334 + 8.193


def test_agreement_is_anchored_on_2013_and_moves_after(per_run):
    for k, q in enumerate(AGREEMENT_QUANTITIES):
        np.testing.assert_allclose(per_run.xs(2013, level="year")[q], AGREEMENT[2013][k],
                                   atol=1e-12)
        later = per_run.xs(2021, level="year")[q]
        assert ((later >= 0) & (later <= 1)).all()
    assert not np.allclose(per_run.xs(2021, level="year")["unga_agreement.RUS"],
                           AGREEMENT[2013][0])


def test_the_oil_price_fall_lowers_2015_turnover_below_2014(cfg, per_run):
    total = per_run["trade_usd_bn.TOTAL"].unstack("year")
    assert (total[2015] < total[2014]).all()
    # the direction comes from the price events: without them 2015 is higher, seed by seed
    events = tuple(e for e in cfg.history.events if e.kind not in ("oil_price", "export_price"))
    flat = spinup(dataclasses.replace(cfg, history=History("no_prices", events)), SEEDS)
    flat_total = flat["trade_usd_bn.TOTAL"].unstack("year")
    assert (flat_total[2015] > total[2015]).all()
    assert (flat.xs(2015, level="year")["oil_price"]
            > per_run.xs(2015, level="year")["oil_price"]).all()


def test_per_run_parameters_batch_and_match_single_runs(cfg):
    windfall = np.array([0.3, 0.9])
    _, params = with_levers(cfg, {"params.income.import_windfall": windfall})
    batch = spinup(cfg, [5, 5], last_year=2016, params=params)
    imports = batch["imports_usd_bn.TOTAL"].unstack("year")
    # with USD GDP at its dated 2015 level (gdp_level events), oil revenue stays above its
    # GDP-scaled baseline, so a larger windfall share means more imports
    assert imports.loc[1, 2015] > imports.loc[0, 2015]
    alone = spinup(cfg, [5], last_year=2016,
                   params=with_levers(cfg, {"params.income.import_windfall": windfall[1:]})[1])
    np.testing.assert_array_equal(batch.xs(1, level="run").to_numpy(),
                                  alone.xs(0, level="run").to_numpy())


def test_compare_pairs_observed_with_simulated(per_run):
    from sim.prewar import observed_prewar

    table = compare(per_run, observed_prewar())
    row = table[(table.quantity == "trade_usd_bn.TOTAL") & (table.year == 2014)].iloc[0]
    assert row.observed == 120.8 and row.p05 <= row.simulated <= row.p95
    assert len(table) == len(observed_prewar())


def test_spinup_refuses_other_starts_and_years(cfg):
    with pytest.raises(ConfigError, match="January"):
        spinup(kzsim.load_config([*OVERRIDES, "start=2014-03"]), [1])
    with pytest.raises(ConfigError, match="last_year"):
        spinup(cfg, [1], last_year=2023)


def test_import_demand_events_multiply_and_lower_imports(cfg):
    history = History("t", (Event("2014-02", "import_demand", -0.1, months=2, source="assumption"),
                            Event("2014-03", "import_demand", -0.5, source="assumption")))
    schedule = Schedule(history, "2014-01")
    assert schedule.apply(1, {}, None).import_demand == 1.0
    assert schedule.apply(2, {}, None).import_demand == pytest.approx(0.9)
    assert schedule.apply(3, {}, None).import_demand == pytest.approx(0.45)
    base = dataclasses.replace(cfg, history=History("none", ()))
    cut = dataclasses.replace(cfg, history=History("cut", (
        Event("2014-01", "import_demand", -0.2, months=24, source="assumption"),)))
    a = spinup(base, SEEDS[:2], last_year=2015)["imports_usd_bn.TOTAL"]
    b = spinup(cut, SEEDS[:2], last_year=2015)["imports_usd_bn.TOTAL"]
    assert (b.xs(2014, level="year") < a.xs(2014, level="year")).all()


def test_gdp_level_events_replace_the_trend_and_scale_trade(cfg):
    """A dated USD GDP level (the 2014-2021 events) replaces M21's trend while it lasts."""
    history = History("t", (Event("2014-02", "gdp_level", -0.4, months=2, source="assumption"),))
    schedule = Schedule(history, "2014-01")
    assert schedule.apply(1, {}, None).gdp_level is None
    assert schedule.apply(2, {}, None).gdp_level == pytest.approx(0.6)
    base = dataclasses.replace(cfg, history=History("none", ()))
    low = dataclasses.replace(cfg, history=History("low", (
        Event("2014-01", "gdp_level", -0.4, months=24, source="assumption"),)))
    a = sim.run(base, SEEDS[:2], turns=24)
    b = sim.run(low, SEEDS[:2], turns=24)
    gdp0 = cfg.baseline.gdp_usd_bn.value
    np.testing.assert_allclose(b[b.turn > 0].gdp_usd_bn, 0.6 * gdp0, rtol=1e-12)
    assert (a[a.turn > 0].gdp_usd_bn > gdp0).all()   # the trend
    imports = [f"imports_{p}_usd_bn" for p in ("rus", "chn", "usa", "eu", "row")]
    last_a, last_b = a[a.turn == 24][imports].sum(axis=1), b[b.turn == 24][imports].sum(axis=1)
    # spending scales with GDP (less the oil windfall, which a lower GDP scale enlarges)
    assert (last_b.to_numpy() < last_a.to_numpy()).all()
