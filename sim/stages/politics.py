"""Stages 4, 9 and 10: what the West demands and Kazakhstan feels, incentives, stability."""

from __future__ import annotations

import numpy as np

from sim.blocs import balance_index, row_sum
from sim.mechanisms.sanctions_costs import felt_pressure


def politics(f) -> None:
    """Demands and penalties felt (M4, M6), relief (M5, M19), strain (M2), signals (M20).

    Felt pressure: :func:`sim.mechanisms.sanctions_costs.felt_pressure`.
    """
    f.felt = felt_pressure(f.secondary, f.evasion + f.deterred, f.kaz.compliance, f.penalties,
                           f.gdp, f.p.M4)
    f.unfair = np.zeros(f.n)
    f.relief = 1.0
    f.grievance = f.s.grievance * (1.0 - f.p.M2.grievance_decay)
    f.run("politics")


def incentives(f) -> None:
    """Offers and trade ties (M9, M11-M14), scaled by bridge value (M18).

    Ties read each partner's share of turnover at the baseline's prices
    (:func:`sim.stages.economy.turnover_at_base_prices`).
    """
    turnover = f.turnover_volume
    f.share = turnover / row_sum(turnover)[:, None]
    f.balance_now = balance_index(f.s.align)
    f.incentives = []
    f.run("incentives")


def domestic(f) -> None:
    """Stability (M17): income losses against the no-sanctions run raise unrest."""
    f.stability = f.s.stability
    f.run("domestic")
