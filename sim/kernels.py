"""Compiled loops (Numba) for the per-run work NumPy would do in many passes.

Each kernel fuses what NumPy does as a chain of whole-array operations into one loop over runs,
so the intermediates stay in registers. They are exact replacements: the same IEEE operations
in the same order as the NumPy code they replace, so results are bit-identical (checked in
``tests/test_kernels.py`` against the NumPy formulas). Transcendental functions (``exp``,
``log``, ``cos``) stay in NumPy: its AVX-512 versions are about 5x faster here than the scalar
``libm`` calls a compiled loop makes, and they round differently in the last bit.

Compiled on first use and cached on disk next to this file (``cache=True``); ``nogil`` lets a
future thread pool run them side by side.
"""

from __future__ import annotations

import numba
import numpy as np

from sim.streams import _M1, _M2, _S27, _S30, _S31

_S11 = np.uint64(11)
_UNIT = 2.0 ** -53


@numba.njit(cache=True, nogil=True)
def uniform_draws(key: np.ndarray, counter: np.uint64, out: np.ndarray) -> np.ndarray:
    """``out[i]`` = the top 53 bits of splitmix64(``key[i] + counter``) as a float in [0, 1).

    :func:`sim.streams.mix64` and the scaling of :meth:`sim.streams.Stream.uniform`, fused.
    """
    for i in range(key.shape[0]):
        x = key[i] + counter
        x ^= x >> _S30
        x *= _M1
        x ^= x >> _S27
        x *= _M2
        x ^= x >> _S31
        out[i] = np.float64(x >> _S11) * _UNIT
    return out


@numba.njit(cache=True, nogil=True)
def scaled_utility(utility: np.ndarray, temperature: np.ndarray, out: np.ndarray) -> np.ndarray:
    """``out[a, i] = (utility[a, i] - max_b utility[b, i]) / temperature[i]``, options first.

    ``temperature`` has one value per run, or a single value for all runs. Loops run over
    runs innermost, along the rows, so they vectorise.
    """
    options, n = utility.shape
    top = utility[0].copy()
    for a in range(1, options):
        row = utility[a]
        for i in range(n):
            if row[i] > top[i]:
                top[i] = row[i]
    if temperature.shape[0] == 1:
        t = temperature[0]
        for a in range(options):
            for i in range(n):
                out[a, i] = (utility[a, i] - top[i]) / t
    else:
        for a in range(options):
            for i in range(n):
                out[a, i] = (utility[a, i] - top[i]) / temperature[i]
    return out


@numba.njit(cache=True, nogil=True)
def pick_by_weight(weights: np.ndarray, u: np.ndarray, out: np.ndarray) -> np.ndarray:
    """The first option whose cumulative weight exceeds ``u`` times the total, per run.

    ``weights`` is (options, runs), options first; the total and the running sums add the
    options in menu order, as ``weights.sum(axis=0)`` and the cumulative loop of
    :func:`sim.choice.logit_choice` did.
    """
    options, n = weights.shape
    total = weights[0].copy()
    for a in range(1, options):
        for i in range(n):
            total[i] += weights[a, i]
    below = weights[0].copy()
    for i in range(n):
        total[i] *= u[i]                       # the threshold
        out[i] = 1 if total[i] >= below[i] else 0
    for a in range(1, options - 1):
        for i in range(n):
            below[i] += weights[a, i]
            if total[i] >= below[i]:
                out[i] += 1
    return out


def run_param(value) -> np.ndarray:
    """A parameter as a flat float array: one value per run, or one value for all runs.

    What the loops here index with :func:`_at` (unlike ``sim.mechanisms.push.per_run``, which
    shapes a per-run value as a column to broadcast over powers).
    """
    return np.asarray(value, dtype=float).reshape(-1)


@numba.njit(cache=True, nogil=True, inline="always")
def _at(values: np.ndarray, i: int) -> float:
    """``values[i]``, or ``values[0]`` for a parameter shared by every run (length 1)."""
    return values[0] if values.shape[0] == 1 else values[i]


@numba.njit(cache=True, nogil=True, inline="always")
def _maximum(a: float, b: float) -> float:
    """``np.maximum`` of two floats: the larger, NaN if either is NaN."""
    return a if (a >= b or a != a) else b


@numba.njit(cache=True, nogil=True, inline="always")
def _minimum(a: float, b: float) -> float:
    """``np.minimum`` of two floats: the smaller, NaN if either is NaN."""
    return a if (a <= b or a != a) else b


