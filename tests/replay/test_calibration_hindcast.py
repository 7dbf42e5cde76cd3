"""The 2022 replay at the fitted parameters, the hindcast file, the event timeline."""

import subprocess
import sys

import pandas as pd
import pytest
import yaml

import kzsim
import sim
from kzsim.replay_commands import load_targets
from sim.errors import ConfigError
from sim.hindcast import hindcast_table, replay, simulated_targets
from sim.streams import run_seeds
from sim.targets import within_tolerance

QUANTITIES = ([f"{k}.{p}"
               for k in ("trade_usd_bn", "exports_usd_bn", "imports_usd_bn", "import_share")
               for p in ("RUS", "CHN", "EU", "USA")]
              + ["oil_share_via_russia", "middle_corridor_mt", "reexports_to_russia_usd_bn",
                 "alignment.RUS", "alignment.CHN", "alignment.USA", "alignment.EU",
                 "balance_index"]
              # model v2: the economy's quantities by year
              + ["reexports_to_russia_usd_bn.WEST_ORIGIN", "reexports_to_russia_usd_bn.CHN_ORIGIN",
                 "trade_usd_bn.ROW", "gdp_usd_bn", "oil_price", "pressure_on_russia_usd_bn",
                 "welfare_loss_usd_bn"]
              + [f"oil_route_mt.{r}" for r in ("CPC", "ATYRAU_SAMARA", "CASPIAN", "RAIL")]
              # issue 12: UN vote agreement through the observation model
              + [f"unga_agreement.{p}" for p in ("RUS", "CHN", "USA", "EU")])


@pytest.fixture(scope="module")
def replay_cfg():
    return kzsim.load_config(["history=events_2022_2025"])


def test_calibration_targets_within_stated_tolerances_at_fitted_parameters():
    # at the fitted point values, as kzsim calibrate fits them (not the posterior ensemble)
    point = kzsim.load_config(["history=events_2022_2025", "ensemble=point"])
    targets = load_targets("kz2022")["targets"]
    per_run = replay(point, run_seeds(7, 30), last_year=2022)
    simulated = simulated_targets(per_run, targets)
    for t, s in zip(targets, simulated, strict=True):
        rel = s / t["observed"] - 1
        ok = within_tolerance(rel, t["tolerance"], t.get("bound", "point"))
        assert ok, f"{t['quantity']}: simulated {s:.3f} vs {t['observed']}"
    assert any(t.get("bound") == "lower" for t in targets)    # the re-exports' bound (B04)


def test_hindcast_schema_and_coverage(replay_cfg):
    table = hindcast_table(replay_cfg, run_seeds(1, 10))
    assert list(table.columns) == ["quantity", "year", "value", "p05", "p95"]
    assert set(table.quantity) == set(QUANTITIES)
    assert len(table) == len(QUANTITIES) * 5 and set(table.year) == set(range(2021, 2026))
    assert not table[["value", "p05", "p95"]].isna().any().any()
    assert (table.p05 <= table.value + 1e-12).all() and (table.value <= table.p95 + 1e-12).all()
    r2021 = table[table.year == 2021].set_index("quantity")["value"]
    assert r2021["trade_usd_bn.RUS"] == pytest.approx(24.5)     # the baseline, row A01
    assert r2021["gdp_usd_bn"] == pytest.approx(197.0)
    assert r2021["pressure_on_russia_usd_bn"] == 0.0 and r2021["welfare_loss_usd_bn"] == 0.0
    r2022 = table[table.year == 2022].set_index("quantity")["value"]
    assert r2022["pressure_on_russia_usd_bn"] > 0 and r2022["welfare_loss_usd_bn"] > 0
    shares = table[(table.year == 2024) & table.quantity.str.startswith("alignment.")]["value"]
    assert shares.sum() == pytest.approx(1.0, abs=0.02)


def test_events_change_the_replay_and_are_sourced(replay_cfg):
    plain = kzsim.load_config([])
    a = sim.run(replay_cfg, [3], turns=12)
    b = sim.run(plain, [3], turns=12)
    assert a["cpc_disruption_days"].sum() > b["cpc_disruption_days"].sum() + 30   # C11-C13 outages
    assert a.loc[1, "stability"] < b.loc[1, "stability"]                           # E01 unrest
    for e in replay_cfg.history.events:
        assert e.source


def test_bad_events_are_refused():
    from sim.history import Event
    with pytest.raises(ConfigError, match="valid kinds"):
        Event("2022-01", "meteor", 1.0, source="E01").validate("events[0]")
    with pytest.raises(ConfigError, match="must cite row ids"):
        Event("2022-01", "unrest", 0.1, source="somewhere").validate("events[0]")


def test_hindcast_and_calibrate_commands(tmp_path):
    res = subprocess.run([sys.executable, "-m", "kzsim.cli", "hindcast", "runs=5",
                          f"out={tmp_path / 'h'}"], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    table = pd.read_csv(tmp_path / "h" / "hindcast.csv")
    assert list(table.columns) == ["quantity", "year", "value", "p05", "p95"]
    assert (tmp_path / "h" / "hindcast.png").stat().st_size > 50_000
    coverage = pd.read_csv(tmp_path / "h" / "coverage.csv")
    assert set(coverage.year) == {2022} and len(coverage) == 18     # the 2022 observations
    assert coverage.set_index("quantity").loc["reexports_to_russia_usd_bn", "bound"] == "lower"
    assert f"{int(coverage.inside.sum())} of 18 observations inside" in res.stdout
    cal = subprocess.run([sys.executable, "-m", "kzsim.cli", "calibrate",
                          "calibration.candidates=40", "calibration.refine=20",
                          "calibration.replications=2", f"out={tmp_path / 'c'}"],
                         capture_output=True, text=True)
    assert cal.returncode == 0, cal.stderr
    fit = pd.read_csv(tmp_path / "c" / "fit.csv")
    assert ({"quantity", "observed", "simulated", "relative_error", "within_tolerance"}
            <= set(fit.columns))
    fitted = yaml.safe_load((tmp_path / "c" / "fitted.yaml").read_text())
    assert "M3" in fitted["params"] and "fitted" in (tmp_path / "c" / "fitted.yaml").read_text()
    bad = subprocess.run([sys.executable, "-m", "kzsim.cli", "calibrate",
                          "calibration.targets=nope", f"out={tmp_path / 'x'}"],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "valid choices: kz2022" in bad.stderr
