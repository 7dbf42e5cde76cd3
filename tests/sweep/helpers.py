"""Small sweeps for tests: composed through the same edge as the command line."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

from kzsim.configuration import compose_mapping
from kzsim.ensemble import load_ensemble
from kzsim.sweep_command import prepare
from sim.sweep import run_sweep

SMALL = ["experiment=sanctions_lhs", "sweep.samples=24", "sweep.replications=5",
         "sweep.chunk_size=20", "turns=24"]


def sweep(out: Path, *overrides: str, executor=None, **replace):
    """Run a sweep in-process (no progress output); return its summary."""
    model, settings, _ = prepare(compose_mapping([*SMALL, *overrides]))
    if replace:
        settings = dataclasses.replace(settings, **replace)
    return run_sweep(model, settings, out, quiet=True, executor=executor,
                     ensemble=load_ensemble(model, [*SMALL, *overrides]))


def kzsim(*args, cwd=None, **kw):
    """Run the kzsim command in a subprocess."""
    return subprocess.run([sys.executable, "-m", "kzsim.cli", *args], capture_output=True,
                          text=True, cwd=cwd, **kw)
