import json

import numpy as np
import pandas as pd
import pytest

import kzsim
import sim
from sim.errors import ConfigError

from .helpers import kzsim as kzsim_cli
from .helpers import sweep


def _rows(path):
    return sim.load_results(path).runs


def test_serial_equals_parallel_equals_sharded(tmp_path):
    serial = sweep(tmp_path / "serial", workers=1)
    assert serial["complete"] and serial["chunks"] == 6
    sweep(tmp_path / "parallel", workers=2)
    for shard in range(3):
        out = sweep(tmp_path / "sharded", "sweep.shards=3", f"sweep.shard={shard}", workers=1)
    assert out["complete"]
    a, b, c = (_rows(tmp_path / n) for n in ("serial", "parallel", "sharded"))
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    pd.testing.assert_frame_equal(a, c, check_exact=True)
    bands = [sim.load_results(tmp_path / n).bands for n in ("serial", "sharded")]
    pd.testing.assert_frame_equal(bands[0], bands[1], check_exact=True)


def test_paired_seeds_and_one_row_per_run(tmp_path):
    sweep(tmp_path / "r", workers=1)
    res = sim.load_results(tmp_path / "r")
    runs = res.runs
    assert len(runs) == 24 * 5 and res.complete
    seeds = runs.pivot(index="point_id", columns="replication", values="seed")
    assert (seeds.nunique() == 1).all()          # replication r: same seed at every point
    assert seeds.iloc[0].nunique() == 5
    for col in ("final_align_rus", "mean_balance_index", "final_captured_chn",
                "ever_captured_chn", "welfare_loss_pct_gdp",
                "mean_evasion_usd_bn", "mean_leakage", "mean_pressure_on_russia",
                "mean_stability", "cpc_disruption_days", "sanctions__intensity"):
        assert col in runs.columns
    # a stored run can be reproduced from its seed and lever values
    row = runs.iloc[7]
    overrides = [f"{k.replace('__', '.')}={row[k]}" for k in res.manifest["levers"]]
    one = sim.outcomes(kzsim.load_config([*overrides, "turns=24"]), [int(row["seed"])])
    assert one["final_align_eu"].iloc[0] == row["final_align_eu"]


def test_bands_summarise_replications(tmp_path):
    sweep(tmp_path / "b", workers=1)
    res = sim.load_results(tmp_path / "b")
    bands = res.bands
    assert len(bands) == 24 * 25
    q = bands[["align_eu_q05", "align_eu_q25", "align_eu_q50", "align_eu_q75", "align_eu_q95"]]
    assert (np.diff(q.to_numpy(), axis=1) >= 0).all()
    last = bands[bands.turn == 24].set_index("point_id")["align_eu_mean"]
    direct = res.runs.groupby("point_id")["final_align_eu"].mean()
    np.testing.assert_allclose(last.to_numpy(), direct.to_numpy(), rtol=1e-5)


def test_manifest_content(tmp_path):
    sweep(tmp_path / "m", workers=1)
    m = json.loads((tmp_path / "m" / "manifest.json").read_text())
    assert m["kind"] == "sweep" and m["complete"] is True
    assert m["counts"] == {"points": 24, "replications": 5, "runs": 120, "chunks": 6, "turns": 24,
                           "points_per_chunk": 4}
    assert len(m["seeds"]["replication_seeds"]) == 5 and m["seeds"]["base"] == 0
    assert m["packages"]["mesa"] == "3.3.1" and "numpy" in m["packages"]
    assert len(m["git_commit"].removesuffix("-dirty")) == 40 or m["git_commit"] == "unknown"
    assert m["identity"]["code"]["sim_sources"] and m["identity"]["code"]["numpy"]
    parts = [n for n in m["files"] if n.startswith("runs/")]
    assert len(parts) == 6 and all(len(m["files"][n]["sha256"]) == 64 for n in parts)
    assert sum(m["files"][n]["rows"] for n in parts) == 120
    assert all(m["files"][n]["schema"] in m["schemas"] for n in parts)
    assert m["started"] and m["finished"] and m["config"]["sanctions"]["name"] == "status_quo_2022"
    assert m["sweep"]["design"] == "lhs"


def test_different_config_refused_then_fresh_restarts(tmp_path):
    out = tmp_path / "x"
    sweep(out, workers=1)
    before = {p.name: p.read_bytes() for p in (out / "runs").iterdir()}
    with pytest.raises(ConfigError) as info:
        sweep(out, "sweep.replications=6", workers=1)
    assert "different configuration" in str(info.value) and "sweep.fresh=true" in str(info.value)
    assert "sweep.replications" in str(info.value)
    assert {p.name: p.read_bytes() for p in (out / "runs").iterdir()} == before
    res = sweep(out, "sweep.replications=6", "sweep.fresh=true", workers=1)
    assert res["complete"] and len(_rows(out)) == 24 * 6


def test_resume_skips_finished_chunks(tmp_path):
    out = tmp_path / "r"
    sweep(out, workers=1)
    (out / "runs" / "part-00002.parquet").unlink()
    res = sweep(out, workers=1)
    assert res["runs_run_now"] == 20 and res["complete"]


def test_load_results_errors(tmp_path):
    with pytest.raises(ConfigError, match="is not a folder"):
        sim.load_results(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ConfigError, match="no manifest.json"):
        sim.load_results(tmp_path / "empty")
    sweep(tmp_path / "c", workers=1)
    (tmp_path / "c" / "runs" / "part-00001.parquet").write_bytes(b"not parquet at all")
    with pytest.raises(ConfigError, match="part-00001.parquet is corrupted"):
        sim.load_results(tmp_path / "c")


def test_cli_sweep_progress_and_quiet(tmp_path):
    args = ["sweep", "experiment=sanctions_lhs", "sweep.samples=8", "sweep.replications=2",
            "turns=6", "sweep.workers=1"]
    res = kzsim_cli(*args, f"out={tmp_path / 'p'}", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "100.0%" in res.stderr and "runs/s" in res.stderr and "ETA" in res.stderr
    assert "sweep complete" in res.stdout
    quiet = kzsim_cli(*args, f"out={tmp_path / 'q'}", "-q", cwd=tmp_path)
    assert quiet.returncode == 0 and quiet.stderr == ""
    bad = kzsim_cli("sweep", "experiment=sanctions_lhs", "sweep.design=fancy",
                    f"out={tmp_path / 'z'}")
    assert bad.returncode == 2 and "valid choices: grid, lhs, sobol" in bad.stderr
    assert "Traceback" not in bad.stderr and not (tmp_path / "z").exists()


def test_chunks_are_filled_equally_whatever_the_workers():
    """216 points at most 200 a chunk: two chunks of 108 (not 200 and 16), so two workers
    finish together; the same chunks with 1 or 2 workers (test_serial_equals_parallel)."""
    from sim.sweep.runner import balanced_points_per_chunk

    assert balanced_points_per_chunk(216, 200) == 108
    for points in range(1, 400):
        for most in (1, 7, 50, 200):
            per = balanced_points_per_chunk(points, most)
            chunks = -(-points // per)
            assert per <= most and chunks == -(-points // most)
            assert points - (chunks - 1) * per >= per - chunks   # the last chunk is not a tail
