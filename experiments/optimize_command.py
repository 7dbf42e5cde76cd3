"""``kzsim optimize [overrides]``: the sanctions designs that hold up across what the data allow.

NSGA-II (:mod:`sim.search.nsga`) searches the design fields of ``optimize.levers`` for the
non-dominated designs over ``optimize.objectives``, each made robust across the same paired
replications (:mod:`sim.search.objectives`); every generation is one batched model run
(:mod:`sim.search.evaluate`). The folder holds one Parquet table per generation (designs,
objectives, constraints) and its runs, ``designs.parquet`` (every evaluated design, the
frontier marked), ``frontier.csv`` (the non-dominated feasible designs of
the whole search, in lever units) and the manifest. A killed search resumes from the last
finished generation and ends equal to an uninterrupted one.
"""

from __future__ import annotations

import dataclasses
import re
import time

import numpy as np
import pandas as pd

from kzsim.compare_command import load_design
from kzsim.configuration import compose_mapping, split
from kzsim.ensemble import load_ensemble
from kzsim.store import results_folder
from sim.config import from_mapping
from sim.errors import ConfigError
from sim.inference.ensemble import identity_of
from sim.results import check_intact
from sim.schema import build
from sim.search.evaluate import design_points, objective_values, run_designs
from sim.search.nsga import Generation, non_dominated, search
from sim.search.objectives import OBJECTIVES, by_replication, natural
from sim.search.settings import OptimizeSettings
from sim.streams import run_seeds
from sim.sweep.settings import column_name

FOLDER = "search"


def _gen_name(g: int, what: str = "gen") -> str:
    return f"{FOLDER}/{what}_{g:04d}.parquet"


def _with_name(overrides: list[str]) -> list[str]:
    return overrides if any(o.startswith("name=") for o in overrides) else [*overrides,
                                                                            "name=optimize"]


def _constraint_rows(settings: OptimizeSettings):
    """(objective, bound in the minimised form) per constraint."""
    out = []
    for name, bound in (settings.constraints or {}).items():
        o = OBJECTIVES[name]
        flip = o.maximise and settings.robustness != "regret"
        out.append((o, -float(bound) if flip else float(bound)))
    return out


def _reference(cfg, settings, levers, objectives, rep_seeds) -> dict[str, np.ndarray] | None:
    """Per objective, the reference designs' (designs, replications) values (for regret)."""
    if settings.robustness != "regret":
        return None
    names = list(settings.reference)
    X = np.array([[float(load_design(n)[lever]) for lever in levers] for n in names])
    runs = run_designs(cfg, design_points(levers, X), rep_seeds, cfg.turns)
    return {o.name: by_replication(o, runs, len(names), len(rep_seeds)) for o in objectives}


def _stored(folder, levers, n_obj, n_con) -> list[Generation]:
    """The finished generations recorded in a folder being resumed (checked first)."""
    names = sorted(n for n in folder.manifest.get("files", {})
                   if n.startswith(f"{FOLDER}/gen_"))
    if not names:
        return []
    check_intact(folder.out, folder.manifest, "optimize.fresh=true")
    out = []
    for g, name in enumerate(names):
        if name != _gen_name(g):
            raise ConfigError(f"{folder.out}: generation files are not consecutive ({name}); "
                              "start over with optimize.fresh=true")
        t = pd.read_parquet(folder.out / name)
        out.append(Generation(g, t[[f"x_{v}" for v in levers]].to_numpy(float),
                              t[[f"f_{i}" for i in range(n_obj)]].to_numpy(float),
                              t[[f"g_{j}" for j in range(n_con)]].to_numpy(float)))
    return out


