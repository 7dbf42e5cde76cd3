"""What every policy shares: the observation it reads, the actions it returns, its metadata.

A policy is a small class (Axelrod-style): class attributes name it, say which actor may use
it, whether it chooses by logit and which article it comes from; it is stochastic when it
chooses by logit at a temperature above 0 (``Policy.stochastic``). ``decide`` maps the shared
observation (and the actor's own random stream) to an action for every run at once.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from sim.streams import Stream

NO_SANCTIONS = {"sanctions": 0.0, "secondary": 0.0, "compensation": 0.0, "energy_demand": 0.0,
                "designations": 0.0, "anti_circumvention": 0.0, "export_controls": 0.0}
"""What the Western actors do instead of sanctioning in a paired no-sanctions counterfactual
and in M25's quiet benchmark months (engagement stays)."""


def without_sanctions(action, rows=None):
    """A Western action with the :data:`NO_SANCTIONS` levers, in every run or where ``rows``.

    ``rows`` (a boolean (rows,) array) keeps the action's own levers where true: a batch whose
    counterfactual rows follow its runs (:class:`sim.model.KazakhstanModel`).
    """
    if rows is None:
        return dataclasses.replace(action, **NO_SANCTIONS)
    return dataclasses.replace(action, **{lever: np.where(rows, getattr(action, lever), none)
                                          for lever, none in NO_SANCTIONS.items()})


@dataclass(frozen=True)
class Observation:
    """What all actors see at the start of a turn (read-only by convention).

    Attributes:
        turn: the turn being decided (1 = the first month).
        active: whether the sanctions regime is in force this month.
        months_active: months since the regime started (0 before it).
        design: the active sanctions design (fields are floats or per-run arrays).
        state: the world state at the end of the previous turn.
        refs: 2021 reference values (alignment, trade shares, investment).
        params: the model's mechanism parameters: actors predict the consequences of their
            options with the mechanisms' own functions (the Kazakh, Russian and Chinese
            policies need them; the Western ones do not read them).
        last: every actor's action of the previous month (``None`` in the first month).
        bridge: M18's bridge value (runs,) of the current balance (1 with M18 off): how
            much more the powers gain from ties with a balanced Kazakhstan.
        sanctions: ``False`` in a paired no-sanctions counterfactual, where the model replaces
            the Western actors' sanctions levers (:data:`NO_SANCTIONS`) whatever they
            choose, so a policy need not weigh them (its other choices are unchanged).
        runs: in a batch whose counterfactual rows follow its runs, the same observation of
            the runs' rows only (the rows where the sanctions levers are not replaced, so the
            only ones a policy need weigh them in); ``None`` when every row is a run.

    """

    turn: int
    active: bool
    months_active: int
    design: Any
    state: Any
    refs: Any
    params: Any = None
    last: Any = None
    bridge: Any = 1.0
    sanctions: bool = True
    runs: Any = None


@dataclass
class KazAction:
    """Kazakhstan's choices.

    Anti-evasion effort, compliance, its signal (a UN vote or statement: -1 against the West's
    position, 0 abstain, +1 with it, times its size), C5+1 coordination, its own investment in
    routes that bypass Russia (USD bn/yr), and how it weighs pushes (responsiveness, the
    doctrine's weight, and its policy's lean).
    """

    enforcement: Any
    compliance: Any
    signal: Any
    coordination: Any
    route_investment_bn: Any
    responsiveness: Any
    doctrine_weight: Any
    lean: Any = 0.0


@dataclass
class RusAction:
    """Russia's pressures (CPC disruption, threats, retaliation) and incentives (offers)."""

    cpc_pressure: Any
    threat: Any
    retaliation: Any
    eaeu_offer: Any
    security_offer: Any
    gas_union: Any


@dataclass
class ChnAction:
    """China's courtship: trade push in [0, 1] and Belt and Road investment (USD bn/yr)."""

    trade_push: Any
    investment_bn: Any


@dataclass
class WestAction:
    """A Western actor's sanctions on Russia, pressure on Kazakh firms and incentives.

    The last four levers name instruments an actor holds (``WestActorData.instruments``);
    an actor that does not hold one records 0: ``designations`` (the US's secondary pressure
    from designating Kazakh firms caught evading, part of ``secondary``),
    ``anti_circumvention`` (1 while the EU lists Kazakhstan under its anti-circumvention tool,
    Council Regulation (EU) 2023/1214; its effects are structural, ``params.M3`` and
    ``params.M14``), ``export_controls`` (the EU packages' controls on high-priority goods,
    which act through the intensity ``sanctions``) and ``tariff`` (the US's ad-valorem tariff
    on Kazakh goods, set only by dated events, read by M22).
    """

    sanctions: Any
    secondary: Any
    compensation: Any
    licences: Any
    clarity: Any
    coalition_consistency: Any
    engagement_bn: Any
    reform_support: Any
    conditionality: Any
    diplomacy: Any
    energy_demand: Any
    designations: Any = 0.0
    anti_circumvention: Any = 0.0
    export_controls: Any = 0.0
    tariff: Any = 0.0


class Policy:
    """Base class: subclasses set the class attributes and implement :meth:`decide`."""

    name: ClassVar[str]
    actors: ClassVar[tuple[str, ...]]
    sources: ClassVar[tuple[str, ...]]
    chooses_by_logit: ClassVar[bool] = False
    Params: ClassVar[type]

    def __init__(self, params: Any, actor_data: Any = None):
        self.params = params
        self.data = actor_data

    @property
    def stochastic(self) -> bool:
        """Whether :meth:`decide` reads its stream.

        A logit chooser (``chooses_by_logit``) draws its choice at a temperature above 0 in any
        run; at temperature 0 it takes its best response and ignores the stream (McKelvey &
        Palfrey 1995), as a policy that does not choose by logit always does.
        """
        if not self.chooses_by_logit:
            return False
        return bool(np.any(np.asarray(self.params.temperature, dtype=float) > 0))

    def reset(self, n_runs: int) -> None:
        """Clear any memory the policy keeps between turns (per run)."""

    def decide(self, obs: Observation, stream: Stream) -> Any:  # pragma: no cover - abstract
        """Return this actor's action for every run."""
        raise NotImplementedError


def clip01(x):
    """Clip to [0, 1] (``np.clip``; a scalar without NumPy's dispatch, to the same value)."""
    if isinstance(x, float):
        return np.float64(min(max(x, 0.0), 1.0))
    return np.clip(x, 0.0, 1.0)


def west_share(align: np.ndarray) -> np.ndarray:
    """Alignment share of the West (USA + EU), per run."""
    return align[:, 2] + align[:, 3]
