"""Stages 4, 9 and 10: what the West demands and Kazakhstan feels, incentives, stability."""

from __future__ import annotations

import numpy as np

from sim.blocs import balance_index


def politics(f) -> None:
    """Demands and penalties felt (M4, M6), relief (M5, M19), strain (M2), signals (M20).

    Felt pressure is what the West actually does to Kazakhstan: demands in proportion to its
    secondary enforcement and to the flow of sanctioned goods it polices on the Kazakh route
    (evaded or deterred), plus the penalties imposed on detected evasion. With nothing
    sanctioned there is nothing to police and nothing is felt.
    """
    bf = f.p.M4
    policed = f.evasion + f.deterred
    f.felt = (f.secondary * np.minimum(1.0, policed / bf.evasion_ref)
              + bf.penalty_weight * f.penalties / f.gdp)
    f.unfair = np.zeros(f.n)
    f.relief = 1.0
    f.grievance = f.s.grievance * (1.0 - f.p.M2.grievance_decay)
    f.run("politics")


def incentives(f) -> None:
    """Offers and trade ties (M9, M11-M14), scaled by bridge value (M18)."""
    turnover = f.exports + f.imports
    f.share = turnover / turnover.sum(axis=1, keepdims=True)
    f.balance_now = balance_index(f.s.align)
    f.incentives = []
    f.run("incentives")


def domestic(f) -> None:
    """Stability (M17): income losses against the no-sanctions run raise unrest."""
    f.stability = f.s.stability
    f.run("domestic")
