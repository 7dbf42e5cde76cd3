"""Benchmark of the core model: prints its figures, ratios against a baseline in the same run.

    python -m kzsim.benchmark_core [--runs 10000] [--turns 120]

Measures (1) one 120-turn run through the Mesa model, (2) the same runs one model per run in
a plain loop (the baseline), (3) one batched model advancing ``--runs`` runs in lock-step
with no per-turn recording, each run on its own seed, and the ratio of (3) to (2), and
(4) a sweep-shaped batch of the same size: 100 seeds x ``runs / 100`` design points (what
sweeps and comparisons run). Every run carries its paired no-sanctions counterfactual
(``sim.pairing``): in (3) that is one counterfactual per run, in (4) one per seed, shared by
the design points; both print the rows they advance per second (runs and counterfactuals),
the model's own throughput. Single process; NumPy's elementwise kernels are single-threaded, so
runs/s here is per core.
"""

from __future__ import annotations

import argparse
import dataclasses
import resource
import time

import numpy as np

import kzsim
import sim
from sim.model import KazakhstanModel
from sim.streams import run_seeds


def _advance(cfg, seeds, turns, design=None) -> tuple[float, int]:
    """Seconds to build and advance a batch, and its rows (runs and counterfactuals)."""
    start = time.perf_counter()
    model = KazakhstanModel(cfg, seeds, design)
    rows = len(seeds) if model.paid is None else len(model.paid)
    model.run_turns(turns)
    model.release()
    return time.perf_counter() - start, rows


def main(argv=None) -> None:
    """Run the benchmark and print a table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=10_000)
    ap.add_argument("--turns", type=int, default=120)
    ap.add_argument("--loop-runs", type=int, default=200, help="runs in the one-per-run baseline")
    args = ap.parse_args(argv)
    cfg = kzsim.load_config([])
    seeds = run_seeds(2024, args.runs)
    _advance(cfg, seeds[:10], 5)  # warm-up imports and caches

    single = min(_advance(cfg, seeds[:1], args.turns)[0] for _ in range(5))
    with_record = time.perf_counter()
    sim.run(cfg, seeds[:1], turns=args.turns)
    with_record = time.perf_counter() - with_record

    loop_runs = min(args.loop_runs, args.runs)
    t = time.perf_counter()
    for s in seeds[:loop_runs]:
        _advance(cfg, [s], args.turns)
    loop_rate = loop_runs / (time.perf_counter() - t)

    batches = [_advance(cfg, seeds, args.turns) for _ in range(3)]
    batch, batch_rows = float(np.median([t for t, _ in batches])), batches[0][1]
    batch_rate = args.runs / batch
    points = max(1, args.runs // 100)
    sweep_seeds = np.tile(seeds[:100], points)[: args.runs]
    intensity = np.repeat(np.linspace(0.0, 1.0, points), 100)[: args.runs]
    design = dataclasses.replace(cfg.sanctions, intensity=intensity)
    sweeps = [_advance(cfg, sweep_seeds, args.turns, design) for _ in range(3)]
    sweep, sweep_rows = float(np.median([t for t, _ in sweeps])), sweeps[0][1]
    sweep_rate = len(sweep_seeds) / sweep
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"kzsim core benchmark: {args.turns} turns (months) per run, 1 process")
    print(f"{'measurement':52s} {'value':>14s}")
    print(f"{'one run, model only (best of 5)':52s} {single * 1e3:11.1f} ms")
    print(f"{'one run via sim.run (records every column)':52s} {with_record * 1e3:11.1f} ms")
    print(f"{f'baseline: {loop_runs} runs, one model per run':52s} {loop_rate:9.0f} runs/s")
    print(f"{f'batched: {args.runs} runs in one model (median of 3)':52s} {batch_rate:9.0f} runs/s")
    print(f"{'  wall time of that batch':52s} {batch:11.2f} s")
    rows = batch_rows
    print(f"{f'  rows advanced (runs + {rows - args.runs} counterfactuals)':52s} "
          f"{rows / batch:9.0f} rows/s")
    print(f"{f'sweep-shaped: 100 seeds x {points} points (median of 3)':52s} "
          f"{sweep_rate:9.0f} runs/s")
    rows = sweep_rows
    print(f"{f'  rows advanced (runs + {rows - len(sweep_seeds)} counterfactuals)':52s} "
          f"{rows / sweep:9.0f} rows/s")
    print(f"{'speed-up of batching over one model per run':52s} {batch_rate / loop_rate:10.1f} x")
    for label, rate in (("own seed each", batch_rate), ("sweep-shaped", sweep_rate)):
        print(f"{f'target: 10,000 runs/s per core ({label})':52s} "
              f"{'met' if rate >= 10_000 else 'NOT met':>14s}")
    print(f"{'peak resident memory of this process':52s} {peak_mb:10.0f} MB")


if __name__ == "__main__":
    main()
