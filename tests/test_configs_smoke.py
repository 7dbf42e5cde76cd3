"""Every shipped configuration composes and runs a few turns."""

import pytest

import kzsim
import sim
from kzsim.configuration import group_options
from sim.policies import policies_for


@pytest.mark.parametrize("design", group_options("sanctions"))
def test_every_design_runs(design):
    cfg = kzsim.load_config([f"sanctions={design}"])
    assert cfg.sanctions.name == design and cfg.sanctions.sources
    df = sim.run(cfg, [1, 2], turns=6)
    assert len(df) == 14 and df["align_rus"].notna().all()


@pytest.mark.parametrize("actor,name", [(a, n) for a in ("KAZ", "RUS", "CHN", "USA", "EU")
                                        for n in policies_for(a)])
def test_every_policy_runs(actor, name):
    cfg = kzsim.load_config([f"policy.{actor.lower()}={name}"])
    df = sim.run(cfg, [3], turns=6)
    assert df["turn"].max() == 6


def test_every_config_group_option_composes():
    for group in ("baseline", "params", "policy_params", "actors"):
        for option in group_options(group):
            kzsim.load_config([f"{group}={option}"])
