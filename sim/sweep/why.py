"""Per-point mean contributions to alignment change, by mechanism and by actor, every turn."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.attribution import by_actor, by_mechanism
from sim.blocs import ACTORS, POWERS
from sim.mechanisms import PUSHING_IDS
from sim.state import WorldState
from sim.world import TurnResult

WHY_SOURCES = (*PUSHING_IDS, "shock", *ACTORS)


class WhyCollector:
    """Averages each source's contribution over a point's replications, turn by turn."""

    def __init__(self, n_points: int, replications: int, turns: int):
        self.k, self.reps = n_points, replications
        self.data = np.zeros((turns, n_points, len(WHY_SOURCES), 4), dtype=np.float32)
        self._index = {s: i for i, s in enumerate(WHY_SOURCES)}

    def __call__(self, turn: int, previous: WorldState, result: TurnResult) -> None:
        """Record this turn's mean contributions per point."""
        parts = {**by_mechanism(previous.align, result.pushes, result.shock, result.step),
                 **by_actor(previous.align, result.pushes, result.step, result.usa_share,
                            result.credit)}
        for source, change in parts.items():
            self.data[turn - 1, :, self._index[source]] = (
                change.reshape(self.k, self.reps, 4).mean(axis=1))

    def table(self, point_ids: np.ndarray) -> pd.DataFrame:
        """Rows per (point, turn >= 1); columns ``contrib_<source>_<power>``."""
        turns = self.data.shape[0]
        cols = {"point_id": np.tile(point_ids, turns),
                "turn": np.repeat(np.arange(1, turns + 1, dtype=np.int32), self.k)}
        for s, source in enumerate(WHY_SOURCES):
            for p, power in enumerate(POWERS):
                cols[f"contrib_{source}_{power.lower()}"] = self.data[:, :, s, p].reshape(-1)
        return pd.DataFrame(cols)
