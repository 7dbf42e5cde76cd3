"""Hydra lives here: compose ``configs/`` with overrides and convert to a ``SimConfig``.

Every composition problem Hydra reports (unknown key, unknown design, bad override syntax) is
turned into one :class:`~sim.errors.ConfigError` line naming the problem and the valid
choices; types and ranges are then checked by :func:`sim.config.from_mapping`.
"""

from __future__ import annotations

import re
from importlib import resources
from typing import Any

from hydra import compose, initialize_config_module
from hydra.core.global_hydra import GlobalHydra
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.errors import HydraException
from omegaconf import OmegaConf
from omegaconf.errors import OmegaConfBaseException

from sim.config import SimConfig, from_mapping
from sim.errors import ConfigError

GROUPS = ("sanctions", "baseline", "params", "policy_params", "actors", "experiment", "history")
EDGE_KEYS = ("sweep", "compare", "sensitivity", "calibration", "fit", "hindcast", "optimize")


def group_options(group: str) -> list[str]:
    """The config names available in a config group folder (e.g. the named designs)."""
    folder = resources.files("kzsim.configs") / group
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))


def register_generated_groups() -> None:
    """Config groups generated from the model rather than written as YAML.

    ``mechanisms/default`` (every switch on) comes from the mechanism registry, so adding a
    mechanism needs no switch file: ``mechanisms.M25=false`` works once M25 is registered.
    """
    from hydra.core.config_store import ConfigStore

    from sim.mechanisms import MECHANISM_IDS
    ConfigStore.instance().store(group="mechanisms", name="default",
                                 node={mid: True for mid in MECHANISM_IDS})


def compose_mapping(overrides: list[str], config_name: str = "config") -> dict[str, Any]:
    """Compose the root config with overrides into a plain dict (interpolations resolved)."""
    check_syntax(overrides)
    _check_groups(overrides)
    register_generated_groups()
    if GlobalHydra.instance().is_initialized():
        GlobalHydra.instance().clear()
    try:
        with initialize_config_module(config_module="kzsim.configs", version_base="1.3"):
            cfg = compose(config_name=config_name, overrides=overrides)
        return OmegaConf.to_container(cfg, resolve=True)
    except (HydraException, OmegaConfBaseException, ValueError, TypeError) as err:
        raise ConfigError(_friendly(err, overrides)) from None


EXAMPLE = "write key=value, e.g. sanctions.intensity=0.8"
_REASONS = (
    (r"token recognition error at: '(.*)'", "unexpected character '{}'"),
    (r"no viable alternative at input '(.*)'", "cannot read '{}'"),
    (r"(?:extraneous|mismatched) input '(.*?)' expecting", "unexpected '{}'"),
    (r"missing \w+ at '<EOF>'", "it is incomplete"),
)


def _reason(err: Exception) -> str:
    text = (str(err).strip().splitlines() or [""])[0]
    for pattern, reason in _REASONS:
        m = re.search(pattern, text)
        if m:
            return reason.format(*m.groups())
    return text.split(" expecting")[0] or "it does not follow key=value"


def check_syntax(overrides: list[str]) -> None:
    """Parse each override on its own; the first that cannot be read is quoted alone.

    Raises:
        ConfigError: naming the one bad override and what is wrong with it.

    """
    parser = OverridesParser.create()
    for text in overrides:
        if text.startswith("-") and "=" not in text:
            raise ConfigError(f"unknown option '{text}'; a command takes -q and key=value "
                              "overrides (kzsim --help lists them)")
        if "=" not in text and not text.startswith("~"):
            raise ConfigError(f"cannot read override '{text}': {EXAMPLE}")
        try:
            parsed = parser.parse_override(text)
        except HydraException as err:
            raise ConfigError(f"cannot read override '{text}' ({_reason(err)}); "
                              f"{EXAMPLE}") from None
        if not parsed.key_or_group:
            raise ConfigError(f"override '{text}' names no key; {EXAMPLE}")


def split(mapping: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the model's part of a composed mapping, the edge's settings such as ``sweep``)."""
    model = {k: v for k, v in mapping.items() if k not in EDGE_KEYS}
    return model, {k: mapping[k] for k in EDGE_KEYS if k in mapping}


def compose_config(overrides: list[str]) -> SimConfig:
    """Compose and validate: the :class:`SimConfig` for these overrides.

    With ``ensemble=posterior`` (the default) the posterior ensemble named by ``posterior=``
    is loaded and attached (:mod:`kzsim.ensemble`), so every run draws its parameter set.
    """
    from kzsim.ensemble import attach

    model = split(compose_mapping(overrides))[0]
    return attach(from_mapping(model), model, overrides)


def _check_groups(overrides: list[str]) -> None:
    for text in overrides:
        m = re.match(r"^[+~]?([\w/]+)=(.*)$", text)
        if m and m.group(1) in GROUPS:
            options = group_options(m.group(1))
            if m.group(2) not in options:
                what = {"sanctions": "sanctions design", "experiment": "experiment"}.get(
                    m.group(1), f"{m.group(1)} config")
                raise ConfigError(f"unknown {what} '{m.group(2)}'; valid choices: "
                                  f"{', '.join(options)}")


def _unknown_key(path: str) -> tuple[str, str, list[str]]:
    """(the first missing key, its parent's name, the parent's valid keys) for a dotted path."""
    node: Any = compose_mapping([])
    parts = path.split(".")
    for i, part in enumerate(parts):
        if not isinstance(node, dict):
            return ".".join(parts[:i + 1]), ".".join(parts[:i]), []
        if part not in node:
            return ".".join(parts[:i + 1]), ".".join(parts[:i]) or "the top level", list(node)
        node = node[part]
    return path, ".".join(parts[:-1]) or "the top level", []


def _friendly(err: Exception, overrides: list[str]) -> str:
    text = str(err)
    m = re.search(r"Could not override '([^']+)'", text) or re.search(
        r"Could not append to config\. An item is already at '([^']+)'", text)
    if m and ("not in struct" in text or "Could not override" in text):
        key, parent, keys = _unknown_key(m.group(1))
        if keys:
            return f"unknown key '{key}'; valid keys under {parent}: {', '.join(keys)}"
        return f"cannot set '{m.group(1)}': {parent} is a single value, not a group of keys"
    m = re.search(r"Could not find '([^']+)'", text)
    if m:
        group = m.group(1).split("/")[0]
        return (f"unknown {group} option '{m.group(1)}'; valid choices: "
                f"{', '.join(group_options(group))}")
    if any(t in text for t in ("Error parsing override", "mismatched input",
                               "no viable alternative", "extraneous input")):
        bad = [o for o in overrides if "=" not in o]
        shown = bad[0] if bad else " ".join(overrides)
        return f"cannot read override '{shown}': write key=value, e.g. sanctions.intensity=0.8"
    first = text.strip().splitlines()[0] if text.strip() else "it could not be composed"
    first = re.sub(r"^\s*\w+(?:Exception|Error)\s*:\s*", "", first)
    return f"invalid configuration: {first}"
