"""Every shipped experiment config composes and runs (shrunk to a few turns and runs)."""

import pytest

import sim
from experiments.configuration import compose_mapping, group_options
from experiments.sweep_command import prepare
from sim.sweep import run_sweep


@pytest.mark.parametrize("experiment", group_options("experiment"))
def test_every_experiment_runs(experiment, tmp_path):
    model, settings, out = prepare(compose_mapping([f"experiment={experiment}"]))
    assert out.name == experiment
    import dataclasses
    small = dataclasses.replace(settings, replications=2, samples=min(settings.samples, 10),
                                workers=1)
    model["turns"] = 3
    summary = run_sweep(model, small, tmp_path / experiment, quiet=True)
    assert summary["complete"]
    res = sim.load_results(tmp_path / experiment)
    assert len(res.runs) == summary["runs"] and res.bands["turn"].max() == 3
