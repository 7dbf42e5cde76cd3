"""The explorer's data and figures without a browser (kzsim.explore_views)."""

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest

from kzsim import explore_views as ev
from sim.design import SanctionsDesign
from sim.errors import ConfigError
from sim.policies import policies_for

from .conftest import DESIGNS


def test_open_folder_reads_the_three_kinds(compare_folder, sweep_folder, hindcast_folder):
    assert ev.open_folder(compare_folder).kind == "compare"
    opened = ev.open_folder(sweep_folder)
    assert opened.kind == "sweep" and len(opened.results.points) == 6
    stored = ev.open_folder(hindcast_folder)
    assert stored.kind == "hindcast" and "trade_usd_bn.RUS" in ev.hindcast_panels(stored.stored)


def test_open_folder_refuses_what_it_cannot_show(tmp_path, run_folder, compare_folder):
    with pytest.raises(ConfigError, match="is not a folder"):
        ev.open_folder(tmp_path / "nowhere")
    with pytest.raises(ConfigError, match="has no manifest.json"):
        ev.open_folder(tmp_path)
    with pytest.raises(ConfigError, match="holds kzsim run results.*valid kinds: sweep, "
                                          "compare, hindcast"):
        ev.open_folder(run_folder)
    broken = tmp_path / "broken"
    broken.mkdir()
    manifest = json.loads((compare_folder / "manifest.json").read_text())
    (broken / "manifest.json").write_text(json.dumps(manifest))   # no runs/ beside it
    with pytest.raises(ConfigError):
        ev.open_folder(broken)


def test_designs_are_named_and_tabled_like_the_report(compare_folder):
    res = ev.open_folder(compare_folder).results
    labels = ev.point_labels(res)
    assert sorted(labels.values()) == sorted(DESIGNS)
    ids = sorted(labels)[:2]
    table, marks = ev.design_table(res, ids)
    assert set(table["design"]) == {labels[i] for i in ids}
    assert list(marks.columns) == ["pareto_welfare", "pareto_west", "pareto_balance"]
    captured = ev.capture_table(table)
    assert captured.shape == (2, 3) and captured.map(lambda c: "[" in c).all().all()
    cells = ev.outcome_cells(table)
    # the cells are the comparison table's estimates and 95% intervals, as kzsim report shows
    row = table[(table["design"] == labels[ids[0]])
                & (table["outcome"] == "final_align_west")].iloc[0]
    assert cells.loc[row["label"], labels[ids[0]]] == (
        f"{row['estimate']:.3f} [{row['low']:.3f}, {row['high']:.3f}]")


def test_a_sweep_is_filtered_by_lever_ranges(sweep_folder):
    res = ev.open_folder(sweep_folder).results
    ranges = ev.lever_ranges(res)
    assert ranges["sanctions__intensity"] == (0.2, 0.8)
    assert len(ev.filter_points(res, ranges)) == 6
    kept = ev.filter_points(res, {"sanctions__intensity": (0.4, 0.9),
                                  "sanctions__secondary_enforcement": (0.0, 0.0)})
    pts = res.points.set_index("point_id").loc[kept]
    assert len(kept) == 2 and (pts["sanctions__intensity"] >= 0.5).all()
    sub = ev.subset(res, kept)
    assert set(sub.runs["point_id"]) == set(kept) == set(sub.bands["point_id"])
    assert len(sub.runs) == 2 * 4


def test_every_numeric_design_field_gets_a_slider_in_its_range():
    numeric = [f.name for f in dataclasses.fields(SanctionsDesign)
               if f.name not in ("name", "sources", "start")]
    fields = ev.design_fields()
    assert [f[0] for f in fields] == numeric
    for name, low, high, step, _ in fields:
        assert (low, high) == SanctionsDesign.__dataclass_fields__[name].metadata["range"]
        assert step == (1.0 if name == "duration" else 0.05)
    assert ev.policy_choices() == {k: policies_for(code) for k, code, _ in ev.ACTORS}


def test_live_settings_are_checked_as_on_the_command_line():
    with pytest.raises(ConfigError, match="unknown design field 'intensty'"):
        ev.live_design({"intensty": 0.5})
    with pytest.raises(ConfigError, match="unknown actor 'ukr'"):
        ev.live_mapping({"ukr": "coercive"})
    with pytest.raises(ConfigError, match="unknown policy 'nice' for policy.rus"):
        ev.run_live({"intensity": 0.5}, {"rus": "nice"}, runs=2)
    with pytest.raises(ConfigError, match="valid range is"):
        ev.run_live({"intensity": 1.5}, {}, runs=2)


def test_a_live_batch_is_paired_reproducible_and_follows_the_choices():
    a = ev.run_live({"intensity": 0.9, "duration": 24}, {"rus": "coercive"}, runs=6)
    b = ev.run_live({"intensity": 0.9, "duration": 24}, {"rus": "coercive"}, runs=6)
    assert len(a.runs) == 6 and a.path is None
    assert a.manifest["config"]["policy"]["rus"] == "coercive"
    assert (a.runs["sanctions__intensity"] == 0.9).all()
    pd.testing.assert_frame_equal(a.runs, b.runs)      # same seeds, same results
    softer = ev.run_live({"intensity": 0.1, "duration": 24}, {"rus": "coercive"}, runs=6)
    np.testing.assert_array_equal(softer.runs["seed"], a.runs["seed"])   # paired
    assert softer.runs["mean_pressure_on_russia"].mean() < a.runs["mean_pressure_on_russia"].mean()
