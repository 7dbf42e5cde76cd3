"""How actors choose: logit (quantal-response) choice over a small menu, for every run at once.

Each actor scores every option of a menu with its own utility (its objectives, weighted, applied
to the option's predicted one-month consequences, which come from the mechanisms' own pure
functions) and picks option ``a`` with probability ``exp(U_a / T) / sum_b exp(U_b / T)``.

- McFadden, D. (1974). Conditional logit analysis of qualitative choice behavior. In Zarembka
  (ed.), *Frontiers in Econometrics*, 105-142: the logit choice rule.
- McKelvey, R. D. & Palfrey, T. R. (1995). Quantal response equilibria for normal form games.
  *Games and Economic Behavior* 10(1), 6-38: best response with bounded rationality; ``T``
  falls to 0 for a best response and rises for noisier choice.
- Bueno de Mesquita, B. (1985, 2002): actors weigh options by expected utility of their
  consequences, the approach behind KAPSARC's KTAB.

Utilities have shape (options, runs), options first, so every reduction over the menu is an
elementwise operation between contiguous rows; a draw is one uniform number per run, so a
choice is one comparison against the cumulative probabilities, with no loop over runs.
"""

from __future__ import annotations

import functools

import numpy as np


def logit_probabilities(utility: np.ndarray, temperature) -> np.ndarray:
    """Choice probabilities (options, runs) at ``temperature`` (a scalar or (runs,) array > 0)."""
    weights = np.exp((utility - utility.max(axis=0)) / np.asarray(temperature, dtype=float))
    return weights / weights.sum(axis=0)


def logit_choice(utility: np.ndarray, temperature, u: np.ndarray) -> np.ndarray:
    """Index (runs,) of the option each run picks; ``utility`` is (options, runs).

    ``u`` (runs,) holds uniform draws in [0, 1). At temperature 0 every run takes its best
    option (the first on ties) and ``u`` is not read. ``utility`` is not changed.
    """
    n = np.shape(u)[0]
    utility = np.asarray(utility, dtype=float)
    if utility.shape[0] == 1:   # a menu of one: nothing to choose
        return np.zeros(n, dtype=np.intp)
    if utility.shape != (utility.shape[0], n):
        utility = np.broadcast_to(utility, (utility.shape[0], n))
    if np.ndim(temperature) == 0 and temperature <= 0:
        return utility.argmax(axis=0)
    from sim import kernels  # Numba loads with the first choice, not with the configuration
    floor = np.maximum(np.asarray(temperature, dtype=float), 1e-12).reshape(-1)
    weights = kernels.scaled_utility(utility, floor, np.empty(utility.shape))
    np.exp(weights, out=weights)
    return kernels.pick_by_weight(weights, np.asarray(u, dtype=float), np.empty(n, np.intp))


def pick(menu, index: np.ndarray) -> np.ndarray:
    """The values (runs,) of the chosen options of ``menu`` (a sequence of numbers)."""
    return np.asarray(menu, dtype=float)[index]


def column(menu) -> np.ndarray:
    """A menu as an (options, 1) column, to broadcast a mechanism's function over options.

    Read-only and shared between calls (menus are fixed class attributes).
    """
    return _column(tuple(np.asarray(menu, dtype=float).tolist()))


def grid(first, second) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of two menus as two (options, 1) columns, ``first`` major.

    Row ``i * len(second) + j`` is the pair (``first[i]``, ``second[j]``). Read-only and
    shared between calls.
    """
    return _grid(tuple(np.asarray(first, dtype=float).tolist()),
                 tuple(np.asarray(second, dtype=float).tolist()))


def distinct(menu_column: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values (levels, 1) of an (options, 1) column and each row's index.

    ``levels[rows]`` is ``menu_column``.

    A term that depends on one lever only is evaluated once per level of that lever and then
    expanded to the options with ``term[rows]``: the same values, fewer operations.
    """
    return _distinct(tuple(np.asarray(menu_column, dtype=float).reshape(-1).tolist()))


