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



def numpy_replicator(align, total, rate, max_step):
    """The NumPy replicator step the compiled loop replaced."""
    a0, a1, a2, a3 = align[:, 0], align[:, 1], align[:, 2], align[:, 3]
    mean = a0 * total[:, 0] + a1 * total[:, 1] + a2 * total[:, 2] + a3 * total[:, 3]
    dev = total - mean[:, None]
    size = np.abs(dev)
    widest = np.maximum(np.maximum(size[:, 0], size[:, 1]), np.maximum(size[:, 2], size[:, 3]))
    np.maximum(widest, 1e-300, out=widest)
    step = np.minimum(rate, np.divide(max_step, widest, out=widest))
    new = step[:, None] * align
    new *= dev
    new += align
    norm = new[:, 0] + new[:, 1] + new[:, 2] + new[:, 3]
    new /= norm[:, None]
    return new, step


def numpy_concentration_gradient(align, cap, floor):
    """The NumPy gradient of M16's concentration the compiled loop replaced."""
    from sim.mechanisms.push import per_run as col
    over = np.empty_like(align)
    over[:, :2] = align[:, :2]
    np.add(align[:, 2], align[:, 3], out=over[:, 2])
    over[:, 3] = over[:, 2]
    over -= col(cap)
    np.maximum(0.0, over, out=over)
    under = np.subtract(col(floor), align)
    np.maximum(0.0, under, out=under)
    over -= under
    over *= 2.0
    return over


def _simplex(rng, n):
    align = rng.dirichlet(np.ones(4) * 0.7, n)
    align[rng.random(n) < 0.1, rng.integers(0, 4)] = 0.0   # a power with no share
    return align / align.sum(axis=1, keepdims=True)


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 300), seed=st.integers(0, 2 ** 32 - 1), per_run=st.booleans(),
       scale=st.sampled_from([0.0, 1e-6, 0.01, 1.0, 100.0]))
def test_compiled_replicator_equals_numpy(n, seed, per_run, scale):
    from sim.stages.alignment import replicator
    rng = np.random.default_rng(seed)
    align, total = _simplex(rng, n), rng.normal(0.0, scale, (n, 4))
    rate = rng.uniform(0.05, 2.0, n) if per_run else 0.5
    max_step = rng.uniform(0.01, 0.5, n) if per_run else 0.2
    new, step = replicator(align, total, type("P", (), {"rate": rate, "max_step": max_step}))
    expected_new, expected_step = numpy_replicator(align, total, rate, max_step)
    assert np.array_equal(new, expected_new) and np.array_equal(step, expected_step)


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 300), seed=st.integers(0, 2 ** 32 - 1), per_run=st.booleans())
def test_compiled_concentration_gradient_equals_numpy(n, seed, per_run):
    from sim.mechanisms.domestic import DoctrineParams, concentration_gradient
    rng = np.random.default_rng(seed)
    align = _simplex(rng, n)
    cap = rng.uniform(0.3, 0.6, n) if per_run else 0.45
    floor = rng.uniform(0.0, 0.2, n) if per_run else 0.1
    p = DoctrineParams(cap=cap, floor=floor)
    assert np.array_equal(concentration_gradient(align, p),
                          numpy_concentration_gradient(align, cap, floor))


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 200), seed=st.integers(0, 2 ** 32 - 1), per_run=st.booleans())
def test_compiled_trade_costs_equal_cost_index_then_adjust(n, seed, per_run):
    from types import SimpleNamespace

    from sim import kernels
    from sim.economy.substitution import adjust, cost_index
    rng = np.random.default_rng(seed)
    cost = rng.normal(0.0, 0.6, (n, 5))                    # some below -0.95: the floor
    shock = rng.normal(0.0, 0.05, (n, 5))
    used = rng.uniform(0.8, 1.6, (n, 5))
    rate = rng.uniform(0.0, 1.0, n) if per_run else 0.3
    expected = adjust(used, cost_index(cost, shock), SimpleNamespace(adjustment=rate))
    got = kernels.adjusted_costs(cost, np.exp(shock), used, kernels.run_param(rate),
                                 np.empty((n, 5)))
    assert np.array_equal(got, expected)


def numpy_china_utility(worth, pull, trade_value, opportunity, cost, effort, weight,
                        discontent, tp, share):
    """The NumPy expression of SteadyCourtship.decide that sim.kernels.china_utility replaced."""
    u = np.multiply(worth, pull, out=pull.copy())
    u += trade_value * opportunity * tp
    u -= cost * share ** 2
    u -= effort * tp ** 2
    u -= weight * discontent * (share + tp)
    return u


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 200), seed=st.integers(0, 2 ** 32 - 1), per_run=st.booleans())
def test_compiled_china_utility_equals_the_numpy_formula(n, seed, per_run):
    from sim import kernels
    from sim.policies.china import SteadyCourtship
    rng = np.random.default_rng(seed)
    tp, share = grid(SteadyCourtship.trade_menu, SteadyCourtship.investment_menu)
    levels, row = distinct(share)
    pull_levels = rng.normal(0.0, 0.01, (len(levels), n))

    def param(low, high):   # a per-run array (a sweep or the posterior) or one shared value
        return rng.uniform(low, high, n) if per_run else float(rng.uniform(low, high))

    worth = rng.uniform(0.0, 50.0, n)
    trade_value, opportunity, effort, weight = (param(0.0, 2.0), param(0.5, 2.0),
                                                param(0.0, 1.0), param(0.0, 3.0))
    cost, discontent = rng.normal(0.0, 1.0, n), rng.uniform(0.0, 0.1, n)
    expected = numpy_china_utility(worth, pull_levels[row], trade_value, opportunity, cost,
                                   effort, weight, discontent, tp, share)
    got = kernels.china_utility(
        worth, pull_levels, row, kernels.run_param(trade_value * opportunity),
        kernels.run_param(cost), kernels.run_param(effort),
        kernels.run_param(weight * discontent), np.ascontiguousarray(tp.reshape(-1)),
        np.ascontiguousarray(share.reshape(-1)), np.empty((len(tp), n)))
    assert np.array_equal(got, expected)
