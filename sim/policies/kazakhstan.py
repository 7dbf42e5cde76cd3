"""Kazakhstan's policies: how the balancer enforces, complies, signals and weighs pushes.

All four share one decision skeleton and differ by the portfolio they steer toward, how much
they let outside pushes move them, and their lean.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.blocs import CHN, EU, RUS, USA
from sim.policies.base import KazAction, Observation, Policy, clip01
from sim.schema import effect
from sim.streams import Stream


@dataclass(frozen=True)
class KazParams:
    """Parameters every Kazakh policy has (values in ``configs/policy_params``; assumptions)."""

    responsiveness: float = field(metadata=effect(
        0, 5, "", "multiplier on all outside pushes", "assumption", (0.25, 3.0)))
    doctrine_weight: float = field(metadata=effect(
        0, 5, "", "strength of the pull toward the target portfolio",
        "assumption (0 for bandwagon: no doctrine)", (0.0, 0.6)))
    enforcement: float = field(metadata=effect(
        0, 1, "", "baseline anti-evasion effort", "assumption", (0.1, 0.9)))
    enforcement_response: float = field(metadata=effect(
        0, 5, "", "extra effort per unit Western secondary pressure", "assumption", (0.1, 1.0)))
    compliance: float = field(metadata=effect(
        0, 1, "", "baseline compliance with the sanctions regime", "assumption", (0.4, 1.0)))
    unfairness_response: float = field(metadata=effect(
        0, 5, "", "fall in effort and compliance per unit unfairness (M6)", "assumption",
        (0.15, 1.0)))
    signal_rate: float = field(metadata=effect(
        0, 1, "1/month", "probability of a public westward signal in a month",
        "assumption (E08: non-recognition at SPIEF, June 2022)", (0.02, 0.4)))
    signal_size: float = field(metadata=effect(
        -1, 1, "", "size of a signal (negative: toward Russia)", "assumption", (0.1, 0.8)))
    coordination: float = field(metadata=effect(
        0, 1, "", "effort for a joint Central Asian position (M19)",
        "assumption (crossfire_2023: 'a unified regional position')", (0.1, 0.8)))


class KazakhPolicy(Policy):
    """Shared skeleton: enforcement and compliance respond to pressure and unfairness."""

    actors = ("KAZ",)
    stochastic = True
    Params = KazParams

    def target(self, obs: Observation) -> np.ndarray:
        """The portfolio the doctrine steers toward (default: the 2021 alignment)."""
        return obs.refs.align0

    def lean(self, obs: Observation):
        """An extra push of the policy's own (default none)."""
        return 0.0

    def decide(self, obs: Observation, stream: Stream) -> KazAction:
        """Choose effort, compliance, a signal and how pushes are weighed."""
        p, st = self.params, obs.state
        signal = (stream.uniform(obs.turn, 0) < p.signal_rate) * p.signal_size
        return KazAction(
            enforcement=clip01(p.enforcement + p.enforcement_response * st.west_pressure
                               - p.unfairness_response * st.unfairness),
            compliance=clip01(p.compliance - p.unfairness_response * st.unfairness),
            signal=signal,
            coordination=p.coordination,
            responsiveness=p.responsiveness,
            doctrine_weight=p.doctrine_weight,
            target=self.target(obs),
            lean=self.lean(obs),
        )


class Multivector(KazakhPolicy):
    """Keep ties diversified: respond to net incentives, pull back toward the 2021 balance.

    Names: the multi-vector doctrine of all five articles; burkewhite2022_hill ("must maintain
    relations with Moscow and Beijing, Washington and Brussels"), bokhari2022_wt.
    """

    name = "multivector"
    sources = ("burkewhite2022_hill", "bokhari2022_wt", "bokhari2023_hill")


@dataclass(frozen=True)
class BandwagonParams(KazParams):
    """Bandwagon adds momentum: how strongly last month's net push is followed again."""

    momentum: float = field(default=1.0, metadata=effect(
        0, 5, "", "share of last month's push repeated", "assumption", (0.25, 1.0)))


class Bandwagon(KazakhPolicy):
    """Follow the largest net benefit: no doctrine pull, last month's push is followed again.

    Names: the alternative the articles warn of — crossfire_2023 ("Any missteps here could lead
    Kazakhstan to align more closely with Russia or China").
    """

    name = "bandwagon"
    sources = ("crossfire_2023",)
    Params = BandwagonParams

    def lean(self, obs: Observation):
        """Momentum: repeat last month's net push."""
        return self.params.momentum * obs.state.last_push


@dataclass(frozen=True)
class PivotParams(KazParams):
    """Westward pivot adds how much alignment share the target moves to the West."""

    pivot: float = field(default=0.15, metadata=effect(
        0, 0.9, "", "share moved from Russia and China to the West in the target",
        "assumption", (0.05, 0.3)))


class WestwardPivot(KazakhPolicy):
    """Steer toward a more Western portfolio while keeping ties with all.

    Names: pirbudagyan2022_isd ("As long as the West is willing, Astana will follow suit");
    bokhari2022_wt (distancing "from the Russian behavior that the world deplores").
    """

    name = "westward_pivot"
    sources = ("pirbudagyan2022_isd", "bokhari2022_wt")
    Params = PivotParams

    def target(self, obs: Observation) -> np.ndarray:
        """The 2021 portfolio with ``pivot`` of share moved from Russia and China to the West."""
        a0 = np.asarray(obs.refs.align0, dtype=float)
        east, west = a0[RUS] + a0[CHN], a0[USA] + a0[EU]
        shift = min(self.params.pivot, east * 0.95)
        out = a0.copy()
        out[[RUS, CHN]] *= 1.0 - shift / east
        out[[USA, EU]] *= 1.0 + shift / west
        return out


class StatusQuo(KazakhPolicy):
    """Hold the 2021 position: strong doctrine pull, weak response to outside pushes.

    Names: bokhari2023_hill (the hope that "its balancing act would get it through this
    conflict with minimal cost").
    """

    name = "status_quo"
    sources = ("bokhari2023_hill",)

