"""``optimize.*``: what a design search varies, optimises, requires, and how long it runs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sim.design import NUMERIC_FIELDS, SanctionsDesign
from sim.errors import ConfigError
from sim.schema import spec
from sim.search.objectives import OBJECTIVES, ROBUSTNESS, objectives_named

LEVERS = NUMERIC_FIELDS
"""The sanctions-design fields a search may vary: every numeric field."""


@dataclass(frozen=True)
class OptimizeSettings:
    """``optimize.*``: the levers, objectives, robustness, constraints and budget of a search."""

    levers: Any = field(metadata=spec(doc="design fields searched (null: all eight)"))
    ranges: Any = field(metadata=spec(doc="[low, high] per lever (default: the field's range)"))
    objectives: Any = field(metadata=spec(doc=f"outcomes optimised: {', '.join(OBJECTIVES)}"))
    robustness: str = field(metadata=spec(doc=f"across replications: {', '.join(ROBUSTNESS)}"))
    percentile: float = field(metadata=spec(0, 50, "%", "for robustness=percentile: the "
                                                         "percentile-th worst replication"))
    constraints: Any = field(metadata=spec(doc="bound per objective, in its units (at most for "
                                               "one to minimise, at least for one to maximise)"))
    reference: Any = field(metadata=spec(doc="named designs regret is measured against"))
    population: int = field(metadata=spec(4, 10_000, "", "designs per generation"))
    generations: int = field(metadata=spec(1, 10_000, "", "generations (the budget)"))
    replications: int = field(metadata=spec(1, 100_000, "", "paired runs per design"))
    fresh: bool = field(metadata=spec(doc="discard an existing search in `out`"))

    def validate(self, where: str) -> None:
        """Names, ranges and constraints must make sense before anything runs."""
        self.objective_list()
        lever_ranges = self.lever_ranges()
        if not lever_ranges:
            raise ConfigError(f"{where}.levers is empty; name at least one of "
                              f"{', '.join(LEVERS)}")
        if self.robustness not in ROBUSTNESS:
            raise ConfigError(f"unknown robustness measure {self.robustness!r} for "
                              f"{where}.robustness; valid choices: {', '.join(ROBUSTNESS)}")
        if self.robustness == "regret" and not self.reference:
            raise ConfigError(f"{where}.robustness=regret needs {where}.reference: named "
                              "designs to measure regret against, e.g. [status_quo_2022]")
        constraints = self.constraints or {}
        if not isinstance(constraints, dict):
            raise ConfigError(f"{where}.constraints must map objectives to bounds, e.g. "
                              "{welfare_loss: 1.5}")
        for name, bound in constraints.items():
            if name not in OBJECTIVES:
                raise ConfigError(f"unknown objective {name!r} in {where}.constraints; valid "
                                  f"choices: {', '.join(OBJECTIVES)}")
            if not isinstance(bound, (int, float)) or isinstance(bound, bool):
                raise ConfigError(f"{where}.constraints.{name} must be a number, got {bound!r}")
            o = OBJECTIVES[name]
            low, high = ((0.0, o.possible[1] - o.possible[0]) if self.robustness == "regret"
                         else o.possible)
            at_least = o.maximise and self.robustness != "regret"
            side = "at least" if at_least else "at most"
            # a bound every design meets by definition, or none can, is refused
            if not (low < bound <= high if at_least else low <= bound < high):
                raise ConfigError(f"{where}.constraints.{name}={bound} can never bind usefully: "
                                  f"{o.label} is {side} the bound, and its values lie in "
                                  f"[{low:g}, {high:g}]; give a bound inside that range")

    def objective_list(self):
        """The objectives, checked (:func:`sim.search.objectives.objectives_named`)."""
        names = self.objectives
        if isinstance(names, str) or not isinstance(names, (list, tuple)):
            raise ConfigError("optimize.objectives must be a list, e.g. "
                              "[pressure,welfare_loss,capture]")
        return objectives_named(list(names))

    def lever_ranges(self) -> dict[str, tuple[float, float]]:
        """Each searched lever and its [low, high], checked against the field's own range."""
        names = list(LEVERS) if self.levers is None else self.levers
        if isinstance(names, str) or not isinstance(names, (list, tuple)):
            raise ConfigError("optimize.levers must be a list of design fields, e.g. "
                              "[intensity,secondary_enforcement]")
        ranges = self.ranges or {}
        unknown = [n for n in [*names, *ranges] if n not in LEVERS]
        if unknown:
            raise ConfigError(f"unknown lever {unknown[0]!r} in optimize; valid choices: "
                              f"{', '.join(LEVERS)}")
        out = {}
        for name in names:
            lo, hi = SanctionsDesign.__dataclass_fields__[name].metadata["range"]
            low, high = ranges.get(name, (lo, hi))
            if not (lo <= low < high <= hi):
                raise ConfigError(f"optimize.ranges.{name}=[{low}, {high}] must be increasing "
                                  f"and inside the field's range [{lo}, {hi}]")
            out[name] = (float(low), float(high))
        return out


__all__ = ["LEVERS", "OptimizeSettings"]
