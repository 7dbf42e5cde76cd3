"""Why alignment moved: each mechanism's and each actor's exact share of the change.

The alignment step is linear in the pushes (see :func:`sim.world._replicator`), so a push
``P_m`` contributes ``s * a * (P_m - a . P_m)`` and the contributions of all mechanisms plus
the random shock sum to the change (up to the final renormalisation, ~1e-16).
"""

from __future__ import annotations

import numpy as np

from sim.blocs import ACTORS, POWERS, row_sum
from sim.mechanisms import MECHANISMS


def contribution(align: np.ndarray, push: np.ndarray, step: np.ndarray) -> np.ndarray:
    """The change in alignment (runs, 4) that one push causes."""
    mean = row_sum(align * push)[:, None]
    return step[:, None] * align * (push - mean)


def by_mechanism(align, pushes: dict, shock, step) -> dict[str, np.ndarray]:
    """Contribution of every mechanism that pushed, and of the random shock ("shock")."""
    out = {mid: contribution(align, p, step) for mid, p in pushes.items()}
    out["shock"] = contribution(align, shock, step)
    return out


def by_actor(align, pushes: dict, step, usa_share) -> dict[str, np.ndarray]:
    """Contribution of each actor, from the attribution in the mechanism registry."""
    actor_push = {code: np.zeros_like(align) for code in ACTORS}
    for mid, p in pushes.items():
        who = MECHANISMS[mid].actors
        if who == "WEST":
            actor_push["USA"] += p * usa_share[:, None]
            actor_push["EU"] += p * (1.0 - usa_share[:, None])
        elif who == "OWN":
            for k, power in enumerate(POWERS):
                actor_push[power][:, k] += p[:, k]
        else:
            for code, w in who.items():
                actor_push[code] += w * p
    return {code: contribution(align, p, step) for code, p in actor_push.items()}
