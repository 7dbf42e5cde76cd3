"""The kzsim command end to end, in a subprocess, as a user runs it."""

import subprocess
import sys
from pathlib import Path

import pandas as pd

KZSIM = [sys.executable, "-m", "kzsim.cli"]


def kzsim(*args, cwd):
    return subprocess.run([*KZSIM, *args], capture_output=True, text=True, cwd=cwd)


def test_run_writes_results_figures_and_summary(tmp_path):
    out = tmp_path / "try"
    res = kzsim("run", "sanctions=calibrated", "policy.rus=tit_for_tat", "turns=12", "runs=5",
                "seed=1", f"out={out}", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "alignment with Russia" in res.stdout and "5 run(s)" in res.stdout
    traj = pd.read_parquet(out / "trajectories.parquet")
    assert len(traj) == 5 * 13 and traj["seed"].nunique() == 5
    for png in ("alignment.png", "ternary.png"):
        data = (out / png).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    assert "calibrated" in (out / "config.yaml").read_text()


def test_default_out_is_results_name(tmp_path):
    res = kzsim("run", "turns=2", "name=demo", "-q", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "results" / "demo" / "trajectories.parquet").exists()
    assert "alignment with Russia" not in res.stdout


def test_bad_input_exit_2_no_traceback_nothing_written(tmp_path):
    for bad in ("sanctions.intensityy=0.5", "policy.rus=nice", "sanctions=foo", "turns=-1"):
        res = kzsim("run", bad, f"out={tmp_path / 'x'}", cwd=tmp_path)
        assert res.returncode == 2
        assert "Traceback" not in res.stderr and res.stderr.startswith("kzsim: error: ")
        assert len(res.stderr.strip().splitlines()) == 1
        assert not (tmp_path / "x").exists()
    assert kzsim("nope", cwd=tmp_path).returncode == 2


def test_different_config_into_existing_results_is_refused(tmp_path):
    out = tmp_path / "r"
    assert kzsim("run", "turns=3", f"out={out}", "-q", cwd=tmp_path).returncode == 0
    before = (out / "trajectories.parquet").read_bytes()
    res = kzsim("run", "turns=4", f"out={out}", cwd=tmp_path)
    assert res.returncode == 2 and "different configuration" in res.stderr
    assert (out / "trajectories.parquet").read_bytes() == before
    again = kzsim("run", "turns=3", f"out={out}", "-q", cwd=tmp_path)
    assert again.returncode == 0
    assert (out / "trajectories.parquet").read_bytes() == before
    assert not [p for p in Path(tmp_path).iterdir() if p.name.startswith(".")]