def optimize_command(overrides: list[str]) -> int:
    """Compose, validate, search (or resume), store and print the frontier."""
    mapping = compose_mapping(_with_name(overrides))
    model, edge = split(mapping)
    cfg = from_mapping(model)
    settings = build(OptimizeSettings, edge["optimize"], "optimize")
    objectives = settings.objective_list()
    ranges = settings.lever_ranges()
    levers = list(ranges)
    constraints = _constraint_rows(settings)
    ensemble = load_ensemble(model, overrides, cfg.quiet)
    if ensemble is not None:
        cfg = cfg.with_ensemble(ensemble)
    rep_seeds = run_seeds(cfg.seed, settings.replications)
    reference = _reference(cfg, settings, levers, [*objectives, *(o for o, _ in constraints)],
                           rep_seeds)
    started = time.perf_counter()
    evaluated = {"runs": 0}
    with results_folder("optimize", model, dataclasses.asdict(settings),
                        fresh=settings.fresh, fresh_hint="optimize.fresh=true", replace=False,
                        ensemble=identity_of(cfg)) as folder:
        stored = _stored(folder, levers, len(objectives), len(constraints))
        pending = {}

        def evaluate(X):
            g = len(stored) + len(pending.get("done", []))
            pts = design_points(levers, X, first_id=g * settings.population)
            runs = run_designs(cfg, pts, rep_seeds, cfg.turns)
            evaluated["runs"] += len(runs)
            n, reps = len(X), settings.replications
            F = objective_values(runs, objectives, n, reps, settings.robustness,
                                 settings.percentile, reference)
            G = (objective_values(runs, [o for o, _ in constraints], n, reps,
                                  settings.robustness, settings.percentile, reference)
                 - np.array([b for _, b in constraints])) if constraints else np.zeros((n, 0))
            pending["points"], pending["runs"] = pts, runs
            return F, G

        def keep(gen: Generation) -> None:
            folder.write_frame(_gen_name(gen.index), _generation_table(
                gen, pending["points"], levers, objectives, constraints, settings))
            folder.write_frame(_gen_name(gen.index, "runs"), pending["runs"])
            folder.flush()
            pending.setdefault("done", []).append(gen.index)
            if not cfg.quiet:
                print(f"generation {gen.index + 1} of {settings.generations}: "
                      f"{len(gen.X)} designs x {settings.replications} runs, "
                      f"{int((gen.G <= 0).all(axis=1).sum())} feasible", flush=True)

        gens = search(evaluate, [lo for lo, _ in ranges.values()],
                      [hi for _, hi in ranges.values()], len(objectives), len(constraints),
                      settings.population, settings.generations, cfg.seed, stored, keep)
        tables = [pd.read_parquet(folder.out / _gen_name(g.index)) for g in gens]
        everything = pd.concat(tables, ignore_index=True)
        frontier = _frontier(everything, levers, objectives, constraints)
        folder.write_frame("designs.parquet", everything.assign(
            frontier=everything["design_id"].isin(frontier["design_id"])))
        folder.write_text("frontier.csv", frontier.to_csv(index=False))
        folder.complete(counts={"generations": len(gens), "designs": len(everything),
                                "frontier": len(frontier)})
    seconds = time.perf_counter() - started
    print(f"searched {len(everything):,} designs in {len(gens)} generations x "
          f"{settings.replications} paired runs ({evaluated['runs']:,} runs now, "
          f"{len(stored)} generations resumed, {seconds:.1f} s); robustness: "
          f"{settings.robustness}")
    show = ["design_id", *[column_name(f"sanctions.{v}") for v in levers],
            *[o.name for o in objectives]]
    pd.set_option("display.width", 200)
    print(f"frontier: {len(frontier)} non-dominated feasible designs\n"
          + frontier[show].rename(columns=lambda c: c.replace("sanctions__", ""))
          .to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    print(f"\nresults: {folder.out}/ (frontier.csv, designs.parquet, {FOLDER}/, manifest.json)")
    return 0


def _generation_table(gen: Generation, points: pd.DataFrame, levers, objectives, constraints,
                      settings) -> pd.DataFrame:
    """One generation: raw and run lever values, objectives (own units), F, G, feasibility."""
    table = points.reset_index()
    table.insert(0, "generation", gen.index)
    for j, name in enumerate(levers):
        table[f"x_{name}"] = gen.X[:, j]
    for i, o in enumerate(objectives):
        table[o.name] = natural(o, gen.F[:, i], settings.robustness)
        table[f"f_{i}"] = gen.F[:, i]
    for j, (o, bound) in enumerate(constraints):
        table[f"constraint_{o.name}"] = natural(o, gen.G[:, j] + bound, settings.robustness)
        table[f"g_{j}"] = gen.G[:, j]
    table["feasible"] = (gen.G <= 0).all(axis=1) if constraints else True
    return table


def _frontier(everything: pd.DataFrame, levers, objectives, constraints) -> pd.DataFrame:
    """The non-dominated feasible designs of the whole search (first occurrence of each)."""
    lever_cols = [column_name(f"sanctions.{v}") for v in levers]
    unique = everything.drop_duplicates(subset=lever_cols).reset_index(drop=True)
    F = unique[[f"f_{i}" for i in range(len(objectives))]].to_numpy(float)
    G = unique[[f"g_{j}" for j in range(len(constraints))]].to_numpy(float)
    front = unique[non_dominated(F, G)]
    return front.sort_values(f"f_{0}").reset_index(drop=True)


FRONTIER_DESIGN = re.compile(r"frontier_(\d+)")
"""How ``kzsim compare`` names a frontier design: ``frontier_<design_id>``."""


def frontier_design(folder: str, design_id: int) -> dict:
    """The design fields of one frontier design of a finished ``kzsim optimize`` folder.

    Raises:
        ConfigError: not a finished design search (checked like any results folder), or no
            such design on its frontier (the ids that are, listed).

    """
    from pathlib import Path

    from sim.files import shown
    from sim.folder import read_manifest

    path = Path(folder)
    manifest = read_manifest(path) if path.is_dir() else None
    if manifest is None or manifest.get("kind") != "optimize":
        raise ConfigError(f"compare.frontier={folder}: {shown(path)} is not a folder kzsim "
                          "optimize wrote; give the out= of a design search")
    if not manifest["complete"]:
        raise ConfigError(f"compare.frontier={folder}: the design search there did not finish; "
                          "run the same kzsim optimize command again to finish it")
    check_intact(path, manifest, "another out=")
    frontier = pd.read_csv(path / "frontier.csv")
    row = frontier[frontier["design_id"] == design_id]
    if row.empty:
        ids = ", ".join(f"frontier_{i}" for i in frontier["design_id"].head(8))
        raise ConfigError(f"design frontier_{design_id} is not on the frontier of {folder}; "
                          f"valid choices: {ids}" + (", ..." if len(frontier) > 8 else ""))
    fields = {c.replace("sanctions__", ""): row.iloc[0][c] for c in frontier.columns
              if c.startswith("sanctions__")}
    return {k: (int(v) if k == "duration" else float(v)) for k, v in fields.items()}


__all__ = ["FRONTIER_DESIGN", "frontier_design", "optimize_command"]
