"""The policy registry: every named policy, looked up by name (never by import string)."""

from __future__ import annotations

from sim.errors import ConfigError
from sim.policies.base import Policy
from sim.policies.china import SteadyCourtship, VacuumFiller
from sim.policies.kazakhstan import Bandwagon, Multivector, StatusQuo, WestwardPivot
from sim.policies.russia import Coercive, Courting, TitForTat
from sim.policies.west import (
    Adaptive,
    FollowDesign,
    Ratchet,
    WeighInstruments,
    WestActorData,
)

POLICIES: dict[str, type[Policy]] = {
    cls.name: cls
    for cls in (Multivector, Bandwagon, WestwardPivot, StatusQuo,
                Coercive, Courting, TitForTat,
                SteadyCourtship, VacuumFiller,
                WeighInstruments, FollowDesign, Ratchet, Adaptive)
}


def policies_for(actor: str) -> list[str]:
    """Names of the policies an actor may use."""
    return [name for name, cls in POLICIES.items() if actor in cls.actors]


def policy_class(actor: str, name: str) -> type[Policy]:
    """Look a policy up by name for an actor; an unknown name lists the valid ones."""
    cls = POLICIES.get(name)
    if cls is None or actor not in cls.actors:
        raise ConfigError(f"unknown policy '{name}' for policy.{actor.lower()}; valid choices: "
                          f"{', '.join(policies_for(actor))}")
    return cls


__all__ = ["POLICIES", "Policy", "WestActorData", "policies_for", "policy_class"]
