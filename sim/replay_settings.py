"""Typed settings of ``kzsim calibrate`` (``calibration.*``) and ``kzsim hindcast``.

Both commands replay history with every run's trajectory in memory, so besides types and
ranges the settings check, before any run, that the batch fits in memory
(:mod:`sim.resources`). Plain Python, built with :func:`sim.schema.build`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sim.design import month_index
from sim.errors import ConfigError
from sim.resources import check_trajectories
from sim.schema import spec


def replay_months(start: str, last_year: int) -> int:
    """Months a replay simulates: from ``start`` through December of ``last_year``."""
    return month_index(f"{last_year}-12", "end") - month_index(start, "start") + 1


@dataclass(frozen=True)
class CalibrationSettings:
    """``calibration.*``: which targets, how many candidates, how many paired seeds each."""

    targets: str = field(metadata=spec(doc="configs/targets/<name>.yaml"))
    candidates: int = field(metadata=spec(1, 10_000_000, "", "Latin-hypercube candidates"))
    refine: int = field(metadata=spec(1, 10_000_000, "", "candidates around the best"))
    replications: int = field(metadata=spec(1, 100_000, "", "paired seeds per candidate"))

    def check_resources(self, start: str) -> None:
        """Each round's candidates x replications run in one batch through December 2022."""
        months = max(1, replay_months(start, 2022))
        if self.candidates >= self.refine + 1:
            setting, value = "calibration.candidates", self.candidates
        else:
            setting, value = "calibration.refine", self.refine + 1
        check_trajectories(value * self.replications, months, setting, value,
                           per=self.replications,
                           detail=f"{value:,} candidates x {self.replications:,} replications of "
                                  f"{months} months in one batch")


@dataclass(frozen=True)
class HindcastSettings:
    """``hindcast.*``: the last year replayed (2023 on are predictions)."""

    last_year: int = field(metadata=spec(2022, 2030, "", "replay through December of this year"))

    def check_resources(self, start: str, runs: int) -> None:
        """All ``runs`` replays from ``start`` through ``last_year`` are held in memory."""
        months = max(1, replay_months(start, self.last_year))
        check_trajectories(runs, months, "runs", runs,
                           detail=f"every run's {months} months are kept in memory")


SCALES = ("errors", "spread")
"""``fit.scale``: residuals over stated errors, or over the prior-predictive spread (MAD)."""
WINDOWS = ("2022", "2014-2022")
"""``fit.window``: the 2022 replay alone, or with the 2014-2021 spin-up."""


@dataclass(frozen=True)
class FitSettings:
    """``fit.*``: the evidence fit (ABC-SMC of the 2022 replay) and its predictive check."""

    targets: str = field(metadata=spec(doc="configs/targets/<name>.yaml (the 2022 targets)"))
    parameters: tuple[str, ...] = field(metadata=spec(
        doc="dotted names fitted, each over its declared prior (params.* or observation.*)"))
    particles: int = field(metadata=spec(200, 100_000, "", "posterior parameter sets kept"))
    drop: float = field(metadata=spec(0.05, 0.95, "", "share of particles replaced and moved "
                                      "each generation (sets the tolerance)"))
    moves: int = field(metadata=spec(1, 10_000, "", "most MCMC moves per generation"))
    generations: int = field(metadata=spec(1, 200, "", "most generations"))
    min_acceptance: float = field(metadata=spec(0.0, 0.5, "", "stop when the moves' acceptance "
                                                "falls below this"))
    max_simulations: int = field(metadata=spec(1_000, 100_000_000, "", "most replays in all"))
    check_draws: int = field(metadata=spec(10, 1_000_000, "", "posterior draws replayed for "
                                           "the predictive check"))
    window: Any = field(default="2022", metadata=spec(
        doc="years fitted: 2022 (the 2022 replay) or 2014-2022 (plus the 2014-2021 spin-up)"))
    scale: str = field(default="errors", metadata=spec(
        doc="distance scale per statistic: errors (stated tolerances, vote sigma) or spread "
            "(prior-predictive MAD)"))

    def validate(self, where: str) -> None:
        """One line for an unknown window or distance scale."""
        if str(self.window) not in WINDOWS:
            raise ConfigError(f"{where}.window={self.window!r} is unknown; valid choices: "
                              f"{', '.join(WINDOWS)}")
        if self.scale not in SCALES:
            raise ConfigError(f"{where}.scale={self.scale!r} is unknown; valid choices: "
                              f"{', '.join(SCALES)}")

    @property
    def prewar(self) -> bool:
        """Whether the window adds the 2014-2021 spin-up (compared as text: 2022 is a number)."""
        return str(self.window) != "2022"

    def check_resources(self, start: str) -> None:
        """The largest batch of full 2022 trajectories must fit in memory."""
        months = max(1, replay_months(start, 2022))
        largest = max(self.particles, self.check_draws)
        setting = "fit.particles" if self.particles >= self.check_draws else "fit.check_draws"
        check_trajectories(largest, months, setting, largest,
                           detail=f"{largest:,} replays of {months} months in one batch")
