"""Every sampleable parameter can be a per-run array, as sweeps, comparisons under
uncertainty and the calibration pass them: the model runs with all of them at once, and a
run's results do not depend on the other runs' values."""

from __future__ import annotations

import numpy as np
import pytest

import kzsim
import sim
from sim.priors import priors
from sim.sweep.chunk import with_levers

CFG = kzsim.load_config([])
PRIORS = {k: v for k, v in priors(CFG, ("params",)).items() if v[0] < v[1]}
SEEDS = [11, 12, 13]


def _levers(fractions):
    """Per-run arrays of every params prior at the given fractions of its range."""
    f = np.asarray(fractions, dtype=float)
    return {key: low + f * (high - low) for key, (low, high, _) in PRIORS.items()}


def test_every_params_prior_can_vary_per_run():
    _, params = with_levers(CFG, _levers([0.0, 0.5, 1.0]))
    traj = sim.run(CFG, SEEDS, turns=14, params=params)
    numeric = traj[traj["turn"] > 0].select_dtypes("number")   # turn 0 has no actions yet
    assert len(traj) == 3 * 15
    assert np.isfinite(numeric.to_numpy()).all()
    assert traj.groupby("run")["align_rus"].last().nunique() == 3


@pytest.mark.parametrize("run", [0, 2])
def test_a_run_with_per_run_params_equals_that_run_alone(run):
    fractions = [0.1, 0.5, 0.9]
    _, batch_params = with_levers(CFG, _levers(fractions))
    batch = sim.run(CFG, SEEDS, turns=14, params=batch_params)
    _, alone_params = with_levers(CFG, _levers([fractions[run]]))
    alone = sim.run(CFG, SEEDS[run], turns=14, params=alone_params)
    mine = batch[batch["seed"] == SEEDS[run]].reset_index(drop=True)
    cols = [c for c in alone.columns if c != "run"]
    np.testing.assert_array_equal(mine[cols].select_dtypes("number").to_numpy(),
                                  alone[cols].select_dtypes("number").to_numpy())
