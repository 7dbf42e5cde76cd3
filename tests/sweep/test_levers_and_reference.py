"""Nothing is silently ignored: levers the design would not use are refused; lever columns are
stored unquotable-free (``sanctions__intensity``); discover targets name them either way; a
comparison without the reference design is paired against its first design."""

from __future__ import annotations

import json

import pandas as pd
import pyarrow.dataset as ds
import pytest

from kzsim.compare_command import compare_command
from kzsim.configuration import compose_mapping
from kzsim.discover_command import discover_command
from kzsim.sweep_command import prepare
from sim.comparison import choose_reference
from sim.errors import ConfigError
from sim.results import load_results
from sim.sweep.settings import column_name, dotted_name, is_lever, lever_field, lever_path

from .helpers import sweep


@pytest.mark.parametrize("overrides, fragment", [
    (["experiment=sanctions_grid", "+sweep.ranges.params.M4.tolerance=[0.3,0.7]"],
     "sweep.ranges.params.M4.tolerance=[0.3,0.7] would be ignored: a grid sweep "
     "(sweep.design=grid) varies the levels in sweep.grid, and sweep.ranges is for lhs and "
     "sobol; give levels instead, e.g. +sweep.grid.params.M4.tolerance=[0.3,0.5,0.7]"),
    (["experiment=sanctions_lhs", "+sweep.grid.params.M4.tolerance=[0.3,0.5]"],
     "sweep.grid.params.M4.tolerance=[0.3,0.5] would be ignored: sweep.design=lhs samples the "
     "[low, high] ranges in sweep.ranges"),
    (["experiment=sanctions_grid", "sweep.design=sobol"],
     "sweep.grid.sanctions.intensity=[0,0.2,0.4,0.6,0.8,1] (and 2 more) would be ignored"),
])
def test_levers_the_design_ignores_are_refused(overrides, fragment):
    with pytest.raises(ConfigError) as info:
        prepare(compose_mapping(overrides))
    assert fragment in str(info.value)


def test_the_suggested_fixes_work():
    _, grid, _ = prepare(compose_mapping(
        ["experiment=sanctions_grid", "+sweep.grid.params.M4.tolerance=[0.3,0.5,0.7]"]))
    assert grid.n_points() == 216 * 3 and "params.M4.tolerance" in grid.space()
    _, lhs, _ = prepare(compose_mapping(["experiment=sanctions_grid", "sweep.design=lhs",
                                         "sweep.grid=null",
                                         "+sweep.ranges.sanctions.intensity=[0,1]"]))
    assert list(lhs.space()) == ["sanctions.intensity"]


def test_lever_names():
    assert column_name("params.M4.tolerance") == "params__M4__tolerance"
    assert column_name("sanctions__intensity") == "sanctions__intensity"
    for name in ("params.M4.tolerance", "params__M4__tolerance"):
        assert lever_path(name) == ["params", "M4", "tolerance"]
        assert dotted_name(name) == "params.M4.tolerance" and lever_field(name) == "tolerance"
        assert is_lever(name)
    assert not any(is_lever(c) for c in ("design", "uncertainty_sample", "final_align_west",
                                          "point_id"))


@pytest.fixture(scope="module")
def lever_sweep(tmp_path_factory):
    out = tmp_path_factory.mktemp("levers") / "s"
    sweep(out, "+sweep.ranges.params.M4.tolerance=[0.3,0.7]", workers=1)
    return out


