"""Paired comparisons of named sanctions designs (``kzsim compare``).

Each design is a point whose levers are all its numeric fields; replication ``r`` has the same
seed and, if uncertainty is sampled, the same structural parameters under every design, so
differences against the reference design are paired run by run.
"""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.config import from_mapping
from sim.design import NUMERIC_FIELDS
from sim.errors import ConfigError
from sim.resources import check_memory, chunk_run_bytes
from sim.schema import spec
from sim.streams import run_seeds
from sim.sweep.runner import Execution, Plan, build_plan, execute
from sim.sweep.sampling import check_levers
from sim.sweep.settings import column_name, default_workers, flatten


@dataclass(frozen=True)
class CompareSettings:
    """``compare.*``: which designs, against which reference, how many paired runs."""

    designs: Any = field(metadata=spec(doc="design names, or mappings of fields (with a name)"))
    reference: str = field(metadata=spec(doc="the design differences are taken against"))
    replications: int = field(metadata=spec(1, 1_000_000, "", "paired seeds per design"))
    uncertainty_samples: int = field(metadata=spec(0, 100_000, "",
                                                   "structural-parameter draws (0 = defaults)"))
    uncertainty: Any = field(metadata=spec(doc="[low, high] per uncertain params.* field"))
    workers: int | None = field(metadata=spec(1, 1024, "", "processes (default: all cores)"))
    chunk_size: int = field(metadata=spec(1, 10_000_000, "", "runs per chunk"))
    fresh: bool = field(metadata=spec(doc="discard an existing comparison in `out`"))
    frontier: str | None = field(default=None, metadata=spec(
        doc="a kzsim optimize folder: designs named frontier_<id> come from its frontier"))

    def validate(self, where: str) -> None:
        """One design's paired runs must fit in memory (checked here at the fewest months)."""
        self.check_resources(1)

    def check_resources(self, turns: int) -> None:
        """Every worker holds one design's replications x uncertainty draws at ``turns`` months.

        A chunk always holds whole points (designs), whatever ``chunk_size`` says; a
        comparison stores bands every month and per-source contributions.
        """
        draws = max(1, self.uncertainty_samples)
        designs = len(self.designs) if isinstance(self.designs, (list, tuple)) else 1
        parallel = min(default_workers(self.workers), max(1, designs))
        per_run = chunk_run_bytes(turns, 1)
        extra = (f" x compare.uncertainty_samples={self.uncertainty_samples:,}"
                 if self.uncertainty_samples > 0 else "")
        check_memory(self.replications * draws * per_run * parallel, "compare.replications",
                     draws * per_run * parallel, value=self.replications,
                     detail=f"{parallel} worker(s) each hold one design's "
                            f"{self.replications:,}{extra} runs of {turns} months")


def choose_reference(names: list[str], reference: str, explicit: bool) -> str:
    """The design that paired differences are taken against.

    ``reference`` if it is among the designs. Otherwise, when the reference is only the
    default (``compare.reference`` not given), the first design; a reference the user named
    explicitly that is not among the designs is an error naming the choices.
    """
    if reference in names or not names:
        return reference
    if explicit:
        raise ConfigError(f"compare.reference '{reference}' is not among compare.designs "
                          f"({', '.join(names)}); name one of them, e.g. "
                          f"compare.reference={names[0]}, or add {reference} to the designs")
    return names[0]


