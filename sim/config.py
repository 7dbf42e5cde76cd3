"""The whole configuration of a simulation as frozen dataclasses (no Hydra here).

:func:`from_mapping` validates a plain nested mapping — what the Hydra edge composes from
``configs/`` — and returns a :class:`SimConfig`; every problem raises
:class:`~sim.errors.ConfigError` with one line naming it and the valid choices.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, make_dataclass
from typing import Any

from sim.baseline import Baseline
from sim.design import SanctionsDesign, month_index
from sim.economy.income import IncomeParams
from sim.economy.russia_trade import RussiaTradeParams
from sim.errors import ConfigError
from sim.history import History
from sim.mechanisms import MECHANISM_IDS, MECHANISMS
from sim.policies import POLICIES, WestActorData, policy_class
from sim.schema import build, effect, spec

NAME_MAX = 100
NAME_PATTERN = re.compile(rf"[A-Za-z0-9_-][A-Za-z0-9_.-]{{0,{NAME_MAX - 1}}}")
ENSEMBLES = ("posterior", "point")
"""``ensemble=``: each run's parameters from the posterior ensemble, or the point values."""


@dataclass(frozen=True)
class AlignmentParams:
    """How pushes become alignment change (assumptions)."""

    rate: float = field(metadata=effect(
        0, 5, "", "alignment change per unit push",
        "assumption: sets the unit of a push", (0.5, 2.0)))
    max_step: float = field(metadata=effect(
        0.01, 0.9, "", "largest relative change of a share in one month", "assumption",
        (0.1, 0.4)))


@dataclass(frozen=True)
class NoiseParams:
    """Random shocks (assumptions)."""

    alignment: float = field(metadata=effect(
        0, 1, "", "s.d. of monthly random pushes per power (news, events)", "assumption",
        (0.005, 0.02)))


@dataclass(frozen=True)
class ReplayParams:
    """Sizes of replay events that the data do not give and calibration fits."""

    oil_price_2022: float = field(metadata=effect(
        -0.5, 2, "", "relative rise of oil export prices in 2022 (fitted)",
        "fitted: kzsim calibrate to kz2022 (configs/targets/kz2022.yaml)", (0.0, 1.0)))
    export_price_2022: float = field(default=0.0, metadata=effect(
        -0.5, 2, "", "relative rise of non-oil (metals) export prices in 2022 (fitted)",
        "fitted: kzsim calibrate to kz2022 (configs/targets/kz2022.yaml)", (0.0, 0.6)))


Params = make_dataclass(
    "Params",
    [("alignment", AlignmentParams), ("noise", NoiseParams), ("replay", ReplayParams),
     ("russia", RussiaTradeParams), ("income", IncomeParams)]
    + [(m.id, m.params) for m in MECHANISMS.values() if m.params is not None],
    frozen=True)
Params.__doc__ = ("Structural parameters: alignment, noise, replay sizes, Russia's trade, income "
                  "accounting, and one group per mechanism that has any (the registry's).")


Mechanisms = make_dataclass(
    "Mechanisms", [(m, bool, field(default=True)) for m in MECHANISM_IDS], frozen=True)
Mechanisms.__doc__ = "Which mechanisms are switched on (``mechanisms.M4=false`` removes M4)."


@dataclass(frozen=True)
class PolicyChoice:
    """The policy each actor follows, by registry name."""

    kaz: str
    rus: str
    chn: str
    usa: str
    eu: str

    def validate(self, where: str) -> None:
        """Every name must be registered for its actor."""
        for actor in ("kaz", "rus", "chn", "usa", "eu"):
            policy_class(actor.upper(), getattr(self, actor))


@dataclass(frozen=True)
class Actors:
    """Data that distinguish actors sharing a policy (the US and the EU)."""

    usa: WestActorData
    eu: WestActorData

    def validate(self, where: str) -> None:
        """The US and EU weights split the West's pressure: they must sum to 1."""
        total = self.usa.weight + self.eu.weight
        if abs(total - 1.0) > 1e-9:
            raise ConfigError(f"{where}.usa.weight + {where}.eu.weight must be 1, got {total:g}")


