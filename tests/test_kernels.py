"""The compiled loops (sim.kernels) and the exact shortcuts give NumPy's results bit for bit.

Each speed-up of issue 11 replaces a chain of NumPy operations by the same IEEE operations in
the same order; these tests compare against the NumPy formulas they replaced.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.blocs import row_sum
from sim.choice import distinct, grid, logit_choice
from sim.streams import Stream, mix64, run_seeds


def numpy_uniform(stream: Stream, turn: int, slot: int) -> np.ndarray:
    """The NumPy formula the compiled draw replaced."""
    counter = np.uint64((((turn << 16) + slot) * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF)
    with np.errstate(over="ignore"):
        x = mix64(stream._key + counter)
    x >>= np.uint64(11)
    return x.astype(np.float64) * 2.0 ** -53


def numpy_logit_choice(utility, temperature, u):
    """The NumPy logit choice the compiled loops replaced (options first)."""
    n = u.shape[0]
    utility = np.broadcast_to(np.asarray(utility, dtype=float), (len(utility), n))
    weights = utility - utility.max(axis=0)
    weights /= np.maximum(temperature, 1e-12)
    np.exp(weights, out=weights)
    threshold = u * weights.sum(axis=0)
    below = weights[0].copy()
    picked = (threshold >= below).astype(np.intp)
    for row in weights[1:-1]:
        below += row
        picked += threshold >= below
    return picked


@pytest.mark.parametrize("name", ["actor/KAZ", "world"])
def test_compiled_uniform_draws_equal_the_numpy_formula(name):
    stream = Stream(run_seeds(5, 3000), name)
    for turn, slot in [(0, 0), (1, 3), (119, 0x8001), (600, 65535)]:
        assert np.array_equal(stream.uniform(turn, slot), numpy_uniform(stream, turn, slot))


@settings(max_examples=60, deadline=None)
@given(options=st.integers(2, 16), n=st.integers(1, 300), seed=st.integers(0, 2 ** 32 - 1),
       per_run=st.booleans(), scale=st.sampled_from([1e-3, 1.0, 50.0]))
def test_compiled_logit_choice_equals_numpy(options, n, seed, per_run, scale):
    rng = np.random.default_rng(seed)
    utility = rng.normal(0.0, scale, (options, n))
    utility[rng.integers(0, options), :] -= 1e6          # an option out of reach
    temperature = rng.uniform(0.01, 1.0, n) if per_run else float(rng.uniform(0.01, 1.0))
    u = rng.random(n)
    assert np.array_equal(logit_choice(utility, temperature, u),
                          numpy_logit_choice(utility, temperature, u))


def test_compiled_logit_choice_reads_broadcast_utilities_and_ties():
    u = np.random.default_rng(0).random(500)
    column = np.array([[0.3], [0.3], [0.1]])                  # (options, 1): the same in all runs
    assert np.array_equal(logit_choice(column, 0.2, u), numpy_logit_choice(column, 0.2, u))
    tied = np.zeros((4, 500))
    assert np.array_equal(logit_choice(tied, 0.5, u), numpy_logit_choice(tied, 0.5, u))


@settings(max_examples=40, deadline=None)
@given(k=st.integers(2, 6), seed=st.integers(0, 2 ** 32 - 1))
def test_row_sum_equals_numpy_sum_over_rows(k, seed):
    rng = np.random.default_rng(seed)
    x = rng.random((257, k)) * 10.0 ** rng.integers(-8, 8, k)
    assert np.array_equal(row_sum(x), x.sum(axis=1))


def test_distinct_levels_expand_back_to_the_column():
    first, second = grid((0.0, 0.5, 1.0), (-1.0, -0.5, 0.0, 0.5, 1.0))
    for col in (first, second):
        levels, rows = distinct(col)
        assert np.array_equal(levels[rows], col)
        assert levels.shape == (len(np.unique(col)), 1)
        assert not levels.flags.writeable and not rows.flags.writeable

