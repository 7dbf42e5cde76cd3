"""Per-turn trajectories: the state columns a user reads, and the "why" columns."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from sim.attribution import by_actor, by_mechanism
from sim.blocs import ACTORS, PARTNERS, POWERS, balance_index
from sim.economy.oil import ROUTES
from sim.mechanisms import PUSHING_IDS
from sim.state import WorldState
from sim.world import TurnResult

SOURCES = (*PUSHING_IDS, "shock")
CONTRIB_MECHANISM = tuple(f"contrib_{m}_{p.lower()}" for m in SOURCES for p in POWERS)
CONTRIB_ACTOR = tuple(f"contrib_{a}_{p.lower()}" for a in ACTORS for p in POWERS)


# The columns sim.run puts before the recorded ones (posterior_particle with a posterior)
FRAME_COLUMNS = ("run", "seed", "turn", "date", "posterior_particle")

NOT_RECORDED = ("lean",)   # Kazakhstan's lean: a push (runs, 4), not one number per run


def _levers(code: str, action_type) -> list[tuple[str, str]]:
    """(field, column name) of every recorded lever of an actor's action type."""
    return [(f.name, f"act_{code.lower()}_"
             + (f.name[:-3] + "_usd_bn" if f.name.endswith("_bn") else f.name))
            for f in dataclasses.fields(action_type) if f.name not in NOT_RECORDED]


def action_columns(actions: dict, n: int) -> dict[str, np.ndarray]:
    """One column per actor and lever, ``act_<actor>_<lever>`` (USD amounts end ``_usd_bn``).

    Levers that are not one number per run (``NOT_RECORDED``) are left out.
    """
    return {name: np.broadcast_to(getattr(actions[code], field), (n,)).astype(float)
            for code in ACTORS for field, name in _levers(code, actions[code])}


def action_names() -> list[str]:
    """The action column names, in the order :func:`action_columns` gives them."""
    from sim.policies.base import ChnAction, KazAction, RusAction, WestAction
    types = {"KAZ": KazAction, "RUS": RusAction, "CHN": ChnAction, "USA": WestAction,
             "EU": WestAction}
    return [name for code in ACTORS for _, name in _levers(code, types[code])]


def state_columns(s: WorldState) -> dict[str, np.ndarray]:
    """The readable quantities of a state, one array (runs,) each."""
    cols = {f"align_{p.lower()}": s.align[:, k] for k, p in enumerate(POWERS)}
    cols["balance_index"] = balance_index(s.align)
    cols["welfare"] = s.welfare
    cols["stability"] = s.stability
    cols["evasion_usd_bn"] = s.evasion
    cols["reexports_west_usd_bn"] = s.reexports_west
    cols["reexports_chn_usd_bn"] = s.reexports_chn
    cols["high_priority_exports_usd_bn"] = s.reexports
    cols["gdp_usd_bn"] = s.gdp
    cols["oil_price"] = s.oil_price
    for k, p in enumerate(PARTNERS):
        cols[f"trade_{p.lower()}_usd_bn"] = s.exports[:, k] + s.imports[:, k]
    for k, p in enumerate(PARTNERS):
        cols[f"exports_{p.lower()}_usd_bn"] = s.exports[:, k]
        cols[f"imports_{p.lower()}_usd_bn"] = s.imports[:, k]
    cols["oil_share_via_russia"] = s.oil_share
    for k, route in enumerate(ROUTES):
        cols[f"oil_{route}_mt"] = s.oil_routes[:, k]
    cols["oil_shut_in_mt"] = s.oil_lost_mt
    cols["middle_corridor_mt"] = s.corridor_mt
    cols["caspian_oil_mt"] = s.caspian_oil_mt
    cols["russia_capacity"] = s.capacity
    cols["sanctions_intensity"] = s.intensity
    cols["pressure_on_russia"] = s.pressure
    cols["pressure_on_russia_usd_bn"] = s.pressure_usd
    cols["leakage"] = s.leakage
    cols["penalties_usd_bn"] = s.penalties
    cols["felt_pressure"] = s.felt_pressure
    cols["secondary_pressure"] = s.west_pressure
    cols["enforcement"] = s.enforcement
    cols["compliance"] = s.compliance
    cols["grievance"] = s.grievance
    cols["cpc_disruption_days"] = s.cpc_days
    cols["income_loss_share"] = s.loss_share
    cols["welfare_loss_usd_bn"] = s.loss_usd
    cols["real_income_usd_bn"] = s.income
    return cols


def column_names(initial: WorldState) -> list[str]:
    """Every column a trajectory records, in order: state, actions, contributions."""
    return (list(state_columns(initial)) + action_names() + list(CONTRIB_MECHANISM)
            + list(CONTRIB_ACTOR))


class TrajectoryRecorder:
    """Collects every turn's state columns, actions and contributions for a batch of runs.

    ``columns`` (default all, :func:`column_names`) names the columns kept; they are kept in
    :func:`column_names`' order, once each. The frame's own columns (:data:`FRAME_COLUMNS`)
    may be named and are ignored here; any other unknown name is a ``ValueError``. Without a
    ``contrib_*`` column the contributions are not computed and the model need not keep the
    pushes (``reads_pushes``); without an ``act_*`` column the actions are not copied.
    """

    def __init__(self, initial: WorldState, turns: int, columns: Sequence[str] | None = None):
        n = initial.align.shape[0]
        every = column_names(initial)
        if columns is None:
            self.names = every
        else:
            if isinstance(columns, str):
                raise TypeError(f"columns must be a list of column names, not the string "
                                f"{columns!r}")
            wanted = set(columns) - set(FRAME_COLUMNS)
            unknown = sorted(wanted - set(every))
            if unknown:
                raise ValueError(f"unknown trajectory column(s) {', '.join(unknown)}; the "
                                 f"columns are {', '.join(every)}")
            self.names = [name for name in every if name in wanted]
        self.reads_pushes = any(name.startswith("contrib_") for name in self.names)
        self._reads_actions = any(name.startswith("act_") for name in self.names)
        self.data = np.zeros((len(self.names), turns + 1, n))
        self._index = {name: i for i, name in enumerate(self.names)}
        self._fill(0, state_columns(initial))
        if self._reads_actions:   # nobody has acted yet
            self._fill(0, {name: np.full(n, np.nan) for name in action_names()})
        self.n = n

    def _fill(self, turn: int, cols: dict) -> None:
        for name, values in cols.items():
            i = self._index.get(name)
            if i is not None:
                self.data[i, turn] = values

    def __call__(self, turn: int, previous: WorldState, result: TurnResult) -> None:
        """Record the state after ``turn`` and why alignment moved during it."""
        self._fill(turn, state_columns(result.state))
        if self._reads_actions:
            self._fill(turn, action_columns(result.actions, self.n))
        if not self.reads_pushes:
            return
        mech = by_mechanism(previous.align, result.pushes, result.shock, result.step)
        who = by_actor(previous.align, result.pushes, result.step, result.usa_share,
                       result.credit)
        for source, change in (*mech.items(), *who.items()):
            for k, p in enumerate(POWERS):
                i = self._index.get(f"contrib_{source}_{p.lower()}")
                if i is not None:
                    self.data[i, turn] = change[:, k]

    def columns(self) -> dict[str, np.ndarray]:
        """Every kept column flattened run-major: index = run * (turns + 1) + turn."""
        return {name: self.data[i].T.reshape(-1) for i, name in enumerate(self.names)}
