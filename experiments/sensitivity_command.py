"""``kzsim sensitivity experiment=sobol_sanctions``: Sobol and Morris indices via SALib.

Points are evaluated by the batched, resumable runner (stores under ``out/sobol`` and
``out/morris``); each point's output is its mean over paired replications.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from experiments.configuration import compose_mapping, split
from experiments.figures.sensitivity import morris_figure, sobol_figure
from experiments.figures.style import png_bytes
from sim.analysis.sensitivity import (morris_indices, morris_points, problem_of, sobol_indices,
                                      sobol_points)
from sim.config import from_mapping
from sim.errors import ConfigError
from sim.results import load_results
from sim.schema import build, spec
from sim.streams import run_seeds
from sim.sweep.runner import Execution, build_plan, execute
from sim.sweep.sampling import INTEGER_LEVERS, check_levers
from sim.sweep.settings import default_workers, flatten


@dataclass(frozen=True)
class SensitivitySettings:
    """``sensitivity.*``."""

    samples: int = field(metadata=spec(2, 1_000_000, "", "Saltelli base N"))
    morris_trajectories: int = field(metadata=spec(2, 100_000, "", "Morris trajectories"))
    morris_levels: int = field(metadata=spec(2, 20, "", "Morris grid levels"))
    replications: int = field(metadata=spec(1, 100_000, "", "paired seeds per point"))
    outcomes: Any = field(metadata=spec(doc="outcome columns to analyse"))
    ranges: Any = field(metadata=spec(doc="[low, high] per lever or parameter"))
    workers: int | None = field(metadata=spec(1, 1024))
    chunk_size: int = field(metadata=spec(1, 10_000_000))
    fresh: bool = field(metadata=spec())


def _evaluate(label, points, model, cfg, settings, out, quiet) -> pd.DataFrame:
    points = points.copy()
    points.index.name = "point_id"
    identity = {"sensitivity": {"part": label, "ranges": settings.ranges,
                                "samples": settings.samples,
                                "morris": [settings.morris_trajectories, settings.morris_levels]}}
    plan = build_plan("sweep", model, points, run_seeds(cfg.seed, settings.replications),
                      settings.chunk_size, None, identity)
    execute(plan, model, Execution(default_workers(settings.workers), fresh=settings.fresh,
                                   band_every=None), out / label,
            {"sensitivity": {"part": label}}, quiet)
    runs = load_results(out / label).runs
    missing = [o for o in settings.outcomes if o not in runs.columns]
    if missing:
        raise ConfigError(f"sensitivity.outcomes names unknown outcome(s) {missing}; valid: "
                          f"{', '.join(c for c in runs.columns if c not in points.columns)}")
    return runs.groupby("point_id")[list(settings.outcomes)].mean().astype(float)


def sensitivity_command(overrides: list[str]) -> int:
    """Sample, evaluate through the runner, analyse, write tables and figures."""
    model, edge = split(compose_mapping(overrides))
    cfg = from_mapping(model)
    settings = build(SensitivitySettings, edge["sensitivity"], "sensitivity")
    space = flatten(settings.ranges)
    if not space:
        raise ConfigError("sensitivity.ranges names nothing; use experiment=sobol_sanctions or "
                          "give ranges, e.g. +sensitivity.ranges.sanctions.intensity=[0,1]")
    if any(k in INTEGER_LEVERS for k in space):
        raise ConfigError(f"sensitivity needs continuous inputs; drop {sorted(INTEGER_LEVERS)}")
    check_levers(model, space, "lhs")
    problem = problem_of(space)
    out = Path(cfg.out) if cfg.out else Path("results") / cfg.name
    t0 = time.perf_counter()
    sob_x = sobol_points(problem, settings.samples, cfg.seed)
    mor_x = morris_points(problem, settings.morris_trajectories, settings.morris_levels, cfg.seed)
    sob_y = _evaluate("sobol", sob_x, model, cfg, settings, out, cfg.quiet)
    mor_y = _evaluate("morris", mor_x, model, cfg, settings, out, cfg.quiet)
    sobol = pd.concat([sobol_indices(problem, sob_y[o].to_numpy(), cfg.seed).assign(outcome=o)
                       for o in settings.outcomes])[["parameter", "outcome", "S1", "S1_conf",
                                                      "ST", "ST_conf"]]
    morris = pd.concat([morris_indices(problem, mor_x, mor_y[o].to_numpy(), settings.morris_levels,
                                       cfg.seed).assign(outcome=o) for o in settings.outcomes])
    morris = morris[["parameter", "outcome", "mu", "mu_star", "mu_star_conf", "sigma"]]
    seconds = time.perf_counter() - t0
    sobol.to_csv(out / "sobol.csv", index=False)
    morris.to_csv(out / "morris.csv", index=False)
    (out / "sobol.png").write_bytes(png_bytes(sobol_figure(sobol)))
    (out / "morris.png").write_bytes(png_bytes(morris_figure(morris)))
    runs = (len(sob_x) + len(mor_x)) * settings.replications
    print(f"sensitivity: {len(space)} inputs; Sobol {len(sob_x):,} points, Morris {len(mor_x):,} "
          f"points, x {settings.replications} replications = {runs:,} runs in {seconds:.1f} s")
    for o in settings.outcomes:
        top = sobol[sobol.outcome == o].sort_values("ST", ascending=False).head(5)
        ranked = ", ".join(f"{p.split('.', 1)[1]} (ST {st:.2f}±{c:.2f})"
                           for p, st, c in zip(top.parameter, top.ST, top.ST_conf))
        print(f"  {o}: {ranked}")
    print(f"wrote {out}/sobol.csv, morris.csv, sobol.png, morris.png")
    return 0
