"""Sweep settings (``sweep.*`` in the config) and the levers they vary.

Levers are given as nested mappings that mirror the configuration, e.g.
``grid: {sanctions: {intensity: [0.2, 0.5, 0.8]}}`` (levels, for ``design=grid``) or
``ranges: {sanctions: {intensity: [0, 1]}, params: {M4: {tolerance: [0.3, 0.7]}}}``
(low and high, for ``lhs`` and ``sobol``). Sanctions-design fields are the levers a
decision-maker chooses; ``params.*`` are uncertain structural parameters.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sim.errors import ConfigError
from sim.resources import check_memory, chunk_run_bytes, sampler_bytes
from sim.schema import spec

DESIGNS = ("grid", "lhs", "sobol")
LEVER_ROOTS = ("sanctions", "params")


@dataclass(frozen=True)
class SweepSettings:
    """How a sweep samples its levers, replicates, chunks and spreads its runs."""

    design: str = field(metadata=spec(doc="grid, lhs or sobol"))
    samples: int = field(metadata=spec(1, 10_000_000, "", "points for lhs; base N for sobol"))
    replications: int = field(metadata=spec(1, 1_000_000, "", "runs per point (paired seeds)"))
    workers: int | None = field(metadata=spec(1, 1024, "", "processes (default: all cores)"))
    chunk_size: int = field(metadata=spec(1, 10_000_000, "", "runs per chunk (bounds memory)"))
    shard: int = field(metadata=spec(0, 100_000, "", "this shard's index"))
    shards: int = field(metadata=spec(1, 100_000, "", "number of shards"))
    grid: Any = field(metadata=spec(doc="levels per lever, for design=grid"))
    ranges: Any = field(metadata=spec(doc="[low, high] per lever, for lhs and sobol"))
    bands: bool = field(metadata=spec(doc="store per-point quantile bands over turns"))
    band_every: int = field(metadata=spec(1, 1200, "months", "store bands every this many turns"))
    fresh: bool = field(metadata=spec(doc="discard an existing sweep in `out` and start again"))

    def validate(self, where: str) -> None:
        """Check the design name, the shard index and that the levers fit the design."""
        if self.design not in DESIGNS:
            raise ConfigError(f"unknown sweep design '{self.design}' for sweep.design; "
                              f"valid choices: {', '.join(DESIGNS)}")
        if self.shard >= self.shards:
            raise ConfigError(f"sweep.shard={self.shard} must be below sweep.shards={self.shards}")
        self._refuse_unused_levers()
        space = self.grid if self.design == "grid" else self.ranges
        name = "sweep.grid" if self.design == "grid" else "sweep.ranges"
        if not isinstance(space, Mapping) or not flatten(space):
            raise ConfigError(f"{name} names no lever; e.g. {name}.sanctions.intensity="
                              + ("[0.2,0.5,0.8]" if self.design == "grid" else "[0,1]"))
        self.check_resources(1)

    def _refuse_unused_levers(self) -> None:
        """Refuse levers the design would ignore: ``ranges`` on a grid, ``grid`` levels elsewhere.

        A grid sweeps the levels in ``sweep.grid``; ``lhs`` and ``sobol`` sample the
        ``[low, high]`` ranges in ``sweep.ranges``. A lever given in the other setting would
        change the folder's fingerprint but not a single run, so it is an error, naming the
        setting that would work.
        """
        unused = flatten(self.ranges if self.design == "grid" else self.grid)
        if not unused:
            return
        lever, values = next(iter(unused.items()))
        more = f" (and {len(unused) - 1} more)" if len(unused) > 1 else ""
        if self.design == "grid":
            raise ConfigError(
                f"sweep.ranges.{lever}={_text(values)}{more} would be ignored: a grid sweep "
                f"(sweep.design=grid) varies the levels in sweep.grid, and sweep.ranges is for "
                f"lhs and sobol; give levels instead, e.g. +sweep.grid.{lever}="
                f"{_levels_hint(values)}, or sample ranges with sweep.design=lhs")
        raise ConfigError(
            f"sweep.grid.{lever}={_text(values)}{more} would be ignored: sweep.design="
            f"{self.design} samples the [low, high] ranges in sweep.ranges, and sweep.grid is "
            f"for design=grid; give a range instead, e.g. +sweep.ranges.{lever}="
            f"{_range_hint(values)}, or drop the levels with sweep.grid=null")

    def n_points(self) -> int:
        """How many points the design has (before any lever is checked)."""
        space = self.space()
        if self.design == "grid":
            return math.prod(len(v) if isinstance(v, (list, tuple)) else 1 for v in space.values())
        return self.samples * (len(space) + 2) if self.design == "sobol" else self.samples

    def check_resources(self, turns: int) -> None:
        """Check that the point sampler and one chunk per worker at ``turns`` months fit in memory.

        A chunk always holds whole points, so one point's replications are held at once
        whatever ``chunk_size`` says; every worker holds one chunk.
        """
        points, levers = self.n_points(), len(self.space())
        if self.design != "grid":
            per_sample = points // self.samples
            check_memory(sampler_bytes(self.design, points, levers), "sweep.samples",
                         sampler_bytes(self.design, per_sample, levers), value=self.samples,
                         detail=f"{points:,} points x {levers} levers sampled at once")
        per_run = chunk_run_bytes(turns, self.band_every if self.bands else None)
        parallel = min(self.n_workers, max(1, points))
        check_memory(self.replications * per_run * parallel, "sweep.replications",
                     per_run * parallel, value=self.replications,
                     detail=f"a chunk holds whole points: {parallel} worker(s) each hold one "
                            f"point's {self.replications:,} runs of {turns} months")

    @property
    def n_workers(self) -> int:
        """Worker processes to use."""
        return default_workers(self.workers)

    def space(self) -> dict[str, list]:
        """The levers of this design as {dotted name: levels or [low, high]}."""
        return flatten(self.grid if self.design == "grid" else self.ranges)


def _text(values: Any) -> str:
    """Levels or a range as the user writes them: [0.3,0.7]."""
    if isinstance(values, (list, tuple)):
        return "[" + ",".join(f"{v:g}" if isinstance(v, float) else str(v) for v in values) + "]"
    return str(values)


def _levels_hint(values: Any) -> str:
    """Three levels spanning a [low, high] range, as a suggestion."""
    try:
        lo, hi = float(values[0]), float(values[-1])
    except (TypeError, ValueError, IndexError, KeyError):
        return "[0.2,0.5,0.8]"
    return _text([round(lo, 6), round((lo + hi) / 2, 6), round(hi, 6)])


def _range_hint(values: Any) -> str:
    """The [low, high] range spanned by grid levels, as a suggestion."""
    try:
        numbers = [float(v) for v in values]
    except (TypeError, ValueError):
        return "[0,1]"
    return _text([min(numbers), max(numbers)]) if len(set(numbers)) > 1 else "[0,1]"


LEVER_SEPARATOR = "__"


def column_name(lever: str) -> str:
    """The stored column of a lever: 'sanctions.intensity' -> 'sanctions__intensity'.

    Runs and points tables name lever columns with a double underscore for each dot, so
    DuckDB, pandas (``query``, attribute access) and SQL use them unquoted. A name already
    in that form is returned as it is.
    """
    return str(lever).replace(".", LEVER_SEPARATOR)


def lever_path(name: str) -> list[str]:
    """A lever's configuration path, from either form of its name.

    'params__M4__tolerance' -> ['params', 'M4', 'tolerance']; dotted names are read too
    (folders of older versions).
    """
    return str(name).replace(LEVER_SEPARATOR, ".").split(".")


def dotted_name(name: str) -> str:
    """A lever as the configuration names it: 'sanctions__intensity' -> 'sanctions.intensity'."""
    return ".".join(lever_path(name))


def is_lever(name: str) -> bool:
    """Whether a runs/points column is a lever (a field under sanctions or params).

    Either form of the name counts; other columns (``design``, ``uncertainty_sample``) are
    labels.
    """
    path = lever_path(name)
    return len(path) > 1 and path[0] in LEVER_ROOTS


def lever_field(name: str) -> str:
    """The field a lever sets, for labels: 'sanctions__intensity' -> 'intensity'."""
    return lever_path(name)[-1]


def default_workers(workers: int | None) -> int:
    """The number of processes to use: as asked, or all cores."""
    return workers or os.cpu_count() or 1


def flatten(node: Any, prefix: str = "") -> dict[str, Any]:
    """{'sanctions': {'intensity': v}} -> {'sanctions.intensity': v} (lists are leaves)."""
    if not isinstance(node, Mapping):
        return {prefix: node} if prefix else {}
    out: dict[str, Any] = {}
    for key, value in node.items():
        out.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    return out