@numba.njit(cache=True, nogil=True)
def replicator_step(align: np.ndarray, total: np.ndarray, rate: np.ndarray,
                    max_step: np.ndarray, new: np.ndarray, step: np.ndarray) -> None:
    """:func:`sim.stages.alignment.replicator` per run, in its operations' order.

    ``align`` and ``total`` are (runs, 4); ``rate`` and ``max_step`` one value per run or one
    for all; ``new`` (runs, 4) and ``step`` (runs,) are written.
    """
    for i in range(align.shape[0]):
        a0, a1, a2, a3 = align[i, 0], align[i, 1], align[i, 2], align[i, 3]
        t0, t1, t2, t3 = total[i, 0], total[i, 1], total[i, 2], total[i, 3]
        mean = a0 * t0 + a1 * t1 + a2 * t2 + a3 * t3
        d0, d1, d2, d3 = t0 - mean, t1 - mean, t2 - mean, t3 - mean
        widest = _maximum(_maximum(abs(d0), abs(d1)), _maximum(abs(d2), abs(d3)))
        widest = _maximum(widest, 1e-300)
        s = _minimum(_at(rate, i), _at(max_step, i) / widest)
        n0 = s * a0 * d0 + a0
        n1 = s * a1 * d1 + a1
        n2 = s * a2 * d2 + a2
        n3 = s * a3 * d3 + a3
        norm = n0 + n1 + n2 + n3
        new[i, 0], new[i, 1], new[i, 2], new[i, 3] = n0 / norm, n1 / norm, n2 / norm, n3 / norm
        step[i] = s


@numba.njit(cache=True, nogil=True, inline="always")
def _gradient(align: np.ndarray, i: int, k: int, cap: float, floor: float) -> float:
    """Run ``i``'s gradient of M16's concentration for power ``k``: ``2 (over - under)``.

    ``over = max(0, bloc - cap)``, the bloc's share being RUS, CHN and the West (USA + EU)
    for both Western powers; ``under = max(0, floor - a_k)``.
    """
    bloc = align[i, k] if k < 2 else align[i, 2] + align[i, 3]
    return (_maximum(0.0, bloc - cap) - _maximum(0.0, floor - align[i, k])) * 2.0


@numba.njit(cache=True, nogil=True)
def concentration_gradient(align: np.ndarray, cap: np.ndarray, floor: np.ndarray,
                           out: np.ndarray) -> np.ndarray:
    """:func:`sim.mechanisms.domestic.concentration_gradient` per run, in its order."""
    for i in range(align.shape[0]):
        c, fl = _at(cap, i), _at(floor, i)
        for k in range(4):
            out[i, k] = _gradient(align, i, k, c, fl)
    return out


@numba.njit(cache=True, nogil=True)
def settle_push(push: np.ndarray, scale: np.ndarray, level: np.ndarray, out,
                total: np.ndarray) -> None:
    """``out = push * scale - level`` and ``total += out``, in one pass over (runs, 4).

    ``scale`` has one value per run or one for all; ``level`` is (runs, 4) or (1, 4); all
    arrays are C-contiguous. ``out`` may be None: only the total is kept (nothing reads the
    settled push). The operations and their order are those of
    :func:`sim.stages.alignment.alignment` done as three whole-array steps: scale, subtract
    M25's benchmark level, add to the total.
    """
    n = push.shape[0]
    p, t = push.reshape(-1), total.reshape(-1)
    if scale.shape[0] == 1 and level.shape[0] == n:   # one flat pass (it vectorises)
        s, lv = scale[0], level.reshape(-1)
        if out is None:
            for j in range(4 * n):
                t[j] += p[j] * s - lv[j]
        else:
            o = out.reshape(-1)
            for j in range(4 * n):
                v = p[j] * s - lv[j]
                o[j] = v
                t[j] += v
        return
    shared = level.shape[0] == 1
    for i in range(n):
        s, r = _at(scale, i), 0 if shared else i
        for k in range(4):
            v = p[4 * i + k] * s - level[r, k]
            if out is not None:
                out[i, k] = v
            t[4 * i + k] += v


@numba.njit(cache=True, nogil=True)
def ces_normalise(x: np.ndarray, weights: np.ndarray, total: np.ndarray) -> None:
    """``x *= weights``, ``total`` = the row sums (in column order), ``x /= total``, in place.

    ``x`` is (runs, partners), C-contiguous; ``weights`` (runs, partners) or (1, partners).
    The steps of :func:`sim.economy.substitution.ces_shares` after the power, in one pass.
    """
    shared = weights.shape[0] == 1
    m = x.shape[1]
    for i in range(x.shape[0]):
        j = 0 if shared else i
        s = x[i, 0] * weights[j, 0]
        x[i, 0] = s
        for k in range(1, m):
            v = x[i, k] * weights[j, k]
            x[i, k] = v
            s += v
        total[i] = s
        for k in range(m):
            x[i, k] /= s


def run_vector(value, n: int) -> np.ndarray:
    """``value`` (a scalar or (runs,) array) as a C-contiguous float array of ``n`` values."""
    return contiguous(value, (n,))


def contiguous(value, shape: tuple) -> np.ndarray:
    """``value`` broadcast to ``shape`` as a C-contiguous float array, as a loop here wants.

    ``value`` itself when it already is one (no copy), else a new array.
    """
    if (type(value) is np.ndarray and value.shape == shape and value.dtype == np.float64
            and value.flags.c_contiguous):
        return value
    return np.ascontiguousarray(np.broadcast_to(np.asarray(value, dtype=float), shape))


