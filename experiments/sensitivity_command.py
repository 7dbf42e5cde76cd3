"""``kzsim sensitivity experiment=sobol_sanctions``: Sobol and Morris indices via SALib.

Points are evaluated by the batched, resumable runner (stores under ``out/sobol`` and
``out/morris``); each point's output is its mean over paired replications.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from kzsim.configuration import compose_mapping, split
from kzsim.ensemble import load_ensemble
from kzsim.figures.sensitivity import morris_figure, sobol_figure
from kzsim.figures.style import png_bytes
from kzsim.store import results_folder
from sim.analysis.sensitivity import (
    check_power_of_two,
    morris_indices,
    morris_points,
    problem_of,
    sobol_indices,
    sobol_points,
)
from sim.config import from_mapping
from sim.errors import ConfigError
from sim.outcomes import outcomes as outcome_table
from sim.resources import check_memory, chunk_run_bytes, runs_table_bytes, sampler_bytes
from sim.results import load_results
from sim.schema import build, spec
from sim.streams import run_seeds
from sim.sweep.runner import Execution, build_plan, execute
from sim.sweep.sampling import INTEGER_LEVERS, check_levers
from sim.sweep.settings import default_workers, flatten


@dataclass(frozen=True)
class SensitivitySettings:
    """``sensitivity.*``."""

    samples: int = field(metadata=spec(2, 2**20, "", "Saltelli base N (a power of 2)"))
    morris_trajectories: int = field(metadata=spec(2, 100_000, "", "Morris trajectories"))
    morris_levels: int = field(metadata=spec(2, 20, "", "Morris grid levels"))
    replications: int = field(metadata=spec(1, 100_000, "", "paired seeds per point"))
    outcomes: tuple[str, ...] = field(metadata=spec(doc="outcome columns to analyse"))
    ranges: Any = field(metadata=spec(doc="[low, high] per lever or parameter"))
    workers: int | None = field(metadata=spec(1, 1024, "", "processes (default: all cores)"))
    chunk_size: int = field(metadata=spec(1, 10_000_000, "", "runs per chunk (bounds memory)"))
    fresh: bool = field(metadata=spec(doc="discard an existing analysis in `out` and start again"))

    def validate(self, where: str) -> None:
        """At least one outcome, none twice; a power-of-2 Saltelli base N."""
        check_power_of_two(self.samples, "sensitivity.samples")
        if not self.outcomes:
            raise ConfigError("sensitivity.outcomes is empty; name at least one outcome, e.g. "
                              "sensitivity.outcomes=[final_align_west]")
        twice = sorted({o for o in self.outcomes if self.outcomes.count(o) > 1})
        if twice:
            raise ConfigError(f"sensitivity.outcomes names '{twice[0]}' twice")

    def check_outcomes(self, known: list[str]) -> None:
        """Every outcome must be a column of the run table."""
        unknown = [o for o in self.outcomes if o not in known]
        if unknown:
            raise ConfigError(f"sensitivity.outcomes names unknown outcome '{unknown[0]}'; "
                              f"valid choices: {', '.join(known)}")

    def check_resources(self, turns: int, inputs: int) -> None:
        """Check that the Saltelli sample, a point per worker and each run table fit in memory."""
        sobol = self.samples * (inputs + 2)
        morris = self.morris_trajectories * (inputs + 1)
        check_memory(sampler_bytes("sobol", sobol, inputs), "sensitivity.samples",
                     sampler_bytes("sobol", inputs + 2, inputs), value=self.samples,
                     detail=f"{sobol:,} Saltelli points x {inputs} inputs sampled at once")
        per_run = chunk_run_bytes(turns, None)
        parallel = min(default_workers(self.workers), max(sobol, morris))
        check_memory(self.replications * per_run * parallel, "sensitivity.replications",
                     per_run * parallel, value=self.replications,
                     detail=f"{parallel} worker(s) each hold one point's runs")
        points = max(sobol, morris)
        need = runs_table_bytes(points * self.replications, inputs)
        name, size, per_size = (("sensitivity.samples", self.samples, inputs + 2) if sobol >= morris
                                else ("sensitivity.morris_trajectories", self.morris_trajectories,
                                      inputs + 1))
        detail = (f"{points:,} points x {self.replications:,} replications = "
                  f"{points * self.replications:,} runs are loaded to average them per point")
        if size / 2 >= self.replications:   # name the setting furthest above its minimum
            check_memory(need, name, runs_table_bytes(self.replications, inputs) * per_size,
                         value=size, detail=detail)
        check_memory(need, "sensitivity.replications", runs_table_bytes(points, inputs),
                     value=self.replications, detail=detail)


def outcome_names(cfg) -> list[str]:
    """List the run table's outcome columns (from a zero-month batch of one run)."""
    point = cfg if cfg.ensemble == "point" else cfg.replace(ensemble="point")  # names only
    return [c for c in outcome_table(point, [0], turns=0).columns if c != "seed"]


