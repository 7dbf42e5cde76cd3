import pytest

from kzsim.compare_command import compare_command
from kzsim.sweep_command import sweep_command


@pytest.fixture(scope="session")
def tiny_compare(tmp_path_factory):
    out = tmp_path_factory.mktemp("cmp") / "c"
    compare_command(["designs=[status_quo_2022,calibrated,secondary_crackdown]",
                     "compare.replications=4", "compare.workers=1", "turns=12", f"out={out}",
                     "quiet=true"])
    return out


@pytest.fixture(scope="session")
def tiny_sweep(tmp_path_factory):
    out = tmp_path_factory.mktemp("swp") / "s"
    sweep_command(["experiment=sanctions_grid", "sweep.grid.sanctions.intensity=[0.2,0.8]",
                   "sweep.grid.sanctions.secondary_enforcement=[0.0,0.5,1.0]",
                   "sweep.grid.sanctions.compensation=[0.0,1.0]", "sweep.replications=3",
                   "sweep.workers=1", "sweep.chunk_size=6", "turns=12", f"out={out}", "quiet=true"])
    return out