@numba.njit(cache=True, nogil=True)
def russia_utility(coerce, offered, g_row, o_row, g, o, value, punish, price, budget,
                   coercion_cost, adjust_cost, offer_cost, out) -> np.ndarray:
    """Russia's utility of each (coercion, incentive) option, options first (options, runs).

    The operations of :meth:`sim.policies.russia.RussianPolicy.utility` after the coercion
    and offer terms, in its order: ``coerce[g_row] + offered[o_row]``, times the value of a
    push, plus ``punish·g``, less the costs of coercion, of the incentive price and of
    adjustment, less 1e6 where the levers' spending exceeds ``budget`` (already
    ``budget·capacity + 1e-12``). ``g``, ``o`` and the rows are per option; every other
    input has one value per run (:func:`run_vector`).
    """
    for a in range(g.shape[0]):
        ga, oa = g[a], o[a]
        cg, co = coerce[g_row[a]], offered[o_row[a]]
        raised = ga > 0.0 or oa > 0.0
        for i in range(out.shape[1]):
            u = cg[i] + co[i]
            u *= value[i]
            u += punish[i] * ga
            u -= coercion_cost[i] * ga
            u -= price[i] * oa
            u -= adjust_cost[i] * (oa * oa)
            spent = coercion_cost[i] * ga + offer_cost[i] * _maximum(oa, 0.0)
            out[a, i] = u - 1e6 if (spent > budget[i] and raised) else u
    return out


@numba.njit(cache=True, nogil=True)
def china_utility(worth, pull, row, trade_value, cost, effort, discontent, tp, share,
                  out) -> np.ndarray:
    """China's utility of each (trade push, investment share) option (options, runs).

    The operations of :meth:`sim.policies.china.SteadyCourtship.decide` in its order:
    ``worth·pull + trade_value·tp - cost·share² - effort·tp² - discontent·(share + tp)``.
    ``pull`` is (levels, runs), one row per investment level, read through ``row``; ``tp``,
    ``share`` and ``row`` are per option; ``worth`` has one value per run; ``trade_value``
    (the trade value times the opportunity), ``cost``, ``effort`` and ``discontent`` (the
    discontent weight times the discontent) one per run or one for all.
    """
    for a in range(tp.shape[0]):
        t, sh, r = tp[a], share[a], row[a]
        sq, tq, both = sh * sh, t * t, sh + t
        for i in range(out.shape[1]):
            u = worth[i] * pull[r, i]
            u += _at(trade_value, i) * t
            u -= _at(cost, i) * sq
            u -= _at(effort, i) * tq
            u -= _at(discontent, i) * both
            out[a, i] = u
    return out


@numba.njit(cache=True, nogil=True)
def doctrine_weights(align, cap, floor, weight, lean, scale, out) -> np.ndarray:
    """Kazakhstan's value (4, runs) of a sustained unit push on each power, powers first.

    The operations of ``sim.policies.kazakhstan._View.doctrine`` in its order: the gradient
    ``g = -weight·grad(concentration) + lean`` (:func:`concentration_gradient`'s steps),
    ``m = sum_k g_k a_k`` (columns in order) and ``scale·a_k·(g_k - m)``. ``lean`` is
    (runs, 4) (a stride-0 view for a constant); ``cap``, ``floor``, ``weight`` and ``scale``
    hold one value per run or one for all.
    """
    g = np.empty(4)
    for i in range(align.shape[0]):
        c, fl, w, s = _at(cap, i), _at(floor, i), -_at(weight, i), _at(scale, i)
        for k in range(4):
            g[k] = w * _gradient(align, i, k, c, fl) + lean[i, k]
        mean = g[0] * align[i, 0] + g[1] * align[i, 1]
        mean += g[2] * align[i, 2]
        mean += g[3] * align[i, 3]
        for k in range(4):
            out[k, i] = (s * align[i, k]) * (g[k] - mean)
    return out


@numba.njit(cache=True, nogil=True)
def adjusted_costs(cost, growth, tau_used, adjustment, out) -> np.ndarray:
    """M22's costs in use (runs, partners), moved part of the way to today's costs.

    Today's are ``max(1 + cost, 0.05)·growth``; the step is ``(today - tau_used)·adjustment
    + tau_used``. :func:`sim.economy.substitution.cost_index` then
    :func:`~sim.economy.substitution.adjust`, in their order, in one pass; ``adjustment``
    has one value per run or one for all.
    """
    for i in range(out.shape[0]):
        a = _at(adjustment, i)
        for k in range(out.shape[1]):
            today = _maximum(1.0 + cost[i, k], 0.05) * growth[i, k]
            out[i, k] = (today - tau_used[i, k]) * a + tau_used[i, k]
    return out
