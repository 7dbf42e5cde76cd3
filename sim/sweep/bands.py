"""Per-point quantile bands of the main trajectories, over a point's replications."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.blocs import balance_index
from sim.state import WorldState
from sim.world import TurnResult

BAND_VARIABLES = ("align_rus", "align_chn", "align_usa", "align_eu", "align_west",
                  "balance_index", "welfare", "stability", "evasion_usd_bn",
                  "pressure_on_russia", "oil_share_via_russia", "russia_capacity")
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
STATS = ("mean", "q05", "q25", "q50", "q75", "q95")


def _values(s: WorldState) -> np.ndarray:
    a = s.align
    return np.stack([a[:, 0], a[:, 1], a[:, 2], a[:, 3], a[:, 2] + a[:, 3], balance_index(a),
                     s.welfare, s.stability, s.evasion, s.pressure, s.oil_share, s.capacity],
                    axis=1)


class BandCollector:
    """Keeps the main trajectories (float32) every ``every`` turns, turn 0 included."""

    reads_pushes = False   # states only: the model need not keep the pushes

    def __init__(self, initial: WorldState, turns: int, every: int):
        self.every = every
        self.turns = [t for t in range(turns + 1) if t % every == 0 or t == turns]
        n = initial.align.shape[0]
        self.data = np.empty((len(self.turns), n, len(BAND_VARIABLES)), dtype=np.float32)
        self._slot = {t: i for i, t in enumerate(self.turns)}
        self.data[0] = _values(initial)

    def __call__(self, turn: int, previous: WorldState, result: TurnResult) -> None:
        """Keep this turn if it is one of the stored turns."""
        slot = self._slot.get(turn)
        if slot is not None:
            self.data[slot] = _values(result.state)

    def table(self, point_ids: np.ndarray, replications: int) -> pd.DataFrame:
        """Mean and quantiles per (point, turn); runs are ordered point-major."""
        k = len(point_ids)
        data = self.data.reshape(len(self.turns), k, replications, len(BAND_VARIABLES))
        ordered = np.sort(data, axis=2)
        pos = np.array(QUANTILES) * (replications - 1)
        lo = np.floor(pos).astype(int)
        hi = np.minimum(lo + 1, replications - 1)
        frac = (pos - lo).astype(np.float32)[None, None, :, None]
        quant = ordered[:, :, lo, :] * (1 - frac) + ordered[:, :, hi, :] * frac
        mean = data.mean(axis=2, dtype=np.float64).astype(np.float32)
        cols: dict[str, np.ndarray] = {
            "point_id": np.tile(point_ids, len(self.turns)),
            "turn": np.repeat(np.array(self.turns, dtype=np.int32), k),
        }
        for v, name in enumerate(BAND_VARIABLES):
            cols[f"{name}_mean"] = mean[:, :, v].reshape(-1)
            for q, stat in enumerate(STATS[1:]):
                cols[f"{name}_{stat}"] = quant[:, :, q, v].reshape(-1)
        return pd.DataFrame(cols)
