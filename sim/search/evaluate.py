"""Evaluating a generation of designs: one batched model run, then robust objective values.

Run ``d * R + r`` is replication ``r`` of design ``d`` (:func:`sim.sweep.chunk.run_chunk`):
replication ``r`` has seed ``rep_seeds[r]`` under every design, hence the same posterior
parameter set and the same stochastic draws (common random numbers), and each run carries its
paired no-sanctions counterfactual. ``duration`` is a whole number of months, so it is rounded
before it is run (and stored rounded).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from sim.search.objectives import Objective, by_replication, robust
from sim.sweep.chunk import run_chunk
from sim.sweep.settings import column_name

INTEGER_LEVERS = ("duration",)


def design_points(levers: Sequence[str], X: np.ndarray, first_id: int = 0) -> pd.DataFrame:
    """The designs ``X`` (n, levers) as a points table.

    Columns ``sanctions__<lever>``, ids from ``first_id``, whole months for ``duration``.
    """
    X = np.asarray(X, float)
    columns = {column_name(f"sanctions.{name}"): (np.round(X[:, j]) if name in INTEGER_LEVERS
                                                  else X[:, j])
               for j, name in enumerate(levers)}
    return pd.DataFrame(columns, index=pd.RangeIndex(first_id, first_id + len(X),
                                                     name="design_id"))


def run_designs(config, points: pd.DataFrame, rep_seeds: np.ndarray, turns: int) -> pd.DataFrame:
    """Every design of ``points`` on every replication: the runs table (outcomes per run)."""
    return run_chunk(config, points, np.asarray(rep_seeds), turns, band_every=None).runs


def objective_values(runs: pd.DataFrame, objectives: Sequence[Objective], designs: int,
                     replications: int, measure: str, percentile: float,
                     reference: dict[str, np.ndarray] | None = None) -> np.ndarray:
    """(designs, objectives) robust values to minimise.

    ``reference`` maps an objective's name to the reference designs' (designs, replications)
    values, for ``regret``.
    """
    return np.column_stack([
        robust(by_replication(o, runs, designs, replications), measure, percentile,
               None if reference is None else reference[o.name])
        for o in objectives])


__all__ = ["design_points", "objective_values", "run_designs"]
