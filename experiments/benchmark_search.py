"""Benchmark of the design search: figures measured in this invocation, printed as one table.

    python -m kzsim.benchmark_search [--quick]

At an equal number of design evaluations, on the same paired replications (same seeds, same
posterior parameter sets), with the default objectives (pressure on Russia, Kazakh welfare
loss, capture; means across replications):

1. **Hypervolume.** NSGA-II (``kzsim optimize``'s loop, 40 designs x 10 generations) against a
   Latin hypercube of the same 400 designs over the same ranges (EMA Workbench's default
   sampler for open exploration). The hypervolume of each one's non-dominated set is taken in
   objectives scaled to [0, 1] over both sets together, against the reference point 1.1 in
   every objective (Zitzler & Thiele 1999); larger is better.
2. **Evaluations per second.** A generation evaluated as one batched model run against the
   same designs evaluated one at a time: one batched model per design, and one Mesa model per
   run (how EMA Workbench or Mesa's ``batch_run`` evaluate).

``--quick`` uses 8 designs x 3 generations and 4 replications (a smoke test).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from SALib.sample import latin

import kzsim
from kzsim.configuration import compose_mapping, split
from sim.schema import build
from sim.search.evaluate import design_points, objective_values, run_designs
from sim.search.nsga import non_dominated, search
from sim.search.objectives import objectives_named
from sim.search.settings import OptimizeSettings
from sim.streams import run_seeds


def _hypervolume(F: np.ndarray, low: np.ndarray, high: np.ndarray) -> float:
    from pymoo.indicators.hv import HV

    span = np.where(high > low, high - low, 1.0)
    scaled = (F - low) / span
    return float(HV(ref_point=np.full(F.shape[1], 1.1))(scaled[non_dominated(scaled)]))


def main(argv=None) -> None:
    """Run the benchmark and print its table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes (a smoke test)")
    args = ap.parse_args(argv)
    population, generations, reps = (8, 3, 4) if args.quick else (40, 10, 20)
    cfg = kzsim.load_config([])
    edge = split(compose_mapping(["name=optimize"]))[1]
    ranges = build(OptimizeSettings, edge["optimize"], "optimize").lever_ranges()  # the default
    levers = list(ranges)
    lows, highs = np.array(list(ranges.values())).T
    objectives = objectives_named(["pressure", "welfare_loss", "capture"])
    seeds = run_seeds(cfg.seed, reps)
    timing = {"runs": 0, "seconds": 0.0}

    def evaluate(X):
        t = time.perf_counter()
        runs = run_designs(cfg, design_points(levers, X), seeds, cfg.turns)
        timing["seconds"] += time.perf_counter() - t
        timing["runs"] += len(runs)
        return objective_values(runs, objectives, len(X), reps, "mean", 10.0), np.zeros(
            (len(X), 0))

    evaluate(np.tile((lows + highs) / 2, (2, 1)))          # warm-up (imports, caches)
    timing.update(runs=0, seconds=0.0)
    t0 = time.perf_counter()
    gens = search(evaluate, lows, highs, len(objectives), 0, population, generations, seed=0)
    search_seconds = time.perf_counter() - t0
    F_search = np.vstack([g.F for g in gens])
    batched_rate = len(F_search) / timing["seconds"]

    n = len(F_search)
    unit = latin.sample({"num_vars": len(levers), "names": levers,
                         "bounds": [[0.0, 1.0]] * len(levers)}, n, seed=0)
    X_lhs = lows + unit * (highs - lows)
    F_lhs = np.vstack([evaluate(X_lhs[i:i + population])[0] for i in range(0, n, population)])

    both = np.vstack([F_search, F_lhs])
    low, high = both.min(axis=0), both.max(axis=0)
    hv_search, hv_lhs = _hypervolume(F_search, low, high), _hypervolume(F_lhs, low, high)

    sample = X_lhs[:2]
    t = time.perf_counter()
    for x in sample:
        run_designs(cfg, design_points(levers, x[None, :]), seeds, cfg.turns)
    per_design_rate = len(sample) / (time.perf_counter() - t)
    t = time.perf_counter()
    for x in sample[:1]:
        for s in seeds:
            run_designs(cfg, design_points(levers, x[None, :]), np.array([s]), cfg.turns)
    per_run_rate = 1 / (time.perf_counter() - t)

    print(f"kzsim design-search benchmark: {n} designs x {reps} paired runs of {cfg.turns} "
          "months, objectives pressure / welfare_loss / capture (means), 1 process")
    print(f"{'measurement':58s} {'value':>12s}")
    rows = [
        (f"NSGA-II ({population} x {generations}): wall time", f"{search_seconds:9.1f} s"),
        ("  non-dominated designs", f"{int(non_dominated(F_search).sum()):12d}"),
        ("  hypervolume (scaled objectives, reference 1.1)", f"{hv_search:12.4f}"),
        (f"Latin hypercube of {n} designs: non-dominated designs",
         f"{int(non_dominated(F_lhs).sum()):12d}"),
        ("  hypervolume (same scaling and reference)", f"{hv_lhs:12.4f}"),
        ("hypervolume, NSGA-II over Latin hypercube", f"{hv_search / hv_lhs:11.2f} x"),
        ("batched: a generation as one model run", f"{batched_rate:8.1f} designs/s"),
        ("one batched model per design", f"{per_design_rate:8.2f} designs/s"),
        ("one model per run (EMA Workbench / batch_run style)", f"{per_run_rate:8.3f} designs/s"),
        ("speed-up of batching over one design at a time",
         f"{batched_rate / per_design_rate:11.1f} x"),
        ("speed-up of batching over one model per run", f"{batched_rate / per_run_rate:11.0f} x"),
    ]
    for label, value in rows:
        print(f"{label:58s} {value:>12s}")


if __name__ == "__main__":
    main()