@functools.lru_cache(maxsize=256)
def _distinct(values: tuple) -> tuple[np.ndarray, np.ndarray]:
    levels, rows = np.unique(np.asarray(values, dtype=float), return_inverse=True)
    levels = levels[:, None]
    levels.flags.writeable = rows.flags.writeable = False
    return levels, rows


@functools.lru_cache(maxsize=256)
def _column(menu: tuple) -> np.ndarray:
    out = np.asarray(menu, dtype=float)[:, None]
    out.flags.writeable = False
    return out


@functools.lru_cache(maxsize=256)
def _grid(first: tuple, second: tuple) -> tuple[np.ndarray, np.ndarray]:
    a, b = np.meshgrid(np.asarray(first, dtype=float), np.asarray(second, dtype=float),
                       indexing="ij")
    a, b = a.reshape(-1, 1), b.reshape(-1, 1)
    a.flags.writeable = b.flags.writeable = False
    return a, b


def revealed_price(gain: np.ndarray, quantity: np.ndarray, fallback) -> np.ndarray:
    """The price per unit of ``quantity`` that makes the middle option the best response.

    Revealed preference (Samuelson 1938) by inverse optimisation: an actor observed to choose
    the middle of three options ordered by ``quantity`` (arrays (3, runs): ``q0 <= q1 <= q2``)
    is taken to maximise ``gain - p·quantity``, and ``p`` is set so that it does. The middle
    option is a best response for every ``p`` in ``[(g2 - g1)/(q2 - q1), (g1 - g0)/(q1 - q0)]``;
    the midpoint is returned, the price with the widest margin on both sides. Where the
    interval is empty (``gain`` convex in ``quantity``: no price makes the middle option best)
    the chord slope ``(g2 - g0)/(q2 - q0)`` is returned, which leaves the two outer options
    equally good, so the misfit pushes the choice to neither side.

    Degenerate menus never divide by zero: where only the lower step is real (``q2 == q1``,
    the upper option clipped onto the middle) the upper bound less ``fallback/2`` is returned,
    so the middle option beats the lower by ``fallback/2`` per unit; where only the upper step
    is real, the lower bound plus ``fallback/2``; where all three quantities are equal the
    price changes no choice and ``fallback`` is returned. The price may be negative: the
    middle option is then chosen although it gains less than a smaller quantity would (the
    actor values the quantity for itself).
    """
    gain, quantity = np.broadcast_arrays(np.asarray(gain, dtype=float),
                                         np.asarray(quantity, dtype=float))
    fallback = np.asarray(fallback, dtype=float)
    tiny = 1e-9
    step_up, step_down = quantity[2] - quantity[1], quantity[1] - quantity[0]
    up, down = step_up > tiny, step_down > tiny
    lower = (gain[2] - gain[1]) / np.where(up, step_up, 1.0)      # the upper option not better
    upper = (gain[1] - gain[0]) / np.where(down, step_down, 1.0)  # the lower option not better
    chord = (gain[2] - gain[0]) / np.where(up & down, quantity[2] - quantity[0], 1.0)
    both = np.where(lower <= upper, 0.5 * (lower + upper), chord)
    return np.where(up & down, both,
                    np.where(down, upper - 0.5 * fallback,
                             np.where(up, lower + 0.5 * fallback, fallback + 0.0 * gain[0])))


def reveal_once(kept: np.ndarray, reveal) -> np.ndarray:
    """A per-run price revealed once and kept: fill the runs of ``kept`` that are NaN.

    ``kept`` (runs,) holds the prices revealed so far (NaN: not yet); ``reveal()`` returns the
    prices (runs,) revealed now, by :func:`revealed_price` at this month's state, and is called
    only if some run is still NaN. Returns the prices, with the revealed runs filled in. The
    pattern of the revealed-preference prices of the West (``WeighInstruments
    .designation_price``) and Russia (``RussianPolicy.incentive_price``): the price is set in
    the first month the actor weighs the instrument and kept from then on, so the actor adapts
    only to what changes.
    """
    todo = np.isnan(kept)
    if not todo.any():
        return kept
    return np.where(todo, reveal(), kept)
