"""Simulating from Python: :func:`run` gives one row per seed and turn of a configuration.

Configurations come from :func:`kzsim.load_config` (the edge composes ``configs/`` with
overrides) or :func:`sim.config.from_mapping` (a plain mapping); ``sim`` never imports Hydra.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from sim.config import SimConfig
from sim.model import KazakhstanModel, dates
from sim.record import TrajectoryRecorder
from sim.streams import as_seed_array


def run(config: SimConfig, seeds: int | Sequence[int], turns: int | None = None,
        design=None, params=None, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Simulate one run per seed in one batch; one row per (seed, turn), turn 0 the start.

    Args:
        config: from :func:`kzsim.load_config` or :func:`sim.config.from_mapping`.
        seeds: run seeds (an int is one run). A run's rows do not depend on the other seeds.
        turns: months to simulate (default ``config.turns``).
        design: optional replacement sanctions design (fields may be per-run arrays), as
            sweeps use.
        params: optional replacement structural parameters (per-run arrays allowed), as
            sweeps use.
        columns: the recorded columns to keep (default all); they come in the order of
            :func:`sim.record.column_names`, once each, after ``run``, ``seed``, ``turn``,
            ``date`` (and ``posterior_particle`` with a posterior), which are always there.
            Their values do not depend on the choice; leaving out every ``contrib_*`` column
            skips the attribution, and a short list makes a large batch much lighter. An
            unknown name is a ``ValueError`` listing the columns.

    With ``config.ensemble == "posterior"`` (the default of :func:`kzsim.load_config`) each
    run draws its parameter set from the attached posterior ensemble by its seed (fields of
    ``params`` given as per-run arrays are kept), and the frame has a ``posterior_particle``
    column; with ``ensemble=point`` the configured values are used.

    """
    seed_arr = as_seed_array(seeds)
    turns = config.turns if turns is None else int(turns)
    if turns < 0:
        raise ValueError("turns must be non-negative")
    model = KazakhstanModel(config, seed_arr, design=design, params=params)
    try:
        recorder = TrajectoryRecorder(model.state, turns, columns)
        model.observers.append(recorder)
        model.run_turns(turns)
    finally:
        model.release()
    n = len(seed_arr)
    frame = {
        "run": np.repeat(np.arange(n), turns + 1),
        "seed": np.repeat(seed_arr, turns + 1),
        "turn": np.tile(np.arange(turns + 1), n),
        "date": np.tile(dates(config, turns), n),
    }
    if model.posterior_particle is not None:  # the run's parameter set (ensemble=posterior)
        frame["posterior_particle"] = np.repeat(model.posterior_particle, turns + 1)
    frame.update(recorder.columns())
    return pd.DataFrame(frame)
