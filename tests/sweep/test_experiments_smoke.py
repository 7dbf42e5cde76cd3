"""Every shipped experiment config composes and runs (shrunk to a few turns and runs)."""

import dataclasses

import pandas as pd
import pytest

import sim
from kzsim.configuration import compose_mapping, group_options, split
from kzsim.ensemble import load_ensemble
from kzsim.sensitivity_command import sensitivity_command
from kzsim.sweep_command import prepare
from sim.sweep import run_sweep
from sim.sweep.settings import flatten


@pytest.mark.parametrize("experiment", group_options("experiment"))
def test_every_experiment_runs(experiment, tmp_path):
    mapping = compose_mapping([f"experiment={experiment}"])
    _, edge = split(mapping)
    if flatten(edge["sensitivity"]["ranges"]):
        out = tmp_path / experiment
        assert sensitivity_command([f"experiment={experiment}", "sensitivity.samples=4",
                                    "sensitivity.morris_trajectories=2",
                                    "sensitivity.replications=1",
                                    "sensitivity.workers=1", "turns=3", f"out={out}",
                                    "quiet=true"]) == 0
        assert len(pd.read_csv(out / "sobol.csv")) > 0
        return
    model, settings, out = prepare(mapping)
    assert out.name == experiment
    small = dataclasses.replace(settings, replications=2, samples=min(settings.samples, 10),
                                workers=1)
    model["turns"] = 3
    summary = run_sweep(model, small, tmp_path / experiment, quiet=True,
                        ensemble=load_ensemble(model))
    assert summary["complete"]
    res = sim.load_results(tmp_path / experiment)
    assert len(res.runs) == summary["runs"] and res.bands["turn"].max() == 3
