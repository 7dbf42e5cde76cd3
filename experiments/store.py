"""Where commands write: the output-folder rule, claimed results folders, derived outputs.

**The output-folder rule** (:func:`output_folder`, the only place it is decided). With
``out=`` the command writes there, and a folder of another kind or configuration is refused
(``fresh=true`` where the command has it discards it). Without ``out=`` it writes to
``results/<name>`` if that folder is free or holds this same configuration (then a sweep
resumes and a run is rewritten), and otherwise to ``results/<name>-<fingerprint>``: the first
8 hex digits of the fingerprint of everything that decides the results (settings, resolved
configuration, model code and numerical libraries), so each configuration has one folder of
its own and a finished folder is never replaced by another configuration. The folder used is
printed.

Commands that produce results (``run``, ``hindcast``, ``calibrate``, ``sensitivity``, and
through the runner ``sweep`` and ``compare``) claim their folder with
:class:`sim.folder.ResultsFolder`: a folder of another kind or configuration is refused
before anything runs, every file is written atomically and recorded with its checksum.
Commands that derive files from stored results (``report``, ``discover``) write them
atomically into the results folder or an ``out=`` that holds nothing else.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

from sim.errors import ConfigError
from sim.files import check_output_folder, clean_stale_temporaries, shown
from sim.folder import ResultsFolder, read_manifest

CONFIG_FILE = "config.yaml"
_IGNORED_CONFIG_KEYS = ("out", "quiet", "name")
SUFFIX_DIGITS = 8


def output_folder(model: dict[str, Any], kind: str | None = None,
                  identity: dict[str, Any] | None = None) -> Path:
    """The folder a command writes to (every command's rule; see the module docstring).

    Args:
        model: the resolved model configuration (``out``, ``name``, ``quiet``).
        kind: the command's kind of results, as its :class:`~sim.folder.ResultsFolder` says.
        identity: what the command's ResultsFolder fingerprints. Without ``kind`` and
            ``identity`` the default folder is ``results/<name>`` unchecked.

    Returns ``out`` if given; else ``results/<name>`` if it is free, holds this
    configuration, or cannot be read (the claim then refuses it, naming the repair); else
    ``results/<name>-<first 8 hex digits of the fingerprint>``, with a note on stderr
    (unless quiet) saying why.

    """
    if model.get("out"):
        return Path(model["out"])
    base = Path("results") / model["name"]
    if kind is None or identity is None:
        return base
    fingerprint = ResultsFolder(base, kind, identity).fingerprint
    held = _held_fingerprint(base)
    if held is None or held == fingerprint:
        return base
    chosen = base.with_name(f"{base.name}-{fingerprint[:SUFFIX_DIGITS]}")
    if not model.get("quiet"):
        print(f"kzsim: note: {shown(base)} holds results of another configuration, which are "
              f"kept; this one goes to {shown(chosen)} (give out= to choose the folder)",
              file=sys.stderr)
    return chosen


def _held_fingerprint(folder: Path) -> str | None:
    """The fingerprint of the results a folder holds.

    None if the folder is free, or if it is damaged or holds other files (so that the claim
    refuses it with its own message and repair).
    """
    try:
        manifest = read_manifest(folder)
    except (ConfigError, OSError):
        return None
    return None if manifest is None else manifest["fingerprint"]


def dump_config(mapping: dict[str, Any]) -> str:
    """YAML text of a resolved configuration (stable key order)."""
    return yaml.safe_dump(mapping, sort_keys=False, default_flow_style=None)


def results_folder(kind: str, model: dict[str, Any], settings: dict[str, Any] | None = None,
                   fresh: bool = False, fresh_hint: str | None = None,
                   replace: bool = True, ensemble: dict[str, Any] | None = None,
                   **extra: Any) -> ResultsFolder:
    """Claim the command's output folder (:func:`output_folder`) for this configuration.

    Args:
        kind: the command's kind of results.
        model: the resolved model configuration (with ``out`` and ``name``).
        settings: the command's own settings (everything that changes its results).
        fresh: discard the folder's results first.
        fresh_hint: how the user asks for ``fresh``, if the command has that switch.
        replace: re-running the same configuration rewrites the outputs.
        ensemble: the parameter source's record (:func:`sim.inference.ensemble.identity_of`:
            the switch and, for a posterior, its fit date, data and particles SHA-256); it is
            fingerprinted, so a folder made with another posterior is refused. Default: the
            point values, which only ``ensemble=point`` may use.
        **extra: more manifest fields.

    """
    from sim.inference.ensemble import POINT

    if ensemble is None:
        if model.get("ensemble", "point") != "point":
            raise ConfigError(f"kzsim {kind}: ensemble={model.get('ensemble')} but no posterior "
                              "ensemble was loaded; set ensemble=point")
        ensemble = dict(POINT)
    config = {k: v for k, v in model.items() if k not in _IGNORED_CONFIG_KEYS}
    identity = {"kind": kind, "config": config, "settings": settings or {},
                "ensemble": ensemble}
    out = output_folder(model, kind, identity)
    return ResultsFolder(out, kind, identity, fresh=fresh, fresh_hint=fresh_hint,
                         replace=replace,
                         extra={"name": model["name"], "config": model, "settings": settings,
                                "ensemble": ensemble, **extra})


def derived_folder(out: Path, results: Path, names: set[str]) -> Path:
    """Check and create the folder for files derived from ``results`` (report, discovery).

    The folder may be the results folder itself, or one that holds nothing but files of
    these ``names`` (a previous report); anything else is refused.
    """
    check_output_folder(out)
    if out.exists() and out.resolve() != Path(results).resolve():
        foreign = sorted(p.name for p in out.iterdir()
                         if not p.name.startswith(".") and p.name not in names)
        if foreign:
            raise ConfigError(f"out={shown(out)} holds other files ({', '.join(foreign[:3])}); "
                              f"choose an empty folder or the results folder itself")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ConfigError(f"out={shown(out)} cannot be created ({err.strerror}); "
                          "choose another out=") from None
    clean_stale_temporaries(out)
    return out
