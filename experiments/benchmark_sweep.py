"""Benchmark of the experiment runner: one table, figures measured in this invocation.

    python -m kzsim.benchmark_sweep [--quick]

Compares, on the same model and 120-month runs: Mesa's ``batch_run`` (one Mesa model per
run, as its documentation prescribes), a plain loop of single runs, and kzsim's batched
runner (``kzsim sweep``) with 1 and with all workers; then the scaling of the runner's wall
time, peak memory (whole process tree: the sum of each process's proportional set size,
sampled every 50 ms from /proc) and disk use with the number of
runs (10k, 100k, 1M) and of turns. ``--quick`` uses smaller sizes (for a smoke test).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import mesa

import kzsim
from sim.model import KazakhstanModel
from sim.streams import run_seeds

_CONFIG = None


def _config():
    global _CONFIG
    if _CONFIG is None:
        _CONFIG = kzsim.load_config([])
    return _CONFIG


class OneRunModel(KazakhstanModel):
    """The same model as one Mesa model per run, with a DataCollector, for ``mesa.batch_run``."""

    def __init__(self, seed: int = 0, intensity: float = 0.7, secondary_enforcement: float = 0.2):
        cfg = _config()
        design = dataclasses.replace(cfg.sanctions, intensity=intensity,
                                     secondary_enforcement=secondary_enforcement)
        super().__init__(cfg, [seed], design=design)
        self.datacollector = mesa.DataCollector(model_reporters={
            "align_west": lambda m: float(m.state.align[0, 2] + m.state.align[0, 3]),
            "welfare": lambda m: float(m.state.welfare[0]),
        })
        self.datacollector.collect(self)

    def step(self) -> None:
        """One month, then collect (batch_run reads collected data by step)."""
        super().step()
        self.datacollector.collect(self)


def batch_run_rate(runs: int, turns: int) -> float:
    """Runs per second of mesa.batch_run (1 process) over a 2-lever grid."""
    levels = max(1, int(round((runs / 4) ** 0.5)))
    params = {"intensity": [0.2 + 0.6 * i / max(levels - 1, 1) for i in range(levels)],
              "secondary_enforcement": [0.8 * i / max(levels - 1, 1) for i in range(levels)],
              "seed": [1]}
    n = levels * levels * 4
    t = time.perf_counter()
    # batch_run runs max_steps + 1 steps (Mesa 3.3.1), so ask for turns - 1
    out = mesa.batch_run(OneRunModel, params, number_processes=1, iterations=4,
                         max_steps=turns - 1, display_progress=False)
    rate = n / (time.perf_counter() - t)
    assert len(out) == n
    return rate


def loop_rate(runs: int, turns: int) -> float:
    """Runs per second of a plain loop, one model per run, no data collection."""
    cfg = _config()
    t = time.perf_counter()
    for s in run_seeds(1, runs):
        m = KazakhstanModel(cfg, [s])
        m.run_turns(turns)
        m.release()
    return runs / (time.perf_counter() - t)


def _memory_kb(entry: str) -> int:
    """Proportional set size (shared pages split between sharers) if known, else RSS."""
    try:
        for line in Path(f"/proc/{entry}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    for line in Path(f"/proc/{entry}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _tree_rss_mb(pid: int) -> float:
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            if int(entry) != pid and int(stat[1]) != pid:
                continue
            total += _memory_kb(entry)
        except (OSError, IndexError, ValueError):
            continue
    return total / 1024


def sweep_subprocess(samples: int, reps: int, turns: int, workers: int, out: Path) -> dict:
    """Run ``kzsim sweep`` in a subprocess; wall time, peak tree memory, disk size."""
    args = [sys.executable, "-m", "kzsim.cli", "sweep", "experiment=sanctions_lhs",
            f"sweep.samples={samples}", f"sweep.replications={reps}", f"turns={turns}",
            f"sweep.workers={workers}", f"out={out}", "-q"]
    peak = [0.0]
    t = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def watch():
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_rss_mb(proc.pid))
            time.sleep(0.05)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - t
    watcher.join()
    if proc.returncode != 0:
        raise RuntimeError(err)
    disk = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 2**20
    runs = samples * reps
    shutil.rmtree(out)
    return {"runs": runs, "turns": turns, "wall": wall, "rate": runs / wall, "peak": peak[0],
            "disk": disk}


def main(argv=None) -> None:
    """Measure and print the table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes (smoke test)")
    args = ap.parse_args(argv)
    cores = os.cpu_count() or 1
    turns = 120
    base_runs = 16 if args.quick else 100
    scales = [10_000, 100_000] if args.quick else [10_000, 100_000, 1_000_000]
    turn_scales = [30, 120] if args.quick else [30, 60, 120, 240]
    tmp = Path(tempfile.mkdtemp(prefix="kzsim-bench-"))
    try:
        br = batch_run_rate(base_runs, turns)
        lp = loop_rate(base_runs, turns)
        cmp_runs = 10_000 if args.quick else 100_000
        one = sweep_subprocess(cmp_runs // 100, 100, turns, 1, tmp / "one")
        allw = sweep_subprocess(cmp_runs // 100, 100, turns, cores, tmp / "all")
        print(f"kzsim runner benchmark — {turns}-month runs, {cores} cores")
        print(f"{'way of running':54s} {'runs/s':>10s} {'vs batch_run':>13s}")
        for label, rate in (
            (f"mesa.batch_run, 1 process ({base_runs} runs)", br),
            (f"plain loop, one model per run ({base_runs} runs)", lp),
            (f"kzsim sweep, batched, 1 worker ({cmp_runs:,} runs, to disk)", one["rate"]),
            (f"kzsim sweep, batched, {cores} workers ({cmp_runs:,} runs, to disk)", allw["rate"]),
        ):
            print(f"{label:54s} {rate:10,.0f} {rate / br:12.0f}x")
        print()
        print(f"scaling of kzsim sweep ({cores} workers, LHS, 100 replications per point, "
              "bands every month, wall time includes start-up and writing)")
        print(f"{'runs':>10s} {'turns':>6s} {'wall s':>8s} {'runs/s':>9s} {'peak MB':>8s} "
              f"{'disk MB':>8s}")
        rows = [sweep_subprocess(n // 100, 100, turns, cores, tmp / f"s{n}") for n in scales]
        rows += [sweep_subprocess(scales[1] // 100, 100, t, cores, tmp / f"t{t}")
                 for t in turn_scales if t != turns]
        for r in sorted(rows, key=lambda r: (r["turns"] != turns, r["turns"], r["runs"])):
            print(f"{r['runs']:>10,} {r['turns']:>6} {r['wall']:>8.1f} {r['rate']:>9,.0f} "
                  f"{r['peak']:>8.0f} {r['disk']:>8.0f}")
        big = max(rows, key=lambda r: r["runs"])
        disk_target = ("met" if big["runs"] >= 1_000_000 and big["wall"] < 180
                       else "not measured" if big["runs"] < 1_000_000 else "NOT met")
        print()
        print(f"targets: >=100x batch_run: {'met' if allw['rate'] / br >= 100 else 'NOT met'} "
              f"({allw['rate'] / br:.0f}x); 1M x 120 to disk < 180 s: "
              f"{disk_target} ({big['wall']:.0f} s); peak < 2 GB: "
              f"{'met' if max(r['peak'] for r in rows) < 2048 else 'NOT met'} "
              f"(max {max(r['peak'] for r in rows):.0f} MB)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
