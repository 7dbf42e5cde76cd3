"""Where commands write: the output-folder rule, claimed results folders, derived outputs.

Commands that produce results (``run``, ``hindcast``, ``calibrate``, ``sensitivity``, and
through the runner ``sweep`` and ``compare``) claim their folder with
:class:`sim.folder.ResultsFolder`: a folder of another kind or configuration is refused
before anything runs, every file is written atomically and recorded with its checksum.
Commands that derive files from stored results (``report``, ``discover``) write them
atomically into the results folder or an ``out=`` that holds nothing else.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from sim.errors import ConfigError
from sim.files import check_output_folder, clean_stale_temporaries, shown
from sim.folder import ResultsFolder

CONFIG_FILE = "config.yaml"
_IGNORED_CONFIG_KEYS = ("out", "quiet", "name")


def output_folder(model: dict[str, Any]) -> Path:
    """``out`` if given, else ``results/<name>`` (every command's rule)."""
    return Path(model["out"]) if model.get("out") else Path("results") / model["name"]


def dump_config(mapping: dict[str, Any]) -> str:
    """YAML text of a resolved configuration (stable key order)."""
    return yaml.safe_dump(mapping, sort_keys=False, default_flow_style=None)


def results_folder(kind: str, model: dict[str, Any], settings: dict[str, Any] | None = None,
                   fresh: bool = False, fresh_hint: str | None = None,
                   replace: bool = True, **extra: Any) -> ResultsFolder:
    """Claim the command's output folder for this configuration and settings.

    Args:
        kind: the command's kind of results.
        model: the resolved model configuration (with ``out`` and ``name``).
        settings: the command's own settings (everything that changes its results).
        fresh: discard the folder's results first.
        fresh_hint: how the user asks for ``fresh``, if the command has that switch.
        replace: re-running the same configuration rewrites the outputs.
        **extra: more manifest fields.

    """
    config = {k: v for k, v in model.items() if k not in _IGNORED_CONFIG_KEYS}
    identity = {"kind": kind, "config": config, "settings": settings or {}}
    return ResultsFolder(output_folder(model), kind, identity, fresh=fresh, fresh_hint=fresh_hint,
                         replace=replace,
                         extra={"name": model["name"], "config": model, "settings": settings,
                                **extra})


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
