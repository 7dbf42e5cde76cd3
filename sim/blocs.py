"""Index conventions shared by the whole model.

Alignment is a share vector over the four powers ``POWERS``; trade is kept with the five
partners ``PARTNERS`` (the four powers and the rest of the world). Capture and the balance
index use three blocs: Russia, China and the West (USA + EU).
"""

import numpy as np

POWERS = ("RUS", "CHN", "USA", "EU")
PARTNERS = ("RUS", "CHN", "USA", "EU", "ROW")
ACTORS = ("KAZ", "RUS", "CHN", "USA", "EU")
BLOCS = ("RUS", "CHN", "WEST")
RUS, CHN, USA, EU, ROW = range(5)


def bloc_shares(align: np.ndarray) -> np.ndarray:
    """Alignment (runs, 4) as bloc shares (runs, 3): Russia, China, West = USA + EU."""
    return np.stack([align[:, RUS], align[:, CHN], align[:, USA] + align[:, EU]], axis=1)


def row_sum(x: np.ndarray) -> np.ndarray:
    """The sum over the last axis of a (runs, k) array, as ``x.sum(axis=1)`` gives it.

    Columns are added in order, as NumPy adds a short row, so the result is bit-identical;
    on rows of 4 or 5 it is several times faster than NumPy's per-row reduction.
    """
    out = x[:, 0] + x[:, 1]
    for k in range(2, x.shape[1]):
        out += x[:, k]
    return out


def balance_index(align: np.ndarray) -> np.ndarray:
    """1 when ties are spread evenly over Russia, China and the West; 0 when one bloc has all.

    Normalised Herfindahl complement over the three blocs: (1 - sum b^2) / (1 - 1/3).
    """
    west = align[:, USA] + align[:, EU]
    squares = align[:, RUS] * align[:, RUS]
    squares += align[:, CHN] * align[:, CHN]
    squares += west * west
    return (1.0 - squares) * 1.5
