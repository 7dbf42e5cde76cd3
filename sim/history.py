"""Dated events fed into a replay: 2022-2025 (hindcast, calibration) and 2014-2021 (spin-up).

Each event names its kind, its month, its size and the row of ``data/kz_observed.csv`` it
comes from (or says ``assumption`` / ``fitted``). Events act after the actors have decided and
before the world resolves, by overriding or adding to actions, or by shocking the state; the
kinds are the small pure functions in ``KINDS``. Forward runs have no events.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.baseline import data_refs, event_ids, row_ids
from sim.blocs import PARTNERS
from sim.design import month_index
from sim.errors import ConfigError
from sim.schema import spec


@dataclass(frozen=True)
class Event:
    """One dated event."""

    date: str = field(metadata=spec(doc="month, YYYY-MM"))
    kind: str = field(metadata=spec(doc="one of KINDS"))
    size: float = field(metadata=spec(-10, 10, "", "magnitude (meaning depends on the kind)"))
    months: int = field(default=1, metadata=spec(1, 240, "months", "how long it lasts"))
    partner: str = field(default="", metadata=spec(doc="trade partner for trade_shock"))
    param: str = field(default="", metadata=spec(doc="take the size from params.replay.<param>"))
    source: str = field(default="",
                        metadata=spec(doc="row ids, 'assumption: ...' or 'fitted: ...'"))
    note: str = field(default="", metadata=spec(doc="what happened"))

    def validate(self, where: str) -> None:
        """Known kind, a date, a cited source."""
        if self.kind not in KINDS:
            raise ConfigError(f"{where}.kind '{self.kind}' is unknown; valid kinds: "
                              f"{', '.join(KINDS)}")
        month_index(self.date, f"{where}.date")
        if not (row_ids(self.source) or event_ids(self.source) or data_refs(self.source)
                or self.source.startswith(("assumption", "fitted"))):
            raise ConfigError(f"{where}.source must cite row ids (e.g. 'C11', "
                              "'events_2025/E03' or 'unga_ukraine_votes.csv (A/RES/68/262)') "
                              f"or say 'assumption: ...' or 'fitted: ...', got {self.source!r}")
        if self.kind == "trade_shock" and self.partner.upper() not in PARTNERS:
            raise ConfigError(f"{where}.partner must be one of {', '.join(PARTNERS)}")


@dataclass(frozen=True)
class History:
    """A named event timeline."""

    name: str = field(metadata=spec(doc="timeline name"))
    events: tuple[Event, ...] = field(metadata=spec(doc="the events"))


@dataclass
class Extras:
    """What events hand to the world beyond actions: outages, trade and price shocks."""

    outage_days: float = 0.0
    oil_price: Any = 1.0
    export_price: Any = 1.0
    import_demand: Any = 1.0
    gdp_level: Any = None
    trade_cost: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(5))


def _cpc_outage(e, act, state, x):
    x.outage_days = min(30.0, x.outage_days + 30.0 * e.size)


def _unrest(e, act, state, x):
    state.stability = np.clip(state.stability - e.size, 0.0, 1.0)


def _signal(e, act, state, x):
    act["KAZ"] = dataclasses.replace(act["KAZ"],
                                     signal=np.full_like(np.asarray(state.stability), e.size))


def _security_offer(e, act, state, x):
    act["RUS"] = dataclasses.replace(act["RUS"],
                                     security_offer=np.maximum(act["RUS"].security_offer, e.size))


def _gas_union(e, act, state, x):
    act["RUS"] = dataclasses.replace(act["RUS"], gas_union=np.maximum(act["RUS"].gas_union, e.size))


def _diplomacy(e, act, state, x):
    act["USA"] = dataclasses.replace(act["USA"], diplomacy=np.maximum(act["USA"].diplomacy, e.size))


def _enforcement(e, act, state, x):
    act["KAZ"] = dataclasses.replace(act["KAZ"],
                                     enforcement=np.clip(act["KAZ"].enforcement + e.size, 0, 1))


def _secondary(e, act, state, x):
    for code in ("USA", "EU"):
        act[code] = dataclasses.replace(act[code],
                                        secondary=np.clip(act[code].secondary + e.size, 0, 1))


def _sanctions(e, act, state, x):
    act["USA"] = dataclasses.replace(act["USA"],
                                     sanctions=np.clip(act["USA"].sanctions + e.size, 0, 1))


def _carve_out(e, act, state, x):
    for code in ("USA", "EU"):
        act[code] = dataclasses.replace(act[code],
                                        licences=np.maximum(act[code].licences, e.size))


def _retaliation(e, act, state, x):
    act["RUS"] = dataclasses.replace(act["RUS"],
                                     retaliation=np.clip(act["RUS"].retaliation + e.size, 0, 1))


def _trade_shock(e, act, state, x):
    x.trade_cost = x.trade_cost.copy()
    x.trade_cost[PARTNERS.index(e.partner.upper())] -= e.size


def _us_tariff(e, act, state, x):
    act["USA"] = dataclasses.replace(act["USA"], tariff=act["USA"].tariff + e.size)


def _oil_price(e, act, state, x):
    x.oil_price = x.oil_price * (1.0 + e.size)


def _export_price(e, act, state, x):
    x.export_price = x.export_price * (1.0 + e.size)


def _import_demand(e, act, state, x):
    x.import_demand = x.import_demand * (1.0 + e.size)


def _gdp_level(e, act, state, x):
    x.gdp_level = 1.0 + e.size


KINDS = {
    "cpc_outage": _cpc_outage,       # size: share of the month the CPC is down (1 = all of it)
    "strike": _cpc_outage,           # third-party strike on CPC facilities: same size meaning
    "unrest": _unrest,               # size: stability lost at once
    "signal": _signal,               # size: Kazakh diplomatic signal this month (westward > 0)
    "security_offer": _security_offer,  # size: CSTO offer level while it lasts
    "gas_union": _gas_union,         # size: gas-union offer level while it lasts
    "diplomacy": _diplomacy,         # size: US/C5+1 engagement level while it lasts
    "enforcement": _enforcement,     # size: added Kazakh anti-evasion effort while it lasts
    "secondary": _secondary,         # size: added Western secondary pressure while it lasts
    "sanctions": _sanctions,         # size: added US sanctions intensity while it lasts
    "carve_out": _carve_out,         # size: licence / carve-out level while it lasts (M5, M23)
    "retaliation": _retaliation,     # size: added Russian trade retaliation while it lasts (M2)
    "trade_shock": _trade_shock,     # size: cut in the trade cost with `partner` (M22)
    "us_tariff": _us_tariff,         # size: ad-valorem US tariff on Kazakh goods (the US lever
                                     # `tariff`, read by M22)
    "oil_price": _oil_price,         # size: relative change of oil export prices while it lasts
    "export_price": _export_price,   # size: relative change of non-oil export prices (metals)
    "import_demand": _import_demand,  # size: relative change of Kazakh import spending in USD
                                      # (a tenge devaluation's valuation effect)
    "gdp_level": _gdp_level,         # size: USD GDP relative to the baseline year's, replacing
                                     # M21's trend while it lasts (spin-up years)
}


SANCTIONS_EVENTS = ("secondary", "sanctions", "carve_out")
"""Event kinds that are part of the sanctions regime (a no-sanctions counterfactual skips them)."""


class Schedule:
    """Events by turn, for a model starting at ``start`` (turn 1 = that month)."""

    def __init__(self, history: History | None, start: str, skip: tuple[str, ...] = (),
                 only: tuple[str, ...] | None = None):
        self.by_turn: dict[int, list[Event]] = {}
        if history is None:
            return
        first = month_index(start, "start")
        for e in history.events:
            if e.kind in skip or (only is not None and e.kind not in only):
                continue
            t0 = month_index(e.date, "event date") - first + 1
            for t in range(t0, t0 + e.months):
                if t >= 1:
                    self.by_turn.setdefault(t, []).append(e)

    def apply(self, turn: int, actions: dict, state: Any, params: Any = None) -> Extras:
        """Apply this turn's events to the actions (in place) and state; return the extras.

        An event with ``param`` takes its size from ``params.replay`` (a fitted value, possibly
        a per-run array during a calibration search).
        """
        extras = Extras()
        for e in self.by_turn.get(turn, ()):
            if e.param:
                e = _Sized(e, getattr(params.replay, e.param))
            KINDS[e.kind](e, actions, state, extras)
        return extras

    def apply_where(self, rows: np.ndarray, turn: int, actions: dict, state: Any,
                    params: Any = None) -> None:
        """Apply this turn's events to the actions in the runs where ``rows`` is true only.

        For events that change actions only (the kinds of :data:`SANCTIONS_EVENTS`): the other
        rows keep each lever as it was (a batch's counterfactual rows skip the sanctions
        events).
        """
        if turn not in self.by_turn:
            return
        before = dict(actions)
        self.apply(turn, actions, state, params)
        for code, old in before.items():
            new = actions[code]
            if new is not old:
                actions[code] = dataclasses.replace(old, **{
                    f.name: np.where(rows, getattr(new, f.name), getattr(old, f.name))
                    for f in dataclasses.fields(new)
                    if getattr(new, f.name) is not getattr(old, f.name)})


class _Sized:
    """An event whose size comes from a parameter."""

    def __init__(self, event: Event, size):
        self.__dict__.update(dataclasses.asdict(event))
        self.size = size
