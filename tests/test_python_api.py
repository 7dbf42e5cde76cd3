"""The Python API for multi-design work: kzsim.sweep, kzsim.compare, SimConfig.replace and
load_results(columns=, filter=)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import pyarrow.compute as pc
import pytest

import kzsim
import sim
from sim.errors import ConfigError

SWEEP = ["experiment=sanctions_lhs", "sweep.samples=6", "sweep.replications=3", "turns=12",
         "sweep.workers=1", "seed=5"]
COMPARE = ["compare.replications=4", "turns=12", "compare.workers=1"]
DESIGNS = ["status_quo_2022", "calibrated", {"name": "tough", "intensity": 1.0}]


def cli(*args, cwd):
    res = subprocess.run([sys.executable, "-m", "kzsim.cli", *args, "-q"], capture_output=True,
                         text=True, cwd=cwd)
    assert res.returncode == 0, res.stderr
    return res


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    """Run in an empty folder with an empty temporary directory, to see what is left behind."""
    work, tmp = tmp_path / "work", tmp_path / "tmp"
    work.mkdir()
    tmp.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    return work, tmp


def test_sweep_in_memory_equals_the_command_and_leaves_nothing(scratch, tmp_path):
    work, tmp = scratch
    with ThreadPoolExecutor(2) as pool:
        res = kzsim.sweep(SWEEP, executor=pool)
    assert list(work.iterdir()) == [] and list(tmp.iterdir()) == []
    assert res.path is None and res.complete and res.kind == "sweep"
    assert str(tmp) not in repr(res.manifest)
    cli("sweep", *SWEEP, f"out={tmp_path / 'cli'}", cwd=tmp_path)
    stored = sim.load_results(tmp_path / "cli")
    pd.testing.assert_frame_equal(res.runs, stored.runs)
    pd.testing.assert_frame_equal(res.bands, stored.bands)
    pd.testing.assert_frame_equal(res.points, stored.points)
    assert res.manifest["fingerprint"] == stored.manifest["fingerprint"]
    assert len(res.runs) == 6 * 3


def test_sweep_into_a_folder_is_the_commands_folder(tmp_path):
    res = kzsim.sweep(SWEEP, out=tmp_path / "api", quiet=True)
    assert res.path == tmp_path / "api"
    # the command resumes it as its own (same fingerprint): nothing is run again
    again = cli("sweep", *SWEEP, f"out={tmp_path / 'api'}", cwd=tmp_path)
    assert "ran 0 now" in again.stdout
    pd.testing.assert_frame_equal(sim.load_results(tmp_path / "api").runs, res.runs)
    with pytest.raises(ConfigError, match="different configuration"):
        kzsim.sweep([*SWEEP, "sweep.replications=2"], out=tmp_path / "api")


def test_compare_in_memory_equals_the_command_and_leaves_nothing(scratch, tmp_path):
    work, tmp = scratch
    res = kzsim.compare(DESIGNS, COMPARE)
    assert list(work.iterdir()) == [] and list(tmp.iterdir()) == []
    assert res.path is None and res.kind == "compare" and res.complete
    assert res.manifest["compare"]["reference"] == "status_quo_2022"
    cli("compare", "designs=[status_quo_2022,calibrated,{name:tough,intensity:1.0}]", *COMPARE,
        f"out={tmp_path / 'cli'}", cwd=tmp_path)
    stored = sim.load_results(tmp_path / "cli")
    for name in ("runs", "bands", "why", "points"):
        pd.testing.assert_frame_equal(getattr(res, name), getattr(stored, name))
    assert list(res.runs["design"].unique()) == ["status_quo_2022", "calibrated", "tough"]


def test_compare_reference_and_bad_input(tmp_path):
    res = kzsim.compare(["calibrated", "secondary_crackdown"], COMPARE, reference="calibrated")
    assert res.manifest["compare"]["reference"] == "calibrated"
    with pytest.raises(ConfigError, match="unknown sanctions design 'nope'"):
        kzsim.compare(["status_quo_2022", "nope"], COMPARE)
    with pytest.raises(ConfigError, match="designs must be a list"):
        kzsim.compare("calibrated", COMPARE)
    with pytest.raises(ConfigError, match="compare.replications=0"):
        kzsim.compare(DESIGNS, ["compare.replications=0"])
    with pytest.raises(ConfigError, match="list of key=value strings"):
        kzsim.sweep("experiment=sanctions_lhs")


def test_replace_validates_like_the_command_line(config):
    cfg = config("sanctions=calibrated")
    changed = cfg.replace({"sanctions.intensity": 0.9}, turns=24)
    assert changed.sanctions.intensity == 0.9 and changed.turns == 24
    assert cfg.sanctions.intensity != 0.9 and cfg.turns != 24          # a copy
    composed = config("sanctions=calibrated", "sanctions.intensity=0.9", "turns=24")
    pd.testing.assert_frame_equal(sim.outcomes(changed, [1, 2]), sim.outcomes(composed, [1, 2]))
    assert cfg.replace(sanctions={"licences": 0.1}).sanctions.licences == 0.1
    assert cfg.replace(**{"policy.rus": "tit_for_tat"}).policy.rus == "tit_for_tat"
    for change, message in (
            ({"sanctions.intensity": 7.0},
             "sanctions.intensity=7.0 is out of range; valid range is [0, 1]"),
            ({"sanctions.intensityy": 0.5}, "unknown key 'sanctions.intensityy'; valid keys under "
                                            "sanctions: name, sources, intensity"),
            ({"turns.x": 1}, "cannot change 'turns.x': turns is a single value"),
            ({"policy.rus": "nice"}, "unknown policy 'nice' for policy.rus"),
            ({"sanctions": {"compensation": -1}}, "sanctions.compensation=-1.0 is out of range")):
        with pytest.raises(ConfigError) as info:
            cfg.replace(change)
        assert str(info.value).startswith(message), str(info.value)


def test_load_results_reads_a_slice_equal_to_the_same_slice_of_everything(tmp_path):
    out = tmp_path / "s"
    cli("sweep", "experiment=sanctions_lhs", "sweep.samples=30", "sweep.replications=4",
        "turns=12", "sweep.workers=1", "sweep.chunk_size=20", f"out={out}", cwd=tmp_path)
    full = sim.load_results(out)
    columns = ["final_align_west", "point_id", "welfare_loss_pct_gdp"]
    cut = full.runs["final_align_west"].median()
    part = sim.load_results(out, columns=columns, filter=pc.field("final_align_west") < cut)
    expected = full.runs.loc[full.runs["final_align_west"] < cut, columns].reset_index(drop=True)
    pd.testing.assert_frame_equal(part.runs, expected)
    assert part.complete and part.selection["columns"] == columns
    # bands only for the selected points
    assert set(part.bands["point_id"]) == set(expected["point_id"])
    pd.testing.assert_frame_equal(
        part.bands, full.bands[full.bands["point_id"].isin(expected["point_id"])]
        .reset_index(drop=True))
    # pandas-style filters and columns alone
    rows = sim.load_results(out, filter=[("point_id", "<", 5), ("replication", "==", 0)])
    pd.testing.assert_frame_equal(
        rows.runs, full.runs[(full.runs.point_id < 5) & (full.runs.replication == 0)]
        .reset_index(drop=True))
    only = sim.load_results(out, columns=["seed"])
    pd.testing.assert_series_equal(only.runs["seed"], full.runs["seed"])
    with pytest.raises(ConfigError, match="unknown column 'nope'"):
        sim.load_results(out, columns=["nope"])
    with pytest.raises(ConfigError, match="filter"):
        sim.load_results(out, filter="final_align_west < 0.3")
    # checksums are verified before a slice is read
    part_file = sorted((out / "runs").glob("part-*.parquet"))[-1]
    data = bytearray(part_file.read_bytes())
    data[len(data) // 2] ^= 0xFF
    part_file.write_bytes(bytes(data))
    with pytest.raises(ConfigError, match="corrupted"):
        sim.load_results(out, columns=["point_id"], filter=pc.field("point_id") < 1)