def resolve_designs(mapping: dict, designs: list[tuple[str, dict]], reference: str) -> pd.DataFrame:
    """Validate every design and return one row per design (index: point id) of its fields.

    Columns are the designs' numeric fields, named as stored (``sanctions__intensity``).
    """
    if len(designs) < 1:
        raise ConfigError("compare.designs is empty; name at least one design")
    names = [n for n, _ in designs]
    if len(set(names)) != len(names):
        raise ConfigError(f"compare.designs names a design twice: {names}")
    if reference not in names:
        raise ConfigError(f"compare.reference '{reference}' is not among compare.designs "
                          f"({', '.join(names)}); name one of them, e.g. "
                          f"compare.reference={names[0]}")
    starts = set()
    rows = []
    for name, design in designs:
        trial = copy.deepcopy(mapping)
        trial["sanctions"] = design
        try:
            cfg = from_mapping(trial)
        except ConfigError as err:
            raise ConfigError(f"design '{name}': {err}") from None
        starts.add(cfg.sanctions.start)
        rows.append({column_name(f"sanctions.{f}"): getattr(cfg.sanctions, f)
                     for f in NUMERIC_FIELDS})
    if len(starts) > 1:
        raise ConfigError("all compared designs must start in the same month; got "
                          f"{sorted(starts)}")
    points = pd.DataFrame(rows)
    points.index.name = "point_id"
    return points


def make_compare_plan(mapping: dict, designs: list[tuple[str, dict]],
                      settings: CompareSettings, ensemble=None) -> Plan:
    """Designs as points; seeds (and uncertainty draws) as paired replications.

    With ``ensemble`` (the posterior ensemble, needed with ``ensemble=posterior``) each
    replication draws its parameter set by its seed, so it has the same set under every
    design; ``compare.uncertainty`` draws, when asked for, win for the fields they sample.
    """
    cfg = from_mapping(mapping)
    points = resolve_designs(mapping, designs, settings.reference)
    seeds = run_seeds(cfg.seed, settings.replications)
    rep_levers = None
    if settings.uncertainty_samples > 0:
        space = flatten(settings.uncertainty)
        bad = [k for k in space if not k.startswith("params.")]
        if bad or not space:
            raise ConfigError("compare.uncertainty must give [low, high] for params.* fields, "
                              f"got {', '.join(bad) or 'nothing'}")
        check_levers(mapping, space, "lhs", "compare.uncertainty")
        from SALib.sample import latin

        problem = {"num_vars": len(space), "names": list(space),
                   "bounds": [[float(v[0]), float(v[1])] for v in space.values()]}
        draws = latin.sample(problem, settings.uncertainty_samples,
                             seed=int(np.random.SeedSequence([cfg.seed, 0xC0])
                                      .generate_state(1)[0]))
        rep_levers = pd.DataFrame(np.repeat(draws, len(seeds), axis=0), columns=list(space))
        rep_levers.insert(0, "uncertainty_sample",
                          np.repeat(np.arange(settings.uncertainty_samples), len(seeds)))
        seeds = np.tile(seeds, settings.uncertainty_samples)
    labels = pd.DataFrame({"design": [n for n, _ in designs]}, index=points.index)
    identity = {"compare": {"designs": [list(d) for d in designs],
                            "reference": settings.reference,
                            "replications": settings.replications,
                            "uncertainty_samples": settings.uncertainty_samples,
                            "uncertainty": settings.uncertainty}}
    return build_plan("compare", mapping, points, seeds, settings.chunk_size, 1, identity,
                      rep_levers=rep_levers, labels=labels, why=True, ensemble=ensemble)


def run_compare(mapping: dict, designs: list[tuple[str, dict]], settings: CompareSettings,
                out: Path, quiet: bool = False, after=None, plan: Plan | None = None,
                executor=None, ensemble=None) -> dict:
    """Run (or resume) the comparison into ``out``; return the runner's summary.

    ``after(folder)`` writes derived files once every run is stored (see
    :func:`sim.sweep.runner.execute`); ``plan`` is :func:`make_compare_plan`'s plan of these
    designs and settings, if the caller already made it (e.g. to choose the folder);
    ``executor`` (any :class:`concurrent.futures.Executor`) runs the chunks instead of local
    processes; ``ensemble`` is the posterior ensemble (see :func:`make_compare_plan`).
    """
    plan = plan if plan is not None else make_compare_plan(mapping, designs, settings, ensemble)
    execution = Execution(default_workers(settings.workers), fresh=settings.fresh, band_every=1,
                          why=True)
    extra = {"compare": {**asdict(settings), "designs": [n for n, _ in designs]}}
    return execute(plan, mapping, execution, out, extra, quiet, after=after, executor=executor)
