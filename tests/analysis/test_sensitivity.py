"""Sobol and Morris through the same code path kzsim uses, on Ishigami (known indices)."""

import numpy as np
import pytest

from sim.analysis.sensitivity import (
    ishigami,
    morris_indices,
    morris_points,
    problem_of,
    sobol_indices,
    sobol_points,
)

PROBLEM = problem_of({"x1": [-np.pi, np.pi], "x2": [-np.pi, np.pi], "x3": [-np.pi, np.pi]})
S1 = {"x1": 0.3139, "x2": 0.4424, "x3": 0.0}
ST = {"x1": 0.5576, "x2": 0.4424, "x3": 0.2437}


def test_sobol_recovers_ishigami_indices():
    x = sobol_points(PROBLEM, 2048, seed=0)
    assert len(x) == 2048 * 5
    idx = sobol_indices(PROBLEM, ishigami(x), seed=0).set_index("parameter")
    for p in S1:
        assert idx.loc[p, "S1"] == pytest.approx(S1[p], abs=0.05)
        assert idx.loc[p, "ST"] == pytest.approx(ST[p], abs=0.05)
        assert idx.loc[p, "S1_conf"] > 0 and idx.loc[p, "ST_conf"] > 0


def test_morris_screens_ishigami():
    x = morris_points(PROBLEM, 100, 4, seed=0)
    assert len(x) == 100 * 4
    idx = morris_indices(PROBLEM, x, ishigami(x), 4, seed=0).set_index("parameter")
    assert idx["mu_star"].min() > 0
    assert abs(idx.loc["x2", "mu"]) < 0.3 * idx.loc["x2", "mu_star"]  # x2 acts symmetrically
    assert idx.loc["x3", "sigma"] > idx.loc["x3", "mu_star"] * 0.9     # x3 acts only through x1


def test_sampling_is_seeded():
    assert sobol_points(PROBLEM, 64, 1).equals(sobol_points(PROBLEM, 64, 1))
    assert not sobol_points(PROBLEM, 64, 1).equals(sobol_points(PROBLEM, 64, 2))


def test_sobol_reports_indices_at_half_the_samples():
    x = sobol_points(PROBLEM, 2048, seed=0)
    y = ishigami(x)
    idx = sobol_indices(PROBLEM, y, seed=0)
    assert list(idx.columns) == ["parameter", "S1", "S1_conf", "ST", "ST_conf", "S1_half",
                                 "ST_half"]
    # the first half of the points is exactly the Saltelli sample of N/2
    first = sobol_points(PROBLEM, 1024, seed=0)
    assert np.array_equal(x.to_numpy()[:len(first)], first.to_numpy())
    half = sobol_indices(PROBLEM, ishigami(first), seed=0)
    np.testing.assert_allclose(idx["ST_half"], half["ST"], rtol=1e-12)
    np.testing.assert_allclose(idx["S1_half"], half["S1"], rtol=1e-12)
    # on Ishigami, N = 2048 has converged: N/2 agrees within the bootstrap interval
    assert ((idx["ST"] - idx["ST_half"]).abs() < idx["ST_conf"]).all()
    tiny = sobol_indices(PROBLEM, ishigami(sobol_points(PROBLEM, 2, seed=0)), seed=0)
    assert tiny["ST_half"].isna().all()        # N/2 = 1 base sample has no index


@pytest.mark.parametrize("n", [3, 100, 1000, 257])
def test_sobol_refuses_sizes_that_are_not_powers_of_two(n):
    from sim.errors import ConfigError

    with pytest.raises(ConfigError, match=f"sensitivity.samples={n:,} is not a power of 2"):
        sobol_points(PROBLEM, n, seed=0)
