"""PRIM scenario discovery (kzsim discover method=prim) and discovery over posterior draws."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from kzsim.prim_discovery import posterior_inputs, prim_boxes
from sim.errors import ConfigError
from sim.results import load_results


def planted(n=3000, seed=0):
    rng = np.random.default_rng(seed)
    x = pd.DataFrame(rng.random((n, 4)), columns=["a", "b", "c", "d"])
    inside = (x["a"] > 0.6) & (x["b"] < 0.3)
    noise = rng.random(n) < 0.03                       # a few hits outside, misses inside
    return x, (inside ^ noise).to_numpy()


def test_prim_recovers_a_planted_box():
    x, y = planted()
    (box,), trajectory = prim_boxes(x, y, threshold=0.9)
    assert set(box.limits) == {"a", "b"}                 # c and d are not restricted
    # planted a > 0.6, b < 0.3 with 3% of outcomes flipped: found a > 0.574, b < 0.307
    assert box.limits["a"][0] == pytest.approx(0.6, abs=0.05)
    assert box.limits["b"][1] == pytest.approx(0.3, abs=0.05)
    assert box.density >= 0.9 and box.coverage >= 0.8
    # the trajectory trades coverage for density, and exactly one step is the chosen box
    assert trajectory["coverage"].iloc[0] == pytest.approx(1.0)
    assert trajectory["density"].iloc[-1] > trajectory["density"].iloc[0]
    assert trajectory["chosen"].sum() == 1


def test_prim_needs_both_outcomes():
    x, _ = planted(200)
    with pytest.raises(ConfigError, match="holds in 0% of runs"):
        prim_boxes(x, np.zeros(200, bool))


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    out = tmp_path_factory.mktemp("prim") / "c"
    res = subprocess.run([sys.executable, "-m", "kzsim.cli", "compare",
                          "designs=[status_quo_2022,secondary_crackdown]",
                          "compare.replications=60", "turns=36", f"out={out}", "quiet=true"],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    return out


def test_one_designs_posterior_draws_are_the_inputs(compared):
    res = load_results(compared)
    runs, x = posterior_inputs(res, "secondary_crackdown")
    assert len(runs) == len(x) == 60 and (runs["design"] == "secondary_crackdown").all()
    assert all(c.startswith(("params.", "observation.")) for c in x.columns)
    from kzsim.ensemble import posterior_folder
    from sim.inference.posterior_store import load_posterior

    post = load_posterior(posterior_folder(res.manifest["ensemble"]["posterior"]))
    k = list(post.names).index(x.columns[0])
    np.testing.assert_array_equal(
        x.iloc[:, 0].to_numpy(), np.asarray(post.particles)[runs["posterior_particle"], k])
    with pytest.raises(ConfigError, match="valid choices: status_quo_2022, secondary_crackdown"):
        posterior_inputs(res, "tough")


def test_discover_method_prim_on_one_design_writes_its_trajectory(compared, tmp_path):
    res = subprocess.run([sys.executable, "-m", "kzsim.cli", "discover", str(compared),
                          "design=secondary_crackdown", "target=final_align_west < 0.4",
                          "method=prim", f"out={tmp_path / 'd'}"],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert "prim over the posterior parameter sets of design secondary_crackdown" in res.stdout
    trajectory = pd.read_csv(tmp_path / "d" / "discovery_trajectory.csv")
    assert {"coverage", "density", "mass", "chosen"} <= set(trajectory.columns)
    assert (tmp_path / "d" / "discovery_trajectory.png").stat().st_size > 10_000
    bad = subprocess.run([sys.executable, "-m", "kzsim.cli", "discover", str(compared),
                          "target=captured_east", "method=tree"], capture_output=True, text=True)
    assert bad.returncode == 2 and "unknown method 'tree'; valid choices: cart, prim" in bad.stderr
