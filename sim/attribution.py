"""Why alignment moved: each mechanism's and each actor's exact share of the change.

The alignment step is linear in the pushes (see :func:`sim.world._replicator`), so a push
``P_m`` contributes ``s * a * (P_m - a . P_m)`` and the contributions of all mechanisms plus
the random shock sum to the change (up to the final renormalisation, ~1e-16).

An actor is credited with the pushes its choices cause (the registry's ``actors``). The
convention: a push is credited to the actors whose lever, at zero (no sanctions, no
compliance, no offer or threat; whether or not a policy's menu reaches zero), makes it vanish,
and a push that is the product of such levers is split by its Shapley value (Shapley 1953;
Shorrocks 2013 on decomposing by Shapley values), for a product of two levers half each. The
West's sanctions cause the measured loss, the felt pressure, the re-export trade and Russia's
erosion (M1, M3, M4, M6, M10); M2's strain is Kazakh compliance times the West's intensity, half
each. M17's pull toward Russia is the instability gap times Russia's security offer: half
Russia's, and the gap's half split between the West, for the part the sanctions' loss causes,
and Kazakhstan, for the part of dated events such as the January 2022 unrest (no chooser); its
drag on the West is the gap alone, split the same way
(:func:`sim.mechanisms.domestic.instability_from_losses` measures the loss's part against the
paired no-sanctions run, which shares the events). A choice that only scales a push someone
else causes (Kazakh enforcement on the re-export ties, M3) shows as that push's size, not as a
credit of its own; where a mechanism scales another's push (M10, M15 on M7-M9) the difference
is the modifier's (:func:`sim.mechanisms.russia._split`). M12, the public's discontent with
Chinese influence, has no chooser and is credited to Kazakhstan.
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


def by_actor(align, pushes: dict, step, usa_share, credit: dict | None = None
             ) -> dict[str, np.ndarray]:
    """Contribution of each actor, by the credit in the mechanism registry.

    ``credit`` is the turn's ``TurnResult.credit``: what a mechanism whose registry entry is a
    function (M17) reads (the function is handed None without it).
    """
    actor_push = {code: np.zeros_like(align) for code in ACTORS}
    west = usa_share[:, None]
    for mid, p in pushes.items():
        who = MECHANISMS[mid].actors
        if who == "OWN":
            for k, power in enumerate(POWERS):
                actor_push[power][:, k] += p[:, k]
            continue
        weights = _CREDIT[mid] if mid in _CREDIT else _credit(who((credit or {}).get(mid)))
        for code, w in weights:
            part = p if w is None else w * p
            if code == "WEST":
                actor_push["USA"] += part * west
                actor_push["EU"] += part * (1.0 - west)
            else:
                actor_push[code] += part
    return {code: contribution(align, p, step) for code, p in actor_push.items()}


def _credit(who) -> tuple[tuple[str, np.ndarray | float | None], ...]:
    """A registry entry as (actor, weight) pairs; weight None: the whole push."""
    if who == "WEST":
        return (("WEST", None),)
    return tuple((code, np.asarray(w, dtype=float) if np.ndim(w) else float(w))
                 for code, w in who.items())


_CREDIT = {mid: _credit(m.actors) for mid, m in MECHANISMS.items()
           if m.actors is not None and m.actors != "OWN" and not callable(m.actors)}
