"""The Mesa model: five actors decide at once each month, then the world resolves.

One model instance advances a whole batch of runs in lock-step: every state array has a
leading run axis and every run draws from its own streams, so a run's trajectory is
bit-identical alone or inside any batch. Mesa's own ``model.rng`` is not used for any draw.
"""

from __future__ import annotations

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
from sim.pairing import counterfactual_index, take_runs
from sim.policies import policy_class
from sim.policies.base import Observation, Policy, without_sanctions
from sim.state import first_rows, head, initial_state, refs_from
from sim.streams import Stream, as_seed_array, seed_groups
from sim.world import TurnContext, TurnResult, head_actions, head_result, resolve


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
            against. They are advanced as extra rows of the same batch, after the runs
            (:func:`sim.pairing.take_runs`): the West's sanctions levers are zero
            there and dated sanctions events skip them, as in a model built with
            ``sanctions=False``, and the welfare loss reads their income in the same month.
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
        state: the runs' state (without the counterfactual rows).
        pairs: each run's counterfactual row in the batch (None without counterfactuals).
        observers: callables ``(turn, previous, result)`` called after each month with the
            runs' rows. The settled pushes (``result.pushes``) are kept only if one of them
            reads them: an observer with ``reads_pushes = False`` (outcome sums, bands) is
            handed a result without them.

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
        self.turn = 0
        self.sanctions_turn = month_index(self.design.start, "sanctions.start") - month_index(
            config.start, "start") + 1
        self.sanctions = sanctions
        self.pairs = None
        rows_seeds, self.rows_params, self.rows_design = self.seeds, self.params, self.design
        quiet = None
        if counterfactual:   # the runs' rows, then one row per distinct counterfactual
            n = len(self.seeds)
            first, pairs = counterfactual_index(self.seeds, self.params, self.design)
            rows_seeds, self.rows_params, self.rows_design = take_runs(
                self.seeds, self.params, self.design, np.concatenate([np.arange(n), first]))
            self.pairs = n + pairs
            if config.mechanisms.M25:   # the counterfactuals' own quiet months (sim.benchmark)
                seeds_u, params_u, design_u = take_runs(self.seeds, self.params, self.design,
                                                        first)
                quiet = KazakhstanModel(config, seeds_u, design_u, params_u,
                                        counterfactual=False, sanctions=False,
                                        draw_parameters=False)
        n_rows = len(rows_seeds)
        self.paid = None if self.pairs is None else np.arange(n_rows) < len(self.seeds)
        self.world = initial_state(n_rows, self.refs, self.rows_params.M3.baseline_flow)
        self.seed_groups = seed_groups(rows_seeds)
        self.streams = {code: Stream(rows_seeds, f"actor/{code}") for code in ACTORS}
        self.streams["world"] = Stream(rows_seeds, "world", self.seed_groups)
        self.observers: list = []
        self.observation: Observation | None = None
        self.last_actions: dict | None = None
        for code in ACTORS:
            name = getattr(config.policy, code.lower())
            data = getattr(config.actors, code.lower(), None)
            policy = policy_class(code, name)(config.policy_parameters(code), data)
            policy.reset(n_rows)
            Actor(self, code, policy, self.streams[code])
        self.actors = {a.code: a for a in self.agents}
        skip = SANCTIONS_EVENTS if not sanctions or counterfactual else ()
        self.schedule = Schedule(config.history, config.start, skip=skip)
        self.sanctions_schedule = (Schedule(config.history, config.start, only=SANCTIONS_EVENTS)
                                   if sanctions and counterfactual else None)
        self.west_weights = (config.actors.usa.weight, config.actors.eu.weight)
        self.rows_benchmark = benchmark_of(self, quiet)
        self.benchmark = (self.rows_benchmark if self.pairs is None or self.rows_benchmark is None
                          else {mid: level[:len(self.seeds)]
                                for mid, level in self.rows_benchmark.items()})
        if quiet is not None:
            quiet.release()

    @property
    def state(self):
        """The runs' world state (the counterfactual rows left out)."""
        return self.world if self.pairs is None else head(self.world, len(self.seeds))

    def step(self) -> None:
        """One month.

        Observe, all actors decide, dated events (if any) apply, the world resolves, observers
        record.
        """
        self.turn += 1
        months_active = max(0, self.turn - self.sanctions_turn + 1)
        bridge, runs = self.bridge(), None
        if self.pairs is not None:   # the runs' rows alone, where sanctions are weighed
            n, rows = len(self.seeds), len(self.paid)
            runs = Observation(self.turn, months_active > 0, months_active, self.design,
                               head(self.world, n), self.refs, self.params,
                               None if self.last_actions is None
                               else head_actions(self.last_actions, n, rows),
                               first_rows(bridge, n, rows), self.sanctions)
        self.observation = Observation(self.turn, months_active > 0, months_active,
                                       self.rows_design, self.world, self.refs,
                                       self.rows_params, self.last_actions, bridge,
                                       self.sanctions, runs)
        self.agents.do("decide")
        actions = {code: actor.action for code, actor in self.actors.items()}
        if not self.sanctions or self.paid is not None:
            for code in ("USA", "EU"):
                actions[code] = without_sanctions(actions[code], self.paid)
        extras = self.schedule.apply(self.turn, actions, self.world, self.rows_params)
        if self.sanctions_schedule is not None:
            self.sanctions_schedule.apply_where(self.paid, self.turn, actions, self.world,
                                                self.rows_params)
        ctx = TurnContext(self.turn, self.rows_design.months_under(months_active),
                          self.config.mechanisms, self.rows_params, self.refs,
                          self.west_weights, self.streams, extras,
                          self.pairs,
                          self.rows_benchmark, keep_pushes=self.reads_pushes(),
                          kept_rows=None if self.pairs is None else len(self.seeds))
        previous = self.world
        result: TurnResult = resolve(previous, actions, ctx)
        self.world = result.state
        self.last_actions = result.actions
        if self.observers and self.pairs is not None:
            n = len(self.seeds)
            previous, result = head(previous, n), head_result(result, n)
        for observer in self.observers:
            observer(self.turn, previous, result)

    def reads_pushes(self) -> bool:
        """Whether an observer reads the settled pushes (unless it says otherwise, it does)."""
        return any(getattr(observer, "reads_pushes", True) for observer in self.observers)

    def bridge(self):
        """M18's bridge value of the current balance (1 when M18 is off)."""
        if not self.config.mechanisms.M18:
            return 1.0
        return bridge_value(balance_index(self.world.align), self.refs.balance0,
                            self.rows_params.M18)

    def run_turns(self, turns: int) -> None:
        """Advance ``turns`` months."""
        for _ in range(turns):
            self.step()

    def release(self) -> None:
        """Free the model's memory now; a released model is done (its state is gone).

        ``Agent._ids`` keeps every model alive in Mesa 3.3.1, so the model is dropped from it.
        A Mesa model and its agents also refer to each other, so the model itself waits for
        Python's cyclic collector. Its arrays are let go here instead: the world (runs and
        counterfactual rows), the last observation and actions, the per-row parameters and
        benchmark levels, the actors (with their policies' per-run memory) and the
        observers (a sweep's band arrays). While they waited, a sweep worker's resident
        memory grew chunk by chunk (by about 80% over five chunks).
        """
        mesa.Agent._ids.pop(self, None)
        for actor in list(self.agents):
            actor.remove()
        self.actors = {}
        self.observers = []
        self.world = self.observation = self.last_actions = None
        self.rows_params = self.rows_design = self.rows_benchmark = self.benchmark = None


def dates(config: SimConfig, turns: int) -> np.ndarray:
    """'YYYY-MM' for turns 0..turns (turn 0 is the month before ``config.start``)."""
    from sim.design import month_text
    first = month_index(config.start, "start") - 1
    return np.array([month_text(first + t) for t in range(turns + 1)])