def test_stored_lever_columns_need_no_quoting(lever_sweep):
    res = load_results(lever_sweep)
    levers = res.manifest["levers"]
    assert "sanctions__intensity" in levers and "params__M4__tolerance" in levers
    assert not [c for c in res.runs.columns if "." in c]
    assert not [c for c in res.points.columns if "." in c]
    assert set(levers) <= set(res.runs.columns) and set(levers) <= set(res.points.columns)
    raw = pd.read_parquet(lever_sweep / "runs")                  # plain Parquet, as stored
    high = int((raw.sanctions__intensity > 0.5).sum())
    assert len(raw.query("sanctions__intensity > 0.5")) == high
    table = ds.dataset(lever_sweep / "runs").to_table(
        filter=ds.field("params__M4__tolerance") < 0.5, columns=["params__M4__tolerance"])
    assert 0 < table.num_rows < len(raw)
    # the stored value is the one the run used: M4's tolerance moves the outcome
    low = raw[raw.params__M4__tolerance < 0.4]["final_align_west"].mean()
    high = raw[raw.params__M4__tolerance > 0.6]["final_align_west"].mean()
    assert low != high


@pytest.mark.parametrize("target", ["sanctions.intensity > 0.5", "sanctions__intensity > 0.5"])
def test_discover_targets_name_levers_either_way(lever_sweep, tmp_path, target, capsys):
    out = tmp_path / "d"
    assert discover_command([str(lever_sweep), f"target={target}", f"out={out}"]) == 0
    printed = capsys.readouterr().out
    runs = load_results(lever_sweep).runs
    share = (runs["sanctions__intensity"] > 0.5).mean()
    assert f"holds in {share:.1%} of {len(runs):,} runs" in printed
    assert "box 1: coverage 100.0%, density 100.0%" in printed and "intensity in [" in printed
    boxes = pd.read_csv(out / "discovery.csv")
    assert boxes.loc[boxes["box"] == 1, "lever"].tolist() == ["sanctions__intensity"]
    assert (out / "discovery_tree.txt").read_text().startswith(f"# target: {target}\n")


def test_choose_reference():
    names = ["calibrated", "secondary_crackdown"]
    assert choose_reference(names, "status_quo_2022", explicit=False) == "calibrated"
    assert choose_reference(names, "secondary_crackdown", explicit=True) == "secondary_crackdown"
    with pytest.raises(ConfigError, match="name one of them, e.g. compare.reference=calibrated"):
        choose_reference(names, "status_quo_2022", explicit=True)


def test_compare_without_the_reference_design(tmp_path, capsys):
    out = tmp_path / "c"
    assert compare_command(["designs=[calibrated,secondary_crackdown]", "compare.replications=3",
                            "compare.workers=1", "turns=6", f"out={out}", "quiet=true"]) == 0
    printed = capsys.readouterr().out
    assert ("reference design: calibrated (the first design: compare.reference "
            "'status_quo_2022' is not among the designs)") in printed
    assert "paired difference vs calibrated" in printed
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["compare"]["reference"] == "calibrated"
    table = pd.read_csv(out / "comparison.csv")
    ref = table[table["design"] == "calibrated"]
    assert (ref["diff"].fillna(0) == 0).all()                   # the reference against itself
    res = load_results(out)
    assert "sanctions__intensity" in res.runs.columns
    assert set(res.points["design"]) == {"calibrated", "secondary_crackdown"}
    with pytest.raises(ConfigError, match="compare.reference 'status_quo_2022' is not among"):
        compare_command(["designs=[calibrated,secondary_crackdown]", "reference=status_quo_2022",
                         "compare.replications=3", "turns=6", f"out={tmp_path / 'x'}"])
    assert not (tmp_path / "x").exists()


def test_uncertainty_draws_are_stored_as_lever_columns(tmp_path):
    out = tmp_path / "u"
    compare_command(["designs=[status_quo_2022,calibrated]", "compare.replications=2",
                     "compare.uncertainty_samples=2", "compare.workers=1", "turns=4",
                     f"out={out}", "quiet=true"])
    res = load_results(out)
    assert "params__M1__resentment" in res.manifest["replication_levers"]
    assert "uncertainty_sample" in res.manifest["replication_levers"]
    assert not [c for c in res.runs.columns if "." in c]
    assert res.runs.groupby("uncertainty_sample")["params__M1__resentment"].nunique().eq(1).all()
