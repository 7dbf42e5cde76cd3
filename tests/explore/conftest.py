"""Small stored results for the explorer's tests (a comparison, a sweep, a hindcast, a run)."""

import pytest

from kzsim.compare_command import compare_command
from kzsim.replay_commands import hindcast_command
from kzsim.run_command import run_command
from kzsim.sweep_command import sweep_command

DESIGNS = ("status_quo_2022", "calibrated", "secondary_crackdown")


@pytest.fixture(scope="session")
def compare_folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("explore") / "compare"
    compare_command([f"designs=[{','.join(DESIGNS)}]", "compare.replications=6",
                     "compare.workers=1", "turns=24", f"out={out}", "quiet=true"])
    return out


@pytest.fixture(scope="session")
def sweep_folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("explore") / "sweep"
    sweep_command(["experiment=sanctions_grid", "sweep.grid.sanctions.intensity=[0.2,0.5,0.8]",
                   "sweep.grid.sanctions.secondary_enforcement=[0.0,1.0]",
                   "sweep.grid.sanctions.compensation=[0.0]", "sweep.replications=4",
                   "sweep.workers=1", "turns=24", f"out={out}", "quiet=true"])
    return out


@pytest.fixture(scope="session")
def hindcast_folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("explore") / "hindcast"
    hindcast_command(["runs=4", f"out={out}", "quiet=true"])
    return out


@pytest.fixture(scope="session")
def run_folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("explore") / "run"
    run_command(["runs=2", "turns=6", f"out={out}", "quiet=true"])
    return out
