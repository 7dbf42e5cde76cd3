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

Utilities have shape (runs, options); a draw is one uniform number per run, so a choice is one
comparison against the cumulative probabilities, with no loop over runs.
"""

from __future__ import annotations

import numpy as np


def logit_probabilities(utility: np.ndarray, temperature) -> np.ndarray:
    """Choice probabilities (runs, options) at ``temperature`` (a scalar or (runs,) array > 0)."""
    t = np.asarray(temperature, dtype=float)
    t = t if t.ndim == 0 else t[:, None]
    z = (utility - utility.max(axis=1, keepdims=True)) / t
    weights = np.exp(z)
    return weights / weights.sum(axis=1, keepdims=True)


def logit_choice(utility: np.ndarray, temperature, u: np.ndarray) -> np.ndarray:
    """Index (runs,) of the option each run picks; ``u`` (runs,) uniform draws in [0, 1).

    At temperature 0 every run takes its best option (the first on ties) and ``u`` is not read.
    """
    utility = np.asarray(utility, dtype=float)
    if np.ndim(temperature) == 0 and temperature <= 0:
        return utility.argmax(axis=1)
    cumulative = np.cumsum(logit_probabilities(utility, np.maximum(temperature, 1e-12)), axis=1)
    picked = (u[:, None] >= cumulative).sum(axis=1)
    return np.minimum(picked, utility.shape[1] - 1)


def pick(menu, index: np.ndarray) -> np.ndarray:
    """The values (runs,) of the chosen options of ``menu`` (a sequence of numbers)."""
    return np.asarray(menu, dtype=float)[index]
