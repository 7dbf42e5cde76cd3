"""Guarantee 3: the fingerprint covers everything that changes results.

Resuming after a model source file was edited is refused, naming what changed, and
``fresh=true`` starts over; every command setting (e.g. ``sensitivity.replications``) is part
of the fingerprint.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import sim
from sim.version import sources_digest
from tests.sweep.helpers import kzsim

SIM = Path(sim.__file__).resolve().parent
SWEEP = ["sweep", "experiment=sanctions_lhs", "sweep.samples=40", "sweep.replications=3",
         "sweep.chunk_size=30", "turns=24", "sweep.workers=1", "-q"]


def _kzsim_with(sources: Path, *args):
    env = {**os.environ, "PYTHONPATH": str(sources)}
    return subprocess.run([sys.executable, "-m", "kzsim.cli", *args], capture_output=True,
                          text=True, env=env, cwd=sources)


def test_digest_changes_with_any_source_byte(tmp_path):
    copy = tmp_path / "sim"
    shutil.copytree(SIM, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = sources_digest(copy)
    assert before == sources_digest(SIM)
    path = copy / "outcomes.py"
    path.write_text(path.read_text() + "\n# edited\n")
    assert sources_digest(copy) != before


def test_resume_after_editing_a_model_source_is_refused(tmp_path):
    sources = tmp_path / "src"
    shutil.copytree(SIM, sources / "sim", ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path / "half"
    first = _kzsim_with(sources, *SWEEP, "sweep.shards=2", "sweep.shard=0", f"out={out}")
    assert first.returncode == 0 and "others still to run" in first.stdout, first.stderr
    outcomes = sources / "sim" / "outcomes.py"
    text = outcomes.read_text()
    assert "welfare_loss_pct_gdp" in text
    outcomes.write_text(text + "\nWELFARE_SCALE = 1.1  # a model change between kill and resume\n")
    again = _kzsim_with(sources, *SWEEP, "sweep.shards=2", "sweep.shard=1", f"out={out}")
    assert again.returncode == 2
    line = again.stderr.strip()
    assert line.count("\n") == 0 and "code.sim_sources" in line and "sweep.fresh=true" in line
    assert "model's code" in line
    fresh = _kzsim_with(sources, *SWEEP, "sweep.fresh=true", f"out={out}")
    assert fresh.returncode == 0, fresh.stderr
    assert sim.load_results(out).complete


def test_sensitivity_replications_are_part_of_the_fingerprint(tmp_path):
    args = ["sensitivity", "experiment=sobol_sanctions", "sensitivity.samples=4",
            "sensitivity.morris_trajectories=2", "turns=12", "-q", f"out={tmp_path / 's'}"]
    assert kzsim(*args, "sensitivity.replications=1").returncode == 0
    second = kzsim(*args, "sensitivity.replications=3")
    assert second.returncode == 2
    assert "settings.replications" in second.stderr
    third = kzsim(*args, "sensitivity.replications=3", "sensitivity.fresh=true")
    assert third.returncode == 0, third.stderr
