"""The Mesa model: five actors decide at once each month, then the world resolves.

One model instance advances a whole batch of runs in lock-step: every state array has a
leading run axis and every run draws from its own streams, so a run's trajectory is
bit-identical alone or inside any batch. Mesa's own ``model.rng`` is not used for any draw.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import mesa
import numpy as np

from sim.benchmark import benchmark_of
from sim.blocs import ACTORS, balance_index
from sim.config import SimConfig
from sim.design import month_index
from sim.errors import ConfigError
from sim.history import SANCTIONS_EVENTS, Schedule
from sim.mechanisms.domestic import bridge_value
from sim.pairing import counterfactual_runs
from sim.policies import policy_class
from sim.policies.base import NO_SANCTIONS, Observation, Policy
from sim.state import initial_state, refs_from
from sim.streams import Stream, as_seed_array, seed_groups
from sim.world import TurnContext, TurnResult, resolve


class Actor(mesa.Agent):
    """One of the five actors; they differ only by code, policy and data."""

    def __init__(self, model: "KazakhstanModel", code: str, policy: Policy, stream: Stream):
        super().__init__(model)
        self.code = code
        self.policy = policy
        self.stream = stream
        self.action: Any = None

    def decide(self) -> None:
        """Choose this month's action from the shared observation (simultaneous moves)."""
        self.action = self.policy.decide(self.model.observation, self.stream)


class KazakhstanModel(mesa.Model):
    """Kazakhstan's multi-vector balancing between Russia, China, the US and the EU.

    Args:
        config: a validated :class:`~sim.config.SimConfig`.
        seeds: one seed per run of the batch.
        design: optional replacement sanctions design (e.g. with per-run arrays, for sweeps).
        params: optional replacement structural parameters (per-run arrays allowed).
        counterfactual: also advance the paired no-sanctions runs (same seeds and parameters;
            one per distinct pair, :mod:`sim.pairing`) that the welfare loss is measured
            against.
        sanctions: ``False`` for a counterfactual: the US and EU apply no sanctions, no
            secondary pressure and no compensation (engagement stays), and dated sanctions
            events are skipped.
        draw_parameters: with ``config.ensemble == "posterior"``, replace the posterior's
            ``params.*`` fields by each run's parameter set, drawn from its seed
            (:meth:`sim.inference.ensemble.Ensemble.apply`; fields already given as per-run
            arrays are kept). Done once, here: the counterfactual inherits the drawn values
            and is built with ``False``.

    Attributes:
        posterior_particle: each run's particle index in the posterior ensemble (None with
            ``ensemble=point``).

    """

    def __init__(self, config: SimConfig, seeds: Sequence[int], design=None, params=None,
                 counterfactual: bool = True, sanctions: bool = True,
                 draw_parameters: bool = True):
        self.seeds = as_seed_array(seeds)
        super().__init__(seed=0)  # Mesa's RNG is unused: draws come from per-run streams
        self.config = config
        self.design = design if design is not None else config.sanctions
        self.params = params if params is not None else config.params
        self.posterior_particle = None
        if draw_parameters and config.ensemble == "posterior":
            if config.ensemble_data is None:
                raise ConfigError(
                    "ensemble=posterior but no posterior ensemble is attached to this "
                    "configuration; compose it with kzsim.load_config (which loads posterior=), "
                    "attach one with config.with_ensemble(...), or set ensemble=point")
            self.params, self.posterior_particle = config.ensemble_data.apply(self.params,
                                                                              self.seeds)
        self.refs = refs_from(config.baseline)
        self.state = initial_state(len(self.seeds), self.refs, self.params.M3.baseline_flow)
        self.turn = 0
        self.sanctions_turn = month_index(self.design.start, "sanctions.start") - month_index(
            config.start, "start") + 1
        self.sanctions = sanctions
        self.seed_groups = seed_groups(self.seeds)
        self.streams = {code: Stream(self.seeds, f"actor/{code}") for code in ACTORS}
        self.streams["world"] = Stream(self.seeds, "world", self.seed_groups)
        self.observers: list = []
        self.observation: Observation | None = None
        self.last_actions: dict | None = None
        for code in ACTORS:
            name = getattr(config.policy, code.lower())
            data = getattr(config.actors, code.lower(), None)
            policy = policy_class(code, name)(config.policy_parameters(code), data)
            policy.reset(len(self.seeds))
            Actor(self, code, policy, self.streams[code])
        self.actors = {a.code: a for a in self.agents}
        self.schedule = Schedule(config.history, config.start,
                                 skip=() if sanctions else SANCTIONS_EVENTS)
        self.west_weights = (config.actors.usa.weight, config.actors.eu.weight)
        self.shadow: KazakhstanModel | None = None
        if counterfactual:
            seeds_u, params_u, design_u, self.pairs = counterfactual_runs(
                self.seeds, self.params, self.design)
            self.shadow = KazakhstanModel(config, seeds_u, design_u, params_u,
                                          counterfactual=False, sanctions=False,
                                          draw_parameters=False)
        self.benchmark = benchmark_of(self)

    def step(self) -> None:
        """One month.

        Observe, all actors decide, dated events (if any) apply, the world resolves, observers
        record.
        """
        self.turn += 1
        income_cf = None
        if self.shadow is not None:
            self.shadow.step()
            income_cf = self.shadow.state.income[self.pairs]
        months_active = max(0, self.turn - self.sanctions_turn + 1)
        self.observation = Observation(self.turn, months_active > 0, months_active, self.design,
                                       self.state, self.refs, self.params, self.last_actions,
                                       self.bridge(), self.sanctions)
        self.agents.do("decide")
        actions = {code: actor.action for code, actor in self.actors.items()}
        if not self.sanctions:
            for code in ("USA", "EU"):
                actions[code] = dataclasses.replace(actions[code], **NO_SANCTIONS)
        extras = self.schedule.apply(self.turn, actions, self.state, self.params)
        ctx = TurnContext(self.turn, self.design.months_under(months_active),
                          self.config.mechanisms, self.params, self.refs, self.west_weights,
                          self.streams, extras, income_cf, self.benchmark,
                          keep_pushes=bool(self.observers))
        previous = self.state
        result: TurnResult = resolve(previous, actions, ctx)
        self.state = result.state
        self.last_actions = result.actions
        for observer in self.observers:
            observer(self.turn, previous, result)

    def bridge(self):
        """M18's bridge value of the current balance (1 when M18 is off)."""
        if not self.config.mechanisms.M18:
            return 1.0
        return bridge_value(balance_index(self.state.align), self.refs.balance0, self.params.M18)

    def run_turns(self, turns: int) -> None:
        """Advance ``turns`` months."""
        for _ in range(turns):
            self.step()

    def release(self) -> None:
        """Drop Mesa's class-level reference to this model, so a long sweep does not leak memory.

        ``Agent._ids`` keeps every model alive in Mesa 3.3.1.
        """
        mesa.Agent._ids.pop(self, None)
        for actor in list(self.agents):
            actor.remove()
        if self.shadow is not None:
            self.shadow.release()


def dates(config: SimConfig, turns: int) -> np.ndarray:
    """'YYYY-MM' for turns 0..turns (turn 0 is the month before ``config.start``)."""
    from sim.design import month_text
    first = month_index(config.start, "start") - 1
    return np.array([month_text(first + t) for t in range(turns + 1)])
