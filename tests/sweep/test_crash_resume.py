"""Kill a sweep with SIGKILL mid-way, run the same command again, compare row for row."""

import json
import os
import signal
import subprocess
import sys
import time

import pandas as pd

import sim
from sim.results import done_chunks, with_receipts

ARGS = ["sweep", "experiment=sanctions_lhs", "sweep.samples=400", "sweep.replications=10",
        "sweep.chunk_size=100", "turns=120", "sweep.workers=1", "-q"]


def _start(out):
    return subprocess.Popen([sys.executable, "-m", "kzsim.cli", *ARGS, f"out={out}"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_kill_9_then_resume_equals_uninterrupted(tmp_path):
    out = tmp_path / "crashed"
    proc = _start(out)
    runs = out / "runs"
    receipts = out / "receipts"
    deadline = time.time() + 60
    while time.time() < deadline:
        if receipts.is_dir() and len(list(receipts.glob("chunk-*.json"))) >= 3:
            break
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read()
    # a chunk is done once its receipt is written (after its parts), or once it is recorded
    manifest = json.loads((out / "manifest.json").read_text())
    done_at_kill = len(done_chunks(with_receipts(out, manifest)))
    assert 3 <= done_at_kill < 40, "the sweep should have been killed part-way"
    again = subprocess.run([sys.executable, "-m", "kzsim.cli", *ARGS, f"out={out}"],
                           capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert f"ran {4000 - done_at_kill * 100:,} now" in again.stdout
    clean = subprocess.run([sys.executable, "-m", "kzsim.cli", *ARGS,
                            f"out={tmp_path / 'clean'}"], capture_output=True, text=True)
    assert clean.returncode == 0, clean.stderr
    a, b = sim.load_results(out), sim.load_results(tmp_path / "clean")
    assert len(a.runs) == 4000 and a.complete and a.manifest["complete"]
    pd.testing.assert_frame_equal(a.runs, b.runs, check_exact=True)
    pd.testing.assert_frame_equal(a.bands, b.bands, check_exact=True)
    assert not [p for p in runs.iterdir() if p.name.endswith(".tmp")]
