"""Helpers for alignment pushes: (runs, 4) arrays over the powers RUS, CHN, USA, EU.

A push is a monthly change in Kazakhstan's relative attraction to each power. The world
turns the sum of pushes into a change of alignment that stays on the simplex; because that
map is linear in the pushes, each mechanism's share of the change is exact.
"""

from __future__ import annotations

import numpy as np

from sim.blocs import CHN, EU, RUS, USA


def per_run(value):
    """A scalar as is, a per-run (runs,) parameter as a (runs, 1) column.

    Parameters may be per-run arrays (sweeps, comparisons under uncertainty, calibration);
    this lets them broadcast against (runs, powers) arrays.
    """
    value = np.asarray(value, dtype=float)
    return value if value.ndim == 0 else value.reshape(-1, 1)


def push(n: int, rus=0.0, chn=0.0, usa=0.0, eu=0.0) -> np.ndarray:
    """A (n, 4) push array with the given per-power components (scalars or (n,) arrays)."""
    out = np.zeros((n, 4))
    for k, value in ((RUS, rus), (CHN, chn), (USA, usa), (EU, eu)):
        if not (isinstance(value, float) and value == 0.0):
            out[:, k] = value
    return out


def west(n: int, amount, usa_share) -> np.ndarray:
    """A push of ``amount`` on the West, split between USA and EU by ``usa_share``."""
    return push(n, usa=amount * usa_share, eu=amount * (1.0 - usa_share))


def ties(share: np.ndarray, share0: np.ndarray, weight: float) -> np.ndarray:
    """Economic-gravity push: ``weight`` times the change in a partner's trade share since 2021."""
    return weight * (share - share0)