@dataclass(frozen=True)
class SimConfig:
    """Everything a simulation needs; :func:`sim.run` takes one of these."""

    name: str = field(metadata=spec(doc="the run's name; default output folder results/<name>"))
    turns: int = field(metadata=spec(1, 1200, "months", "months simulated"))
    runs: int = field(metadata=spec(1, 10_000_000, "", "replications (the command line's seeds)"))
    seed: int = field(metadata=spec(0, 2**63 - 1, "", "base seed; run seeds derive from it"))
    start: str = field(metadata=spec(doc="month of turn 1, YYYY-MM (turn 0 is the month before)"))
    out: str | None = field(metadata=spec(doc="output folder (default results/<name>)"))
    quiet: bool = field(metadata=spec(doc="print less"))
    policy: PolicyChoice
    policy_params: Any
    mechanisms: Any
    sanctions: SanctionsDesign
    actors: Actors
    baseline: Baseline
    params: Params
    history: History
    ensemble: str = field(metadata=spec(
        doc="parameter source: posterior (each run draws a parameter set from the posterior "
            "ensemble by its seed) or point (the configured values)"))
    posterior: str = field(metadata=spec(
        doc="the posterior ensemble: a name under configs/posteriors/ or a folder path"))
    ensemble_data: Any = field(default=None, compare=False, metadata={
        "transient": True, "doc": "the loaded ensemble (sim.inference.ensemble.Ensemble), "
        "attached by the edge; not part of a mapping"})

    def validate(self, where: str) -> None:
        """Check dates, the parameter source, and that ``name`` is a plain folder name."""
        month_index(self.start, "start")
        if self.ensemble not in ENSEMBLES:
            raise ConfigError(f"ensemble={self.ensemble!r} is not a parameter source; valid "
                              f"choices: {', '.join(ENSEMBLES)}")
        if not self.posterior.strip() or "\n" in self.posterior or len(self.posterior) > 4096:
            raise ConfigError(f"posterior={self.posterior[:40]!r} names no posterior; give a "
                              "shipped name (e.g. kz2014_2022) or a folder holding posterior.json")
        if not NAME_PATTERN.fullmatch(self.name):
            shown = self.name if len(self.name) <= 40 else f"{self.name[:40]}..."
            raise ConfigError(f"name={shown!r} is not a plain folder name; use letters, digits, "
                              f"'_', '-' and '.' (not first), at most {NAME_MAX} characters")

    def with_ensemble(self, ensemble) -> SimConfig:
        """A copy that draws each run's parameters from ``ensemble`` (issue 12, item 4).

        ``ensemble`` is a :class:`sim.inference.ensemble.Ensemble` (the edge loads it from
        ``posterior=``), or None to detach. Its names are checked against ``params`` here.
        """
        if ensemble is not None:
            if self.ensemble != "posterior":
                raise ConfigError("ensemble=point uses the configured values; attach a "
                                  "posterior ensemble only with ensemble=posterior")
            ensemble.check(self.params)
        return dataclasses.replace(self, ensemble_data=ensemble)

    def policy_parameters(self, actor: str):
        """The parameter object of the policy ``actor`` follows."""
        return getattr(self.policy_params, getattr(self.policy, actor.lower()))

    def replace(self, changes: Mapping[str, Any] | None = None, /, **fields: Any) -> SimConfig:
        """Return a copy with some fields changed, validated as the command line validates them.

        Keys are dotted paths, given as a mapping or as keywords::

            cfg.replace({"sanctions.intensity": 0.9, "policy.rus": "tit_for_tat"})
            cfg.replace(**{"sanctions.intensity": 0.9}, turns=60)
            cfg.replace(sanctions={"intensity": 0.9})   # a group: only the fields it names

        The changed configuration is rebuilt through :func:`from_mapping`, so a bad key or
        value raises :class:`~sim.errors.ConfigError` naming it (``sanctions.intensity=7 is
        out of range; valid range is [0, 1]``), which :func:`dataclasses.replace` would not.
        To switch a whole named design or experiment, compose with ``kzsim.load_config``.
        """
        from sim.schema import to_dict

        mapping = to_dict(self)
        changed = {**(changes or {}), **fields}
        for key, value in changed.items():
            _set_dotted(mapping, key, value)
        out = from_mapping(mapping)
        data = self.ensemble_data
        if data is None or out.ensemble != "posterior":
            return out
        if out.posterior != self.posterior:
            raise ConfigError("posterior= cannot be changed on a composed configuration; "
                              "compose it again with kzsim.load_config(['posterior=...'])")
        keys = {f"params.{k}" for k in _changed_params(changed)}
        fixed = [n for n in data.params_names if n in keys]  # set explicitly: stays fixed
        return out.with_ensemble(data.without(fixed) if fixed else data)


