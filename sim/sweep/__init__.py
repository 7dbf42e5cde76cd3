"""Sweeps of sanctions calibrations: sampling, chunked batched execution, resumable storage."""

from sim.sweep.runner import make_plan, run_sweep
from sim.sweep.settings import DESIGNS, SweepSettings

__all__ = ["DESIGNS", "SweepSettings", "make_plan", "run_sweep"]
