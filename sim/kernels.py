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
