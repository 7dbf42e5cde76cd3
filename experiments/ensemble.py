"""The edge's side of the posterior ensemble: find ``posterior=``, load it, say what is fixed.

Issue 12, item 4: ``ensemble=posterior`` (the default) makes every run of ``run``,
``compare``, ``sweep``, ``sensitivity`` and ``hindcast`` draw its parameter set from the
posterior artefact named by ``posterior=`` (a folder under ``configs/posteriors/``, shipped as
package data of ``kzsim.configs``, or a path to any posterior folder); ``ensemble=point`` uses
the configured values. The model (``sim``) never reads the artefact: :func:`load_ensemble`
reads and verifies it here and hands the :class:`~sim.inference.ensemble.Ensemble` in.

A ``params.*`` field the user sets (on the command line, or to a value other than the shipped
``configs/params/default.yaml``) stays fixed: it is left out of the ensemble, with one note.
"""

from __future__ import annotations

import re
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from sim.errors import ConfigError
from sim.inference.ensemble import Ensemble

FOLDER = "posteriors"


def posterior_choices() -> list[str]:
    """The shipped posteriors: folders of ``configs/posteriors/``."""
    folder = resources.files("kzsim.configs") / FOLDER
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith(("_",
                                                                                            ".")))


def _is_path(value: str) -> bool:
    return any(ch in value for ch in "/\\") or value.startswith((".", "~"))


def posterior_folder(value: str) -> Path:
    """The folder ``posterior=`` names: a shipped name, or a path to a posterior folder."""
    if _is_path(value):
        return Path(value).expanduser()
    choices = posterior_choices()
    if value not in choices:
        shown = ", ".join(choices) if choices else "none shipped"
        raise ConfigError(f"unknown posterior '{value}'; valid choices: {shown} (or a folder "
                          "path holding posterior.json; ensemble=point uses the point values)")
    return Path(str(resources.files("kzsim.configs") / FOLDER / value))


def _default_params() -> dict:
    text = (resources.files("kzsim.configs") / "params" / "default.yaml").read_text("utf-8")
    return yaml.safe_load(text) or {}


def _lookup(mapping: Any, path: list[str]) -> Any:
    for part in path:
        if not isinstance(mapping, dict) or part not in mapping:
            return None
        mapping = mapping[part]
    return mapping


def fixed_names(names, model: dict, overrides: list[str] | None = None) -> list[str]:
    """The ``params.*`` names the user fixed.

    A name is fixed if an override names it (or a group above it), or if its composed value
    differs from the shipped ``configs/params/default.yaml``.
    """
    named = set()
    for text in overrides or []:
        m = re.match(r"^\+{0,2}(params(?:\.[\w]+)+)=", text)
        if m:
            named.add(m.group(1))
    defaults = _default_params()
    fixed = []
    for name in names:
        if not name.startswith("params."):
            continue
        path = name.split(".")[1:]
        prefixes = {".".join(["params", *path[:i]]) for i in range(1, len(path) + 1)}
        default = _lookup(defaults, path)
        changed = default is not None and _lookup(model.get("params"), path) != default
        if prefixes & named or changed:
            fixed.append(name)
    return fixed


def load_ensemble(model: dict, overrides: list[str] | None = None,
                  quiet: bool | None = None) -> Ensemble | None:
    """The posterior ensemble a composed model configuration asks for (None for ``point``).

    Args:
        model: the model part of a composed mapping (``ensemble``, ``posterior``, ``params``).
        overrides: the user's overrides, to find the ``params.*`` fields they set.
        quiet: no note about fixed fields (default: the mapping's ``quiet``).

    Raises:
        ConfigError: an unknown posterior name, a missing, corrupt or foreign artefact, or a
            parameter name that maps onto no field (one line each).

    """
    from sim.config import ENSEMBLES
    from sim.inference.posterior_store import load_posterior

    choice = model.get("ensemble", "posterior")
    if choice not in ENSEMBLES:
        raise ConfigError(f"ensemble={choice!r} is not a parameter source; valid choices: "
                          f"{', '.join(ENSEMBLES)}")
    if choice == "point":
        return None
    source = model.get("posterior")
    if not isinstance(source, str) or not source.strip():
        raise ConfigError(f"posterior={source!r} names no posterior; valid choices: "
                          f"{', '.join(posterior_choices()) or 'none shipped'} or a folder path")
    ensemble = Ensemble.from_posterior(load_posterior(posterior_folder(source)), source)
    fixed = fixed_names(ensemble.names, model, overrides)
    if fixed:
        quiet = bool(model.get("quiet", False)) if quiet is None else quiet
        if not quiet:
            print(f"kzsim: note: {', '.join(fixed)} set in the configuration: kept fixed; the "
                  f"posterior ensemble '{source}' varies the other "
                  f"{len(ensemble.names) - len(fixed)} parameter(s)", file=sys.stderr)
        ensemble = ensemble.without(fixed)
    return ensemble


def attach(config, model: dict, overrides: list[str] | None = None):
    """``config`` with the ensemble its ``ensemble=``/``posterior=`` ask for attached."""
    ensemble = load_ensemble(model, overrides)
    return config.with_ensemble(ensemble) if ensemble is not None else config


__all__ = ["attach", "fixed_names", "load_ensemble", "posterior_choices", "posterior_folder"]
