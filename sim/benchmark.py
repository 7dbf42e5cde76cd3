"""The quiet benchmark months behind M25 (:mod:`sim.mechanisms.benchmark`).

Before its first month a run evaluates ``BENCHMARK_MONTHS`` quiet months from the state it
starts from: every actor decides as it would in month one (from a fresh copy of its policy,
so nothing it remembers carries over), the US and EU apply no sanctions, no dated event
applies, and the world resolves one turn. Each month draws from its own streams
(``benchmark/<k>/...``), disjoint from the run's, so the benchmark is a pure function of the
run's seed and parameters and a run stays bit-identical alone or in any batch. The mean push
of each mechanism over these months is its benchmark level. A paired counterfactual is the
quiet world itself, so a model with counterfactuals takes its runs' benchmark from them.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterator

import numpy as np

from sim.blocs import ACTORS
from sim.history import Extras
from sim.mechanisms.benchmark import benchmark_pushes
from sim.policies.base import NO_SANCTIONS, Observation
from sim.streams import Stream
from sim.world import TurnContext, resolve

BENCHMARK_MONTHS = 8
"""Quiet months averaged per run (assumption: enough that the logit draws' and the world's
noise in the mean is small against the pushes; see tests/test_benchmark.py)."""


def quiet_month_pushes(model, months: int = BENCHMARK_MONTHS) -> Iterator[dict[str, np.ndarray]]:
    """Each mechanism's push (runs, 4) in ``months`` quiet months from ``model``'s state.

    A generator: one month is resolved at a time.
    """
    obs = Observation(1, False, 0, model.design, model.state, model.refs, model.params, None,
                      model.bridge(), False)
    for k in range(months):
        streams = {code: Stream(model.seeds, f"benchmark/{k}/actor/{code}") for code in ACTORS}
        streams["world"] = Stream(model.seeds, f"benchmark/{k}/world", model.seed_groups)
        actions = {code: copy.deepcopy(actor.policy).decide(obs, streams[code])
                   for code, actor in model.actors.items()}
        for code in ("USA", "EU"):
            actions[code] = dataclasses.replace(actions[code], **NO_SANCTIONS)
        ctx = TurnContext(1, model.design.months_under(0), model.config.mechanisms, model.params,
                          model.refs, model.west_weights, streams, Extras())
        yield resolve(model.state, actions, ctx).pushes


def benchmark_of(model, quiet=None) -> dict[str, np.ndarray] | None:
    """M25's benchmark pushes of ``model``'s rows (``None`` with M25 off).

    With counterfactual rows, from ``quiet``: a model of the counterfactuals alone (one run per
    counterfactual row), whose levels each run and its counterfactual row take (a run's
    counterfactual is the quiet world itself). Otherwise from the model's own quiet months.
    """
    if not model.config.mechanisms.M25:
        return None
    if model.pairs is None:
        return benchmark_pushes(quiet_month_pushes(model))
    m = len(quiet.seeds)
    rows = np.concatenate([model.pairs - len(model.seeds), np.arange(m)])
    return {mid: np.broadcast_to(level, (m, 4))[rows] for mid, level in quiet.benchmark.items()}
