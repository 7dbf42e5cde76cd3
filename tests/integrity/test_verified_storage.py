"""Guarantee 4: every stored file is checked against the manifest before it is read.

A flipped byte, a truncated, missing, extra, duplicated or foreign part, a missing or damaged
manifest: ``load_results``, ``report`` and ``discover`` refuse with one line naming the file
and the repair; a resume redoes missing or corrupted chunks and ends equal to the original.
"""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

import sim
from kzsim.cli import main
from sim.errors import ConfigError
from tests.sweep.helpers import sweep


def _flip_byte(path, at=0.3):
    data = bytearray(path.read_bytes())
    i = int(len(data) * at)
    data[i] ^= 0xFF
    path.write_bytes(bytes(data))


def _refused_everywhere(folder, capsys, pattern):
    with pytest.raises(ConfigError, match=pattern):
        sim.load_results(folder)
    for args in (["report", str(folder)], ["discover", str(folder), "target=west_below_third"]):
        assert main(args) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("kzsim: error:"), err
        assert "Traceback" not in err[0]


FAULTS = {
    "flipped byte": lambda d: _flip_byte(d / "runs" / "part-00002.parquet"),
    "truncated part": lambda d: (d / "runs" / "part-00002.parquet").write_bytes(
        (d / "runs" / "part-00002.parquet").read_bytes()[:500]),
    "missing part": lambda d: (d / "runs" / "part-00002.parquet").unlink(),
    "missing bands part": lambda d: (d / "bands" / "part-00002.parquet").unlink(),
    "bands folder deleted": lambda d: shutil.rmtree(d / "bands"),
    "zero-length part": lambda d: (d / "runs" / "part-00002.parquet").write_bytes(b""),
    "part replaced by a folder": lambda d: ((d / "runs" / "part-00002.parquet").unlink(),
                                            (d / "runs" / "part-00002.parquet").mkdir()),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_damaged_part_is_refused_and_resume_repairs_it(fault, finished, damaged_copy, capsys):
    FAULTS[fault](damaged_copy)
    _refused_everywhere(damaged_copy, capsys, r"part-00002\.parquet|bands/part")
    if fault == "part replaced by a folder":
        with pytest.raises(ConfigError, match="is a folder, not a file; delete it"):
            sweep(damaged_copy, workers=1)
        return
    summary = sweep(damaged_copy, workers=1)
    assert summary["complete"] and 0 < summary["runs_run_now"] <= summary["runs"]
    a, b = sim.load_results(damaged_copy), sim.load_results(finished)
    pd.testing.assert_frame_equal(a.runs, b.runs, check_exact=True)
    pd.testing.assert_frame_equal(a.bands, b.bands, check_exact=True)


def test_extra_copy_of_a_part_is_refused(damaged_copy, capsys):
    shutil.copy(damaged_copy / "runs" / "part-00001.parquet",
                damaged_copy / "runs" / "part-00099.parquet")
    _refused_everywhere(damaged_copy, capsys, r"part-00099\.parquet is not listed in the manifest")
    with pytest.raises(ConfigError, match="part-00099.parquet is not listed.*delete it"):
        sweep(damaged_copy, workers=1)


def test_part_from_another_sweep_is_refused(damaged_copy, tmp_path, capsys):
    other = tmp_path / "seed1"
    sweep(other, "seed=1", workers=1)
    for dataset in ("runs", "bands"):
        shutil.copy(other / dataset / "part-00003.parquet",
                    damaged_copy / dataset / "part-00003.parquet")
    _refused_everywhere(damaged_copy, capsys, r"part-00003\.parquet is corrupted")


def test_foreign_parquet_in_bands_is_refused(damaged_copy, capsys):
    pd.DataFrame({"x": [1, 2]}).to_parquet(damaged_copy / "bands" / "part-00007.parquet")
    _refused_everywhere(damaged_copy, capsys, r"bands/part-00007\.parquet is not listed")


def test_points_file_damaged_is_refused_and_repaired(finished, damaged_copy, capsys):
    (damaged_copy / "points.parquet").write_bytes(b"PAR1 garbage")
    _refused_everywhere(damaged_copy, capsys, r"points\.parquet is corrupted")
    sweep(damaged_copy, workers=1)
    pd.testing.assert_frame_equal(sim.load_results(damaged_copy).points,
                                  sim.load_results(finished).points)


@pytest.mark.parametrize("text", ["[]", "{}", "null", "garbage{", '{"format": 2}',
                                  '{"format": 1, "kind": "sweep"}'])
def test_damaged_manifest_is_refused_and_fresh_starts_over(text, damaged_copy, capsys):
    (damaged_copy / "manifest.json").write_text(text)
    _refused_everywhere(damaged_copy, capsys, "manifest|older kzsim")
    with pytest.raises(ConfigError, match=r"sweep\.fresh=true"):
        sweep(damaged_copy, workers=1)
    assert sweep(damaged_copy, workers=1, fresh=True)["complete"]
    assert sim.load_results(damaged_copy).complete


def test_parts_without_manifest_are_never_adopted(damaged_copy, capsys):
    (damaged_copy / "manifest.json").unlink()
    with pytest.raises(ConfigError, match="no manifest.json"):
        sim.load_results(damaged_copy)
    with pytest.raises(ConfigError, match="no manifest.json, so they cannot be verified"):
        sweep(damaged_copy, "seed=1", workers=1)
    assert not (damaged_copy / "manifest.json").exists()
    assert sweep(damaged_copy, "seed=1", workers=1, fresh=True)["runs_run_now"] == 120


def test_garbage_shard_record_does_not_break_loading(finished, damaged_copy):
    (damaged_copy / "shards" / "shard-0-of-1.json").write_text("not json")
    assert sim.load_results(damaged_copy).complete


def test_manifest_records_every_part_with_rows_schema_and_checksum(finished):
    m = json.loads((finished / "manifest.json").read_text())
    parts = sorted(n for n in m["files"] if n.endswith(".parquet") and "/" in n)
    assert len(parts) == 12  # runs and bands for 6 chunks
    for name in parts:
        r = m["files"][name]
        assert r["bytes"] == (finished / name).stat().st_size
        assert len(r["sha256"]) == 64 and r["rows"] > 0 and r["schema"] in m["schemas"]


def test_discover_refuses_an_incomplete_sweep(damaged_copy, capsys):
    m = json.loads((damaged_copy / "manifest.json").read_text())
    for name in [n for n in m["files"] if n.endswith("part-00005.parquet")]:
        del m["files"][name]
    m["complete"] = False
    (damaged_copy / "manifest.json").write_text(json.dumps(m))
    assert main(["discover", str(damaged_copy), "target=west_below_third"]) == 2
    assert "is not complete (100 of 120 runs)" in capsys.readouterr().err
