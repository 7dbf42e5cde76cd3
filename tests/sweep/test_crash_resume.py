"""Kill a sweep with SIGKILL mid-way, run the same command again, compare row for row."""

import os
import signal
import subprocess
import sys
import time

import pandas as pd

import sim

ARGS = ["sweep", "experiment=sanctions_lhs", "sweep.samples=400", "sweep.replications=10",
        "sweep.chunk_size=100", "turns=120", "sweep.workers=1", "-q"]


def _start(out):
    return subprocess.Popen([sys.executable, "-m", "experiments.cli", *ARGS, f"out={out}"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_kill_9_then_resume_equals_uninterrupted(tmp_path):
    out = tmp_path / "crashed"
    proc = _start(out)
    runs = out / "runs"
    deadline = time.time() + 60
    while time.time() < deadline:
        if runs.is_dir() and len(list(runs.glob("part-*.parquet"))) >= 3:
            break
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read()
    done_at_kill = len(list(runs.glob("part-*.parquet")))
    assert 3 <= done_at_kill < 40, "the sweep should have been killed part-way"
    again = subprocess.run([sys.executable, "-m", "experiments.cli", *ARGS, f"out={out}"],
                           capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert f"ran {4000 - done_at_kill * 100:,} now" in again.stdout
    clean = subprocess.run([sys.executable, "-m", "experiments.cli", *ARGS,
                            f"out={tmp_path / 'clean'}"], capture_output=True, text=True)
    assert clean.returncode == 0, clean.stderr
    a, b = sim.load_results(out), sim.load_results(tmp_path / "clean")
    assert len(a.runs) == 4000 and a.complete and a.manifest["complete"]
    pd.testing.assert_frame_equal(a.runs, b.runs, check_exact=True)
    pd.testing.assert_frame_equal(a.bands, b.bands, check_exact=True)
    assert not [p for p in runs.iterdir() if p.name.endswith(".tmp")]
