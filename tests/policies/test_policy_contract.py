"""The contract every registered policy keeps (an Axelrod-style generic test base).

For each policy, on observations taken from a real model run: the same stream gives the same
actions; a deterministic policy ignores its stream and a stochastic one uses it (the
flag is honoured, at the policy's own temperature and, for a logit chooser, at temperature 0,
where it best-responds); ``reset`` then a replay of the same observations reproduces the actions
(memory is per run and cleared); instances pickle and decide alike after unpickling.
"""

from __future__ import annotations

import dataclasses
import pickle

import numpy as np
import pytest

import kzsim
from sim.model import KazakhstanModel
from sim.policies import POLICIES
from sim.policies.base import Observation, Policy
from sim.streams import Stream

SEEDS = np.array([3, 5, 7, 11])
CFG = kzsim.load_config([])
TURNS = 14          # the regime starts in month 3: observations before and after it


def _observations(config) -> list[Observation]:
    """The observations a model shows its actors over TURNS months."""
    seen = []
    model = KazakhstanModel(config, SEEDS, counterfactual=False)
    try:
        for _ in range(TURNS):
            model.step()
            seen.append(model.observation)
    finally:
        model.release()
    return seen


CASES = [(name, actor) for name, cls in POLICIES.items() for actor in cls.actors]


@pytest.fixture(scope="module")
def observations():
    # a crackdown makes every observed quantity move (grievance, evasion, unfairness, ...);
    # with some engagement money, the Western choice of it is not degenerate (0.5 x 0 = 0)
    return _observations(kzsim.load_config(["sanctions=secondary_crackdown",
                                            "sanctions.engagement=0.3"]))


def _make(name: str, actor: str, **params) -> Policy:
    data = getattr(CFG.actors, actor.lower()) if actor in ("USA", "EU") else None
    policy = POLICIES[name](dataclasses.replace(getattr(CFG.policy_params, name), **params), data)
    policy.reset(len(SEEDS))
    return policy


def _play(policy: Policy, observations, stream_name: str) -> list[dict]:
    stream = Stream(SEEDS, stream_name)
    return [_numbers(policy.decide(o, stream)) for o in observations]


def _numbers(action) -> dict:
    return {f.name: np.broadcast_to(np.asarray(getattr(action, f.name), dtype=float),
                                    (len(SEEDS),) + np.shape(getattr(action, f.name))[1:]).copy()
            for f in dataclasses.fields(action)}


def _same(a: list[dict], b: list[dict]) -> bool:
    return all(np.array_equal(x[k], y[k]) for x, y in zip(a, b, strict=True) for k in x)


@pytest.mark.parametrize("name, actor", CASES)
def test_same_stream_same_actions(name, actor, observations):
    first = _play(_make(name, actor), observations, f"actor/{actor}")
    second = _play(_make(name, actor), observations, f"actor/{actor}")
    assert _same(first, second)


LOGIT_CASES = [(name, actor) for name, actor in CASES if POLICIES[name].chooses_by_logit]


def _flag_is_honoured(name, actor, observations, **params) -> None:
    policy = _make(name, actor, **params)
    one = _play(policy, observations, f"actor/{actor}")
    other = _play(_make(name, actor, **params), observations, "another stream")
    if policy.stochastic:
        assert not _same(one, other), f"{name} is flagged stochastic but ignores its stream"
    else:
        assert _same(one, other), f"{name} is flagged deterministic but reads its stream"


@pytest.mark.parametrize("name, actor", CASES)
def test_the_stochastic_flag_is_honoured(name, actor, observations):
    _flag_is_honoured(name, actor, observations)


@pytest.mark.parametrize("name, actor", LOGIT_CASES)
def test_a_logit_chooser_at_temperature_zero_is_deterministic(name, actor, observations):
    """At temperature 0 a logit chooser best-responds: flagged deterministic, stream unread."""
    assert _make(name, actor).stochastic
    assert not _make(name, actor, temperature=0.0).stochastic
    _flag_is_honoured(name, actor, observations, temperature=0.0)


@pytest.mark.parametrize("name, actor", CASES)
def test_reset_then_replay_reproduces_the_actions(name, actor, observations):
    policy = _make(name, actor)
    first = _play(policy, observations, f"actor/{actor}")
    policy.reset(len(SEEDS))
    assert _same(first, _play(policy, observations, f"actor/{actor}"))


@pytest.mark.parametrize("name, actor", CASES)
def test_instances_pickle_and_decide_alike(name, actor, observations):
    policy = _make(name, actor)
    half = len(observations) // 2
    _play(policy, observations[:half], f"actor/{actor}")        # some memory first
    clone = pickle.loads(pickle.dumps(policy))
    assert _same(_play(policy, observations[half:], f"actor/{actor}"),
                 _play(clone, observations[half:], f"actor/{actor}"))


@pytest.mark.parametrize("name, actor", CASES)
def test_actions_are_finite_and_one_per_run(name, actor, observations):
    for action in _play(_make(name, actor), observations, f"actor/{actor}"):
        for lever, values in action.items():
            assert values.shape[0] == len(SEEDS), lever
            assert np.isfinite(values).all(), lever
