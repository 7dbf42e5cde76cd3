"""The paired no-sanctions counterfactuals advance as extra rows of their runs' batch.

Each is the run of a model without sanctions (``sanctions=False``: the West's sanctions levers
zero, dated sanctions events skipped) on the same seed and parameters, bit for bit, and the
welfare loss reads its income in the same month (``sim.pairing``, ``sim.model``).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import kzsim
from sim.model import KazakhstanModel
from sim.pairing import counterfactual_runs
from sim.state import WorldState
from sim.streams import run_seeds

SEEDS = np.concatenate([run_seeds(5, 6), run_seeds(5, 3)])   # three seeds twice


@pytest.fixture(scope="module")
def cfg():
    # the replay timeline has sanctions events (secondary, sanctions, carve_out) in 2022-2025
    return kzsim.load_config(["history=events_2022_2025"])


@pytest.mark.parametrize("per_run_design", [False, True])
def test_counterfactual_rows_are_the_runs_of_a_model_without_sanctions(cfg, per_run_design):
    design = (dataclasses.replace(cfg.sanctions, intensity=np.linspace(0.2, 1.0, len(SEEDS)))
              if per_run_design else None)
    model = KazakhstanModel(cfg, SEEDS, design)
    seeds_u, params_u, design_u, pairs = counterfactual_runs(model.seeds, model.params,
                                                             model.design)
    alone = KazakhstanModel(cfg, seeds_u, design_u, params_u, counterfactual=False,
                            sanctions=False, draw_parameters=False)
    n = len(SEEDS)
    assert len(model.world.income) == n + len(seeds_u)
    np.testing.assert_array_equal(model.pairs, n + pairs)
    model.run_turns(48)
    alone.run_turns(48)
    for field in dataclasses.fields(WorldState):
        np.testing.assert_array_equal(getattr(model.world, field.name)[n:],
                                      getattr(alone.state, field.name), err_msg=field.name)
        np.testing.assert_array_equal(getattr(model.state, field.name),
                                      getattr(model.world, field.name)[:n], err_msg=field.name)
    np.testing.assert_array_equal(model.state.loss_usd,
                                  alone.state.income[pairs] - model.state.income)
    assert (model.state.loss_usd != 0).all() and (alone.state.loss_usd == 0).all()
    for m in (model, alone):
        m.release()


def test_observers_see_the_runs_only(cfg):
    model = KazakhstanModel(cfg, SEEDS)
    seen = []
    model.observers.append(lambda turn, previous, result: seen.append((previous, result)))
    model.run_turns(3)
    n = len(SEEDS)
    for previous, result in seen:
        assert previous.align.shape == result.state.align.shape == (n, 4)
        assert result.step.shape == (n,) and result.shock.shape == (n, 4)
        assert all(push.shape == (n, 4) for push in result.pushes.values())
        for action in result.actions.values():
            for value in vars(action).values():
                assert np.ndim(value) == 0 or np.shape(value)[0] == n
    model.release()