def _evaluate(label, points, model, cfg, settings, out, quiet, ensemble=None) -> pd.DataFrame:
    points = points.copy()
    points.index.name = "point_id"
    identity = {"sensitivity": {"part": label, "ranges": settings.ranges,
                                "samples": settings.samples,
                                "morris": [settings.morris_trajectories, settings.morris_levels]}}
    plan = build_plan("sweep", model, points, run_seeds(cfg.seed, settings.replications),
                      settings.chunk_size, None, identity, ensemble=ensemble)
    execute(plan, model, Execution(default_workers(settings.workers), fresh=settings.fresh,
                                   band_every=None), out / label,
            {"sensitivity": {"part": label}}, quiet, fresh_hint="sensitivity.fresh=true")
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
    settings.check_outcomes(outcome_names(cfg))
    space = flatten(settings.ranges)
    if not space:
        raise ConfigError("sensitivity.ranges names nothing; use experiment=sobol_sanctions or "
                          "give ranges, e.g. +sensitivity.ranges.sanctions.intensity=[0,1]")
    if any(k in INTEGER_LEVERS for k in space):
        raise ConfigError(f"sensitivity needs continuous inputs; drop {sorted(INTEGER_LEVERS)}")
    check_levers(model, space, "lhs", "sensitivity.ranges")
    settings.check_resources(cfg.turns, len(space))
    problem = problem_of(space)
    ensemble = load_ensemble(model, overrides, cfg.quiet)
    claim = results_folder("sensitivity", model, {
        k: v for k, v in asdict(settings).items() if k not in ("workers", "fresh")},
        fresh=settings.fresh, fresh_hint="sensitivity.fresh=true",
        ensemble=ensemble.identity() if ensemble is not None else None)
    with claim as folder:
        return _analyse(folder, problem, space, model, cfg, settings, ensemble)


def _analyse(folder, problem, space, model, cfg, settings, ensemble=None) -> int:
    out = folder.out
    t0 = time.perf_counter()
    sob_x = sobol_points(problem, settings.samples, cfg.seed)
    mor_x = morris_points(problem, settings.morris_trajectories, settings.morris_levels, cfg.seed)
    sob_y = _evaluate("sobol", sob_x, model, cfg, settings, out, cfg.quiet, ensemble)
    mor_y = _evaluate("morris", mor_x, model, cfg, settings, out, cfg.quiet, ensemble)
    sobol = pd.concat([sobol_indices(problem, sob_y[o].to_numpy(), cfg.seed).assign(outcome=o)
                       for o in settings.outcomes])[["parameter", "outcome", "S1", "S1_conf",
                                                      "ST", "ST_conf", "S1_half", "ST_half"]]
    morris = pd.concat([morris_indices(problem, mor_x, mor_y[o].to_numpy(), settings.morris_levels,
                                       cfg.seed).assign(outcome=o) for o in settings.outcomes])
    morris = morris[["parameter", "outcome", "mu", "mu_star", "mu_star_conf", "sigma"]]
    seconds = time.perf_counter() - t0
    folder.write_text("sobol.csv", sobol.to_csv(index=False))
    folder.write_text("morris.csv", morris.to_csv(index=False))
    folder.write("sobol.png", png_bytes(sobol_figure(sobol)))
    folder.write("morris.png", png_bytes(morris_figure(morris)))
    folder.complete()
    runs = (len(sob_x) + len(mor_x)) * settings.replications
    print(f"sensitivity: {len(space)} inputs; Sobol {len(sob_x):,} points, Morris {len(mor_x):,} "
          f"points, x {settings.replications} replications = {runs:,} runs in {seconds:.1f} s")
    print(f"  total Sobol index ST ± 95% bootstrap half-width at N = {settings.samples:,}, and "
          f"ST at N/2 = {settings.samples // 2:,} for convergence (top 5 per outcome):")
    for o in settings.outcomes:
        top = sobol[sobol.outcome == o].sort_values("ST", ascending=False).head(5)
        ranked = ", ".join(f"{p.split('.', 1)[1]} {st:.2f}±{c:.2f} (N/2: {h:.2f})"
                           for p, st, c, h in zip(top.parameter, top.ST, top.ST_conf, top.ST_half,
                                                  strict=True))
        print(f"  {o}: {ranked}")
    above = sobol[sobol.ST > 1]
    if len(above):
        names = ", ".join(f"{p.split('.', 1)[1]} for {o} ({st:.2f})" for p, o, st
                          in zip(above.parameter, above.outcome, above.ST, strict=True))
        print(f"  note: a total index is at most 1; estimates above 1 ({names}) are sampling "
              "error: read them as close to 1, or raise sensitivity.samples")
    unsettled = sobol[(sobol.ST - sobol.ST_half).abs() > sobol.ST_conf]
    if len(unsettled):
        print(f"  note: {len(unsettled)} of {len(sobol)} total indices moved by more than their "
              "interval between N/2 and N; raise sensitivity.samples for a settled ranking")
    print(f"wrote {out}/sobol.csv, morris.csv, sobol.png, morris.png")
    return 0
