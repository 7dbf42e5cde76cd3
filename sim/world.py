"""How the world resolves a turn: a short sequence of named stages over a shared frame.

:func:`resolve` is a pure function of (state, actions, context) that returns the next state
and each mechanism's push on alignment. A turn is the stages of :data:`STAGES`, in order;
inside each stage the switched-on mechanisms registered for it (``sim.mechanisms.MECHANISMS``,
field ``stages``) run in registry order. Mechanisms switched off contribute nothing: their
code is not run and every quantity they would change keeps its neutral value.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.history import Extras
from sim.mechanisms import BY_STAGE
from sim.stages import STAGES
from sim.state import Refs, WorldState, first_rows, head
from sim.streams import Stream


@dataclass(frozen=True)
class TurnContext:
    """What a turn needs besides state and actions."""

    turn: int
    months_under: Any
    on: Any            # Mechanisms flags
    params: Any        # Params
    refs: Refs
    west_weights: tuple[float, float]
    streams: dict[str, Stream]
    extras: Extras = field(default_factory=Extras)
    counterfactual: Any = None   # (runs,) row of each run's no-sanctions counterfactual
    benchmark: Any = None   # M25: mechanism id -> its benchmark push (runs, 4) (sim.benchmark)
    keep_pushes: bool = True   # False: nothing reads the settled pushes (TurnResult.pushes {})
    kept_rows: int | None = None   # keep the settled pushes of these first rows only (None: all)


@dataclass
class TurnResult:
    """What a turn produced.

    The next state, each mechanism's effective push (runs, 4; empty when the context's
    ``keep_pushes`` is false), the step scale, the actions the turn resolved (after dated
    events), and what the credit of a push among actors reads beyond the registry
    (``credit``: mechanism id -> (runs,) share; see :mod:`sim.attribution`; empty when the
    pushes are not kept).
    """

    state: WorldState
    pushes: dict[str, np.ndarray]
    shock: np.ndarray
    step: np.ndarray
    usa_share: np.ndarray
    west_outlay: np.ndarray   # USD bn/yr the West paid: compensation + engagement
    actions: dict[str, Any] = field(default_factory=dict)
    credit: dict[str, np.ndarray] = field(default_factory=dict)


class Frame:
    """One turn's working values.

    The previous state ``s``, the actions, the context, the pushes so far and whatever earlier
    stages computed (attributes set by the stages).
    """

    def __init__(self, s: WorldState, act: dict, ctx: TurnContext):
        self.s, self.act, self.ctx = s, act, ctx
        self.on, self.p, self.r, self.t = ctx.on, ctx.params, ctx.refs, ctx.turn
        self.n = s.align.shape[0]
        self.pushes: dict[str, np.ndarray] = {}
        self.credit: dict[str, np.ndarray] = {}   # TurnResult.credit, when pushes are kept
        self._summed: set[str] = set()   # pushes that are sums this frame owns
        self.next: dict[str, Any] = {}
        self.benchmark_levels: dict[str, np.ndarray] | None = None   # set by M25

    def add_push(self, mid: str, value: np.ndarray) -> None:
        """Add ``value`` (runs, 4) to mechanism ``mid``'s push.

        The first value is kept as given (it may be shared); the first sum is a fresh array,
        to which later values are added in place.
        """
        if mid not in self.pushes:
            self.pushes[mid] = value
        elif mid in self._summed:
            self.pushes[mid] += value
        else:
            self.pushes[mid] = self.pushes[mid] + value
            self._summed.add(mid)

    def add_cost(self, partner: int, amount) -> None:
        """Add an ad-valorem trade cost with ``partner`` to both imports and exports (M22)."""
        self.cost_m[:, partner] += amount
        self.cost_x[:, partner] += amount

    def run(self, stage: str) -> None:
        """Run the switched-on mechanisms registered for ``stage``, in registry order."""
        for mid, apply in BY_STAGE.get(stage, ()):
            if getattr(self.on, mid):
                apply(self)

    def vector(self, x) -> np.ndarray:
        """``x`` as a (runs,) float array.

        Returns ``x`` itself when it already is one: states are never changed in place, so
        sharing is safe.
        """
        if isinstance(x, np.ndarray) and x.shape == (self.n,) and x.dtype == np.float64:
            return x
        return np.broadcast_to(x, (self.n,)).astype(float)


def head_actions(actions: dict, n: int, rows: int) -> dict:
    """Every actor's action restricted to the first ``n`` of ``rows`` rows."""
    return {code: dataclasses.replace(a, **{f.name: first_rows(getattr(a, f.name), n, rows)
                                            for f in dataclasses.fields(a)})
            for code, a in actions.items()}


def head_result(result: TurnResult, n: int) -> TurnResult:
    """A turn's result for its first ``n`` rows (the runs of a batch with counterfactuals)."""
    rows = result.step.shape[0]
    return TurnResult(head(result.state, n), {mid: v[:n] for mid, v in result.pushes.items()},
                      *(first_rows(v, n, rows) for v in (result.shock, result.step,
                                                        result.usa_share, result.west_outlay)),
                      head_actions(result.actions, n, rows),
                      {mid: first_rows(v, n, rows) for mid, v in result.credit.items()})


def resolve(s: WorldState, act: dict, ctx: TurnContext) -> TurnResult:
    """Apply every stage of a turn to the actions of all actors; return the next state."""
    f = Frame(s, act, ctx)
    for stage in STAGES:
        stage(f)
    state = WorldState(**f.next)
    outlay = f.vector(f.compensation_paid + f.usa.engagement_bn + f.eu.engagement_bn)
    return TurnResult(state, f.pushes, f.shock, f.step, f.usa_share, outlay, act, f.credit)
