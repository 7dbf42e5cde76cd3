"""Russia's policies: coercion, courtship, and tit-for-tat retaliation with a lag."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.policies.base import Observation, Policy, RusAction, clip01, west_share
from sim.schema import effect
from sim.streams import Stream


@dataclass(frozen=True)
class RusParams:
    """Levels of Russia's levers (values in ``configs/policy_params``; assumptions)."""

    cpc_pressure: float = field(metadata=effect(
        0, 1, "1/month", "baseline probability of a political CPC outage",
        "assumption (bokhari2022_wt: CPC 'blocked on a couple of occasions'; C10)",
        (0.005, 0.1)))
    cpc_response: float = field(metadata=effect(
        0, 1, "1/month", "extra outage probability per unit aggravation", "assumption",
        (0.025, 0.6)))
    threat: float = field(metadata=effect(
        0, 1, "", "baseline sovereignty/security threats",
        "assumption (bokhari2022_wt: Medvedev 'questioned Kazakhstan's sovereignty')",
        (0.05, 0.8)))
    retaliation: float = field(metadata=effect(
        0, 1, "", "baseline trade retaliation", "assumption (0: none before grievance)",
        (0.0, 0.4)))
    grievance_response: float = field(metadata=effect(
        0, 10, "", "extra pressure per unit of grievance", "assumption", (0.15, 2.0)))
    eaeu_offer: float = field(metadata=effect(
        0, 1, "", "EAEU market access offered", "assumption (pirbudagyan2022_isd: EAEU)",
        (0.2, 0.9)))
    security_offer: float = field(metadata=effect(
        0, 1, "", "CSTO security guarantee offered",
        "assumption (burkewhite2022_hill: the CSTO offers security)", (0.2, 0.9)))
    gas_union: float = field(metadata=effect(
        0, 1, "", "'gas union' coordination offered",
        "assumption (bokhari2022_wt: 'gas union'; 0: not offered)", (0.0, 0.8)))


class GrievancePolicy(Policy):
    """Shared skeleton: pressure rises with Moscow's grievance (M2, M20); offers are levels."""

    actors = ("RUS",)
    Params = RusParams

    def pressure(self, obs: Observation, stream: Stream) -> np.ndarray:
        """How aggrieved Moscow acts this month (>= 0)."""
        return self.params.grievance_response * obs.state.grievance

    def decide(self, obs: Observation, stream: Stream) -> RusAction:
        """Pressures rise with grievance; offers are the policy's levels."""
        p = self.params
        g = self.pressure(obs, stream)
        return RusAction(
            cpc_pressure=clip01(p.cpc_pressure + p.cpc_response * g),
            threat=clip01(p.threat + g),
            retaliation=clip01(p.retaliation + g),
            eaeu_offer=p.eaeu_offer,
            security_offer=p.security_offer,
            gas_union=p.gas_union,
        )


class Coercive(GrievancePolicy):
    """Coerce: high threats and CPC disruptions that rise with grievance, thin offers.

    Names: bokhari2022_wt (CPC "blocked on a couple of occasions", Medvedev "questioned
    Kazakhstan's sovereignty"); burkewhite2022_hill ("relies on Russian oil pipelines").
    """

    name = "coercive"
    sources = ("bokhari2022_wt", "burkewhite2022_hill")


class Courting(GrievancePolicy):
    """Court: EAEU access, CSTO guarantees and a "gas union"; little coercion.

    Names: burkewhite2022_hill (through the CSTO "Russia offers international security and
    domestic stability"); bokhari2022_wt ("gas union"); pirbudagyan2022_isd (EAEU).
    """

    name = "courting"
    sources = ("burkewhite2022_hill", "bokhari2022_wt", "pirbudagyan2022_isd")


@dataclass(frozen=True)
class TitForTatParams(RusParams):
    """Tit-for-tat adds the lag and the weights of what counts as a westward move."""

    lag_months: int = field(default=1, metadata=effect(
        0, 24, "months", "delay before retaliating",
        "E08: the CPC court order came 19 days after the June 2022 signal", (0, 3)))
    align_weight: float = field(default=20.0, metadata=effect(
        0, 1000, "", "retaliation per unit monthly rise of Western alignment", "assumption",
        (10.0, 40.0)))
    signal_weight: float = field(default=1.0, metadata=effect(
        0, 10, "", "retaliation per unit westward signal", "assumption", (0.5, 2.0)))


class TitForTat(GrievancePolicy):
    """Retaliate after Kazakh westward moves, with a lag; otherwise court.

    Names: bokhari2022_wt and row E08 (the CPC court order came 19 days after Tokayev's
    non-recognition at SPIEF); bokhari2023_hill (compliance "threatens to aggravate relations
    with Moscow").
    """

    name = "tit_for_tat"
    sources = ("bokhari2022_wt", "bokhari2023_hill")
    Params = TitForTatParams

    def reset(self, n_runs: int) -> None:
        """Empty the memory of westward moves."""
        self._moves = np.zeros((self.params.lag_months + 1, n_runs))
        self._last_west = None

    def pressure(self, obs: Observation, stream: Stream) -> np.ndarray:
        """Westward moves of ``lag_months`` ago (alignment gains and signals), plus grievance."""
        p, st = self.params, obs.state
        west = west_share(st.align)
        gain = 0.0 if self._last_west is None else np.maximum(0.0, west - self._last_west)
        self._last_west = west
        move = p.align_weight * gain + p.signal_weight * np.maximum(0.0, st.signal)
        self._moves = np.roll(self._moves, 1, axis=0)
        self._moves[0] = move
        return self._moves[-1] + p.grievance_response * st.grievance
