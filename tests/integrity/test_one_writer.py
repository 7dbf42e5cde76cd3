"""Guarantee 2: one writer configuration per results folder.

Two processes with different configurations started together into one folder: exactly one
proceeds, the other is refused with exit 2, and every stored row belongs to the manifest's
configuration. Writers of the same configuration share the folder without duplicating rows,
and ``fresh=true`` is refused while another process writes.
"""

from __future__ import annotations

import subprocess
import sys

import pandas as pd

import sim
from sim.folder import WRITE_LOCK
from tests.sweep.helpers import kzsim

SWEEP = ["sweep", "experiment=sanctions_lhs", "sweep.samples=60", "sweep.replications=4",
         "sweep.chunk_size=40", "turns=24", "sweep.workers=1", "-q"]


def _start(*args):
    return subprocess.Popen([sys.executable, "-m", "kzsim.cli", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _belongs_to_manifest(out) -> None:
    res = sim.load_results(out)
    seeds = set(res.manifest["seeds"]["replication_seeds"])
    assert set(res.runs["seed"]) <= seeds
    levers = res.manifest["levers"]
    merged = res.runs.merge(res.points, on="point_id", suffixes=("", "_point"))
    for lever in levers:
        assert (merged[lever] == merged[f"{lever}_point"]).all()


def test_two_configurations_racing_into_one_folder(tmp_path):
    for trial in range(4):
        out = tmp_path / f"race{trial}"
        a, b = _start(*SWEEP, f"out={out}"), _start(*SWEEP, "seed=1", f"out={out}")
        ra, rb = a.wait(timeout=120), b.wait(timeout=120)
        errs = a.stderr.read() + b.stderr.read()
        assert sorted([ra, rb]) == [0, 2], (trial, ra, rb, errs)
        assert "different configuration" in errs and "Traceback" not in errs
        _belongs_to_manifest(out)
        assert sim.load_results(out).complete


def test_same_configuration_twice_at_once_stores_each_row_once(tmp_path):
    out = tmp_path / "twice"
    a, b = _start(*SWEEP, f"out={out}"), _start(*SWEEP, f"out={out}")
    assert (a.wait(timeout=120), b.wait(timeout=120)) == (0, 0)
    ref = tmp_path / "ref"
    assert kzsim(*SWEEP, f"out={ref}").returncode == 0
    x, y = sim.load_results(out), sim.load_results(ref)
    assert not x.runs.duplicated(["point_id", "replication"]).any()
    pd.testing.assert_frame_equal(x.runs, y.runs, check_exact=True)


def test_fresh_is_refused_while_another_process_writes(tmp_path):
    out = tmp_path / "busy"
    assert kzsim(*SWEEP, f"out={out}").returncode == 0
    before = (out / "manifest.json").read_bytes()
    # another writer of this folder holds the shared write lock for as long as it writes
    holder = _start_lock_holder(out / WRITE_LOCK)
    try:
        fresh = kzsim(*SWEEP, "sweep.fresh=true", f"out={out}")
    finally:
        holder.kill()
        holder.wait()
    assert fresh.returncode == 2, fresh.stderr
    assert "another kzsim process is writing" in fresh.stderr
    assert (out / "manifest.json").read_bytes() == before
    assert kzsim(*SWEEP, "sweep.fresh=true", f"out={out}").returncode == 0


def _start_lock_holder(path):
    code = ("import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDWR); "
            "fcntl.flock(fd, fcntl.LOCK_SH); print('held', flush=True); time.sleep(120)")
    proc = subprocess.Popen([sys.executable, "-c", code, str(path)], stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc
