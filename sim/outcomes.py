"""Run outcomes (MODEL.md "Outcomes"): one row per run, accumulated turn by turn.

**Captured** means one thing everywhere in kzsim: a bloc (Russia, China, or the West = US +
EU) holds more than half of Kazakhstan's alignment **at the end of the run**
(``final_captured_rus``, ``final_captured_chn``, ``final_captured_west``). Whether a bloc held
more than half **in any month** is ``ever_captured_*`` (named "ever captured" wherever it is
shown); ``months_captured_*`` counts those months and ``first_capture_turn_*`` is the first
(-1 if never). Every column name says which: there is no bare ``captured_*`` column
(results stored before this rename call the any-month flag ``captured_*``).

:class:`OutcomeAccumulator` is a model observer that keeps running sums instead of
trajectories, so memory does not grow with the number of turns; :func:`outcomes` is the
Python API (``sim.outcomes``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from sim.blocs import POWERS, balance_index, bloc_shares
from sim.state import WorldState
from sim.world import TurnResult

BLOC_NAMES = ("rus", "chn", "west")


class OutcomeAccumulator:
    """Running sums over turns for every run of a batch."""

    reads_pushes = False   # states and outlays only: the model need not keep the pushes

    def __init__(self, initial: WorldState):
        n = initial.align.shape[0]
        self.turns = 0
        self.sum_align = np.zeros((n, 4))
        self.sum_balance = np.zeros(n)
        self.sum_loss = np.zeros(n)
        self.sum_loss_usd = np.zeros(n)
        self.sum_pressure_usd = np.zeros(n)
        self.sum_penalties = np.zeros(n)
        self.sum_displaced_gdp = np.zeros(n)
        self.sum_evasion = np.zeros(n)
        self.sum_leakage = np.zeros(n)
        self.sum_pressure = np.zeros(n)
        self.sum_stability = np.zeros(n)
        self.sum_outlay = np.zeros(n)
        self.min_stability = initial.stability.copy()
        self.months_captured = np.zeros((n, 3))
        self.first_capture = np.full((n, 3), -1.0)
        self.final: WorldState = initial

    def __call__(self, turn: int, previous: WorldState, result: TurnResult) -> None:
        """Add one month."""
        s = result.state
        self.turns += 1
        self.sum_align += s.align
        self.sum_balance += balance_index(s.align)
        self.sum_loss += s.loss_share
        self.sum_loss_usd += s.loss_usd
        self.sum_pressure_usd += s.pressure_usd
        self.sum_penalties += s.penalties
        self.sum_evasion += s.evasion
        self.sum_leakage += s.leakage
        self.sum_pressure += s.pressure
        self.sum_stability += s.stability
        self.sum_outlay += result.west_outlay
        np.minimum(self.min_stability, s.stability, out=self.min_stability)
        captured = bloc_shares(s.align) > 0.5
        self.months_captured += captured
        self.first_capture = np.where((self.first_capture < 0) & captured, turn, self.first_capture)
        self.final = s

    def table(self) -> dict[str, np.ndarray]:
        """Every outcome, one array (runs,) each."""
        t = max(self.turns, 1)
        s = self.final
        out: dict[str, np.ndarray] = {}
        for k, p in enumerate(POWERS):
            out[f"final_align_{p.lower()}"] = s.align[:, k]
        out["final_align_west"] = s.align[:, 2] + s.align[:, 3]
        for k, p in enumerate(POWERS):
            out[f"mean_align_{p.lower()}"] = self.sum_align[:, k] / t
        out["mean_align_west"] = (self.sum_align[:, 2] + self.sum_align[:, 3]) / t
        out["final_balance_index"] = balance_index(s.align)
        out["mean_balance_index"] = self.sum_balance / t
        final_blocs = bloc_shares(s.align) > 0.5
        for k, b in enumerate(BLOC_NAMES):
            out[f"final_captured_{b}"] = final_blocs[:, k]
            out[f"ever_captured_{b}"] = self.months_captured[:, k] > 0
            out[f"months_captured_{b}"] = self.months_captured[:, k]
            out[f"first_capture_turn_{b}"] = self.first_capture[:, k]
        out["welfare_loss_pct_gdp"] = 100.0 * self.sum_loss / t
        out["welfare_loss_usd_bn"] = self.sum_loss_usd / t
        out["final_welfare"] = s.welfare
        out["mean_evasion_usd_bn"] = self.sum_evasion / t
        out["total_evasion_usd_bn"] = self.sum_evasion / 12.0
        out["mean_penalties_usd_bn"] = self.sum_penalties / t
        out["mean_leakage"] = self.sum_leakage / t
        out["mean_pressure_on_russia"] = self.sum_pressure / t
        out["mean_pressure_on_russia_usd_bn"] = self.sum_pressure_usd / t
        out["mean_west_outlay_usd_bn"] = self.sum_outlay / t   # compensation + engagement paid
        out["final_russia_capacity"] = s.capacity
        out["mean_stability"] = self.sum_stability / t
        out["min_stability"] = self.min_stability
        out["final_stability"] = s.stability
        out["cpc_disruption_days"] = s.cpc_days_total
        out["final_oil_share_via_russia"] = s.oil_share
        out["final_middle_corridor_mt"] = s.corridor_mt
        for k, p in enumerate(("rus", "chn", "usa", "eu")):
            out[f"final_trade_{p}_usd_bn"] = s.exports[:, k] + s.imports[:, k]
        out["final_gdp_usd_bn"] = s.gdp
        total = s.exports.sum(axis=1) + s.imports.sum(axis=1)
        out["final_trade_to_gdp"] = total / s.gdp
        return out


def outcomes(config, seeds: int | Sequence[int], turns: int | None = None) -> pd.DataFrame:
    """One row per seed with every outcome of MODEL.md (``sim.outcomes``).

    Columns: ``seed``, final and mean alignment per power and for the West, final and mean
    balance index, capture per bloc (``final_captured_*`` at the end of the run, which is what
    "captured" means; ``ever_captured_*`` in any month; months captured; first month),
    ``welfare_loss_pct_gdp`` and ``welfare_loss_usd_bn`` (mean real income lost against the
    paired no-sanctions run), evasion (mean USD bn/yr and total USD bn), penalties, leakage
    (share of blocked imports reaching Russia anyway), pressure on Russia (share of its 2021
    trade, and USD bn/yr), Russia's final capacity,
    stability (mean, min, final), CPC disruption days, final oil share via Russia, corridor
    and trade by partner.
    """
    from sim.model import KazakhstanModel
    from sim.streams import as_seed_array

    seed_arr = as_seed_array(seeds)
    turns = config.turns if turns is None else int(turns)
    model = KazakhstanModel(config, seed_arr)
    try:
        acc = OutcomeAccumulator(model.state)
        model.observers.append(acc)
        model.run_turns(turns)
    finally:
        model.release()
    return pd.DataFrame({"seed": seed_arr, **acc.table()})
