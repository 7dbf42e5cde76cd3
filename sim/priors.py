"""The prior of every structural and policy parameter, read from the dataclass metadata.

Every numeric field of ``config.params`` (alignment, noise, replay sizes, Russia's trade,
income accounting and one group per mechanism) and of ``config.policy_params`` (one group per
registered policy) is declared with :func:`sim.schema.effect`: it cites a ``source`` (a data
row such as ``C10``, an article key, ``assumption: ...`` or ``fitted: ...``) and a ``prior``
``(low, high)`` inside its valid range. :func:`priors` lists them flat, by dotted key;
:func:`prior_space` gives them in the nested ``[low, high]`` form that ``compare.uncertainty``
and ``sweep.ranges`` take, so the uncertainty machinery can sample every prior::

    from sim.priors import prior_space, priors
    priors(cfg)["params.M1.resentment"]        # (1.5, 4.5, 'assumption')
    space = prior_space(cfg)                   # {'params': {'M1': {'resentment': [1.5, 4.5]}}}

Plain Python (no Hydra, no numpy): it only walks dataclasses.
"""

from __future__ import annotations

import dataclasses
from typing import Any

GROUPS = ("params", "policy_params")
"""The configuration groups whose numeric fields must all carry a source and a prior."""


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _walk(obj: Any, prefix: str, out: dict[str, tuple[float, float, str]]) -> None:
    """Add ``prefix.field -> (low, high, source)`` for every numeric field below ``obj``."""
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        key = f"{prefix}.{f.name}"
        if dataclasses.is_dataclass(value):
            _walk(value, key, out)
        elif _is_number(value):
            prior, source = f.metadata.get("prior"), f.metadata.get("source", "")
            if prior is None or not source:
                raise ValueError(f"{key} has no prior or no source; declare it with "
                                 "sim.schema.effect(lo, hi, unit, doc, source, prior)")
            out[key] = (float(prior[0]), float(prior[1]), str(source))


def priors(config: Any, groups: tuple[str, ...] = GROUPS) -> dict[str, tuple[float, float, str]]:
    """The prior of every numeric parameter: ``{"params.M1.resentment": (low, high, source)}``.

    Args:
        config: a :class:`sim.config.SimConfig` (e.g. ``kzsim.load_config([])``).
        groups: the top-level groups to walk; by default ``params`` and ``policy_params``
            (``("actors",)`` lists the US and EU actor data the same way).

    Keys are dotted as on the command line (``policy_params.multivector.enforcement``), in
    declaration order.

    Raises:
        ValueError: a numeric field has no prior or no source (it was declared with a plain
            :func:`sim.schema.spec` instead of :func:`sim.schema.effect`).

    """
    out: dict[str, tuple[float, float, str]] = {}
    for group in groups:
        _walk(getattr(config, group), group, out)
    return out


def prior_space(config: Any, group: str = "params") -> dict:
    """Every prior of one group as nested ``[low, high]`` lists, ready to be sampled.

    The shape is that of ``compare.uncertainty`` (and ``sweep.ranges``):
    ``{"params": {"M1": {"resentment": [1.5, 4.5]}, ...}}``. A prior with ``low == high``
    (a fixed value) is left out, since a sampled range needs ``low < high``. Only ``params``
    can be sampled by ``kzsim compare`` and ``kzsim sweep``; ``group="policy_params"`` gives
    the policies' priors in the same shape, for scripts.

    Args:
        config: a :class:`sim.config.SimConfig`.
        group: ``params`` (default) or ``policy_params``.

    """
    if group not in GROUPS:
        raise ValueError(f"unknown group {group!r}; valid groups: {', '.join(GROUPS)}")
    space: dict = {}
    for key, (low, high, _source) in priors(config, (group,)).items():
        if low >= high:
            continue
        node = space
        *parents, name = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[name] = [low, high]
    return space


__all__ = ["GROUPS", "prior_space", "priors"]
