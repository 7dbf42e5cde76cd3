"""Typed, range-checked conversion of plain mappings into frozen dataclasses.

Each dataclass field may carry metadata ``range=(lo, hi)``, ``unit`` and ``doc``; a field
marked ``transient`` (data the edge attaches, such as a loaded posterior ensemble) is neither
read from a mapping nor written by :func:`to_dict`.
:func:`build` turns a nested mapping (what Hydra composes, or a plain dict) into the
dataclass, raising :class:`~sim.errors.ConfigError` with a one-line message that names the
offending key and the valid choices. No Hydra here: this is plain Python.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from typing import Any

from sim.errors import ConfigError


def spec(lo: float | None = None, hi: float | None = None, unit: str = "", doc: str = "",
         source: str = "", prior: tuple[float, float] | None = None) -> dict:
    """Metadata for a dataclass field.

    ``range`` is what validation allows; ``source`` cites a data row, a paper or says
    ``assumption``; ``prior`` is the plausible ``(low, high)`` the uncertainty machinery samples.
    """
    return {"range": (lo, hi), "unit": unit, "doc": doc, "source": source, "prior": prior}


FITTED = "fitted: kzsim calibrate to kz2022 (configs/targets/kz2022.yaml); prior: "
"""Source prefix of a value fitted by ``kzsim calibrate`` (what the prior rests on follows)."""


def effect(lo: float, hi: float, unit: str, doc: str, source: str,
           prior: tuple[float, float]) -> dict:
    """Metadata of an effect size: a cited source and a prior range are required."""
    if not source or prior is None or not lo <= prior[0] <= prior[1] <= hi:
        raise ValueError(f"effect {doc!r} needs a source and a prior inside [{lo}, {hi}]")
    return spec(lo, hi, unit, doc, source, prior)


def _type_name(tp: Any) -> str:
    return getattr(tp, "__name__", str(tp))


def _convert_scalar(value: Any, tp: type, path: str) -> Any:
    if tp is bool:
        if isinstance(value, bool):
            return value
        raise ConfigError(f"{path} must be true or false, got {value!r}")
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float) and value.is_integer():
                return int(value)
            raise ConfigError(f"{path} must be a whole number, got {value!r}")
        return value
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{path} must be a number, got {value!r}")
        return float(value)
    if tp is str:
        if not isinstance(value, str):
            raise ConfigError(f"{path} must be text, got {value!r}")
        return value
    raise TypeError(f"unsupported field type {tp!r} at {path}")


def show_number(value: float) -> str:
    """Show a number as a user reads it: as written when short, else 6 significant digits.

    ``0.5`` stays ``0.5`` and ``1200`` stays ``1200``, but an integer converted from ``1e308``
    is shown as ``1e+308``, not as its 309 digits.
    """
    text = repr(value)
    if len(text) <= 15:
        return text
    return f"{float(value):.6g}"


def _check_range(value: Any, meta: Mapping, path: str) -> None:
    lo, hi = meta.get("range", (None, None))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value != value:  # NaN
            raise ConfigError(f"{path} must be a number, got nan")
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            lo_s = "-inf" if lo is None else show_number(lo)
            hi_s = "inf" if hi is None else show_number(hi)
            raise ConfigError(f"{path}={show_number(value)} is out of range; valid range is "
                              f"[{lo_s}, {hi_s}]")


def _convert(value: Any, tp: Any, path: str, meta: Mapping) -> Any:
    origin = typing.get_origin(tp)
    if tp is Any:
        return value
    if dataclasses.is_dataclass(tp):
        return build(tp, value, path)
    if origin in (tuple,):
        (item_tp, _ellipsis) = typing.get_args(tp)
        if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
            raise ConfigError(f"{path} must be a list, got {value!r}")
        return tuple(_convert(v, item_tp, f"{path}[{i}]", meta) for i, v in enumerate(value))
    if origin in (types.UnionType, typing.Union):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if value is None:
            return None
        return _convert(value, args[0], path, meta)
    converted = _convert_scalar(value, tp, path)
    _check_range(converted, meta, path)
    return converted


def build(cls: type, mapping: Any, path: str = "") -> Any:
    """Build dataclass ``cls`` from ``mapping``, validating keys, types and ranges.

    Args:
        cls: a dataclass type whose fields may carry :func:`spec` metadata.
        mapping: a mapping of field name to value (nested mappings for nested dataclasses).
        path: dotted prefix used in error messages (e.g. ``"sanctions"``).

    Raises:
        ConfigError: on an unknown or missing key, a wrong type or a value out of range.

    """
    where = path or "config"
    if not isinstance(mapping, Mapping):
        raise ConfigError(f"{where} must be a group of keys ({', '.join(field_names(cls))}), "
                          f"got {mapping!r}")
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)
              if f.init and not f.metadata.get("transient")}
    unknown = sorted(set(mapping) - set(fields))
    if unknown:
        key = f"{path}.{unknown[0]}" if path else unknown[0]
        raise ConfigError(f"unknown key '{key}'; valid keys under {where}: "
                          f"{', '.join(fields)}")
    kwargs = {}
    for name, f in fields.items():
        sub = f"{path}.{name}" if path else name
        if name not in mapping:
            if f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING:
                continue
            raise ConfigError(f"missing key '{sub}' ({_type_name(hints[name])})")
        kwargs[name] = _convert(mapping[name], hints[name], sub, f.metadata)
    obj = cls(**kwargs)
    check = getattr(obj, "validate", None)
    if callable(check):
        check(where)
    return obj


def field_names(cls: type) -> list[str]:
    """Names of a dataclass's init fields, in declaration order."""
    return [f.name for f in dataclasses.fields(cls)
            if f.init and not f.metadata.get("transient")]


def to_dict(obj: Any) -> Any:
    """A dataclass (possibly nested, with tuples) as plain dicts and lists, for YAML/JSON."""
    if dataclasses.is_dataclass(obj):
        return {f.name: to_dict(getattr(obj, f.name)) for f in dataclasses.fields(obj)
                if not f.metadata.get("transient")}
    if isinstance(obj, (tuple, list)):
        return [to_dict(v) for v in obj]
    if isinstance(obj, Mapping):
        return {k: to_dict(v) for k, v in obj.items()}
    return obj