def _changed_params(changed: Mapping[str, Any]) -> list[str]:
    """Dotted ``params`` keys (below ``params.``) a :meth:`SimConfig.replace` sets."""
    out = []
    for key, value in changed.items():
        if key == "params" and isinstance(value, Mapping):
            out += _flat(value)
        elif isinstance(key, str) and key.startswith("params."):
            rest = key[len("params."):]
            out += [f"{rest}.{k}" for k in _flat(value)] if isinstance(value, Mapping) else [rest]
    return out


def _flat(value: Mapping, prefix: str = "") -> list[str]:
    out = []
    for k, v in value.items():
        out += _flat(v, f"{prefix}{k}.") if isinstance(v, Mapping) else [f"{prefix}{k}"]
    return out


def _set_dotted(mapping: dict, key: Any, value: Any) -> None:
    """Set ``a.b.c`` in a nested mapping; a mapping value for a group changes only its keys."""
    if not isinstance(key, str) or not key or any(not p for p in key.split(".")):
        raise ConfigError(f"cannot change {key!r}: give a dotted key such as "
                          "'sanctions.intensity'")
    node: Any = mapping
    parts = key.split(".")
    for i, part in enumerate(parts):
        parent = ".".join(parts[:i]) or "the top level"
        if not isinstance(node, dict):
            raise ConfigError(f"cannot change '{key}': {parent} is a single value, not a group "
                              "of keys")
        if part not in node:
            raise ConfigError(f"unknown key '{'.'.join(parts[:i + 1])}'; valid keys under "
                              f"{parent}: {', '.join(map(str, node))}")
        if i == len(parts) - 1:
            if isinstance(value, Mapping) and isinstance(node[part], dict):
                for sub, v in value.items():
                    _set_dotted(mapping, f"{key}.{sub}", v)
            else:
                node[part] = value
        else:
            node = node[part]


def _policy_params(mapping: Any) -> Any:
    if not isinstance(mapping, Mapping):
        raise ConfigError("policy_params must be a group of policy names")
    unknown = sorted(set(mapping) - set(POLICIES))
    if unknown:
        raise ConfigError(f"unknown key 'policy_params.{unknown[0]}'; valid keys under "
                          f"policy_params: {', '.join(POLICIES)}")
    missing = [name for name in POLICIES if name not in mapping]
    if missing:
        raise ConfigError(f"missing key 'policy_params.{missing[0]}'")
    built = {name: build(cls.Params, mapping[name], f"policy_params.{name}")
             for name, cls in POLICIES.items()}
    return make_dataclass("PolicyParams", list(built), frozen=True)(**built)


def from_mapping(mapping: Mapping) -> SimConfig:
    """Validate a plain nested mapping and build the :class:`SimConfig`."""
    if not isinstance(mapping, Mapping):
        raise ConfigError("the configuration must be a mapping")
    data = dict(mapping)
    if "policy_params" in data:
        data["policy_params"] = _policy_params(data["policy_params"])
    if "mechanisms" in data:
        data["mechanisms"] = build(Mechanisms, data["mechanisms"], "mechanisms")
    return build(SimConfig, data)
