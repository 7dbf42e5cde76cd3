"""Run a sweep: sample points, split into chunks, run chunks in processes, store, resume.

Replication ``r`` uses the same seed at every point (common random numbers). Chunks hold
whole points (all their replications) so bands can be computed per chunk. A chunk's rows
depend only on the configuration and the chunk, never on the worker, shard or on what ran
before, so a resumed, parallel or sharded sweep stores exactly the rows of a serial one.
"""

from __future__ import annotations

import copy
import shutil
import sys
import time
from concurrent.futures import Executor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.config import from_mapping
from sim.errors import ConfigError
from sim.files import atomic_write_json, shown
from sim.folder import ResultsFolder, now
from sim.progress import Progress
from sim.resources import estimate_sweep_disk_bytes, free_disk, gb
from sim.results import (
    RECEIPTS,
    chunk_of,
    done_chunks,
    find_problems,
    frame_digest,
    parquet_part,
    receipt_name,
    with_receipts,
)
from sim.streams import run_seeds
from sim.sweep.jobs import ChunkJob, local_pool, run_job, submit_all
from sim.sweep.sampling import sample_points
from sim.sweep.settings import SweepSettings, column_name

_FINGERPRINT_SWEEP_KEYS = ("design", "samples", "replications", "grid", "ranges")
_IGNORED_CONFIG_KEYS = ("out", "quiet", "name")
CHUNK_MEMORY_BYTES = 256 * 2**20   # per worker: band arrays and their sorted copy dominate
LARGE_OUTPUT_BYTES = 2e9           # announce requests that will write more than this
FLUSH_SECONDS = 2.0                # how often finished chunks are recorded in the manifest


@dataclass
class Plan:
    """Everything fixed before any run: points, replications and chunk boundaries.

    ``rep_levers`` (optional, one row per replication) varies levers across replications
    instead of points — e.g. uncertainty samples in a comparison; ``labels`` are extra
    per-point columns (e.g. design names) stored in ``points.parquet``; ``ensemble`` is the
    posterior ensemble each run draws its other parameters from (None with ``ensemble=point``).
    """

    kind: str
    points: pd.DataFrame
    rep_seeds: np.ndarray
    points_per_chunk: int
    n_chunks: int
    identity: dict
    rep_levers: pd.DataFrame | None = None
    labels: pd.DataFrame | None = None
    ensemble: Any = None

    def chunk_points(self, chunk: int) -> pd.DataFrame:
        """The points of one chunk."""
        start = chunk * self.points_per_chunk
        return self.points.iloc[start:start + self.points_per_chunk]

    @property
    def runs(self) -> int:
        """Total runs of the sweep."""
        return len(self.points) * len(self.rep_seeds)


@dataclass(frozen=True)
class Execution:
    """How to run a plan: processes, shard, and which datasets besides runs to store."""

    workers: int
    shard: int = 0
    shards: int = 1
    fresh: bool = False
    band_every: int | None = 1
    why: bool = False


def make_plan(mapping: dict, settings: SweepSettings, ensemble=None) -> Plan:
    """Validate, sample the points and fix the chunking of a sweep."""
    cfg = from_mapping(mapping)
    points = sample_points(settings, mapping, cfg.seed)
    identity = {"sweep": {k: getattr(settings, k) for k in _FINGERPRINT_SWEEP_KEYS}}
    band_every = settings.band_every if settings.bands else None
    return build_plan("sweep", mapping, points, run_seeds(cfg.seed, settings.replications),
                      settings.chunk_size, band_every, identity, ensemble=ensemble)


def check_ensemble(mapping: dict, ensemble) -> dict:
    """The manifest record of the parameter source; refuse a posterior that is not loaded.

    ``mapping["ensemble"] == "posterior"`` needs the loaded ensemble (the edge reads
    ``posterior=`` and passes it in); with ``point`` none may be given.
    """
    from sim.inference.ensemble import POINT

    cfg = from_mapping(mapping)
    if cfg.ensemble == "point":
        if ensemble is not None:
            raise ConfigError("ensemble=point uses the configured values; pass no posterior "
                              "ensemble")
        return dict(POINT)
    if ensemble is None:
        raise ConfigError("ensemble=posterior but no posterior ensemble was passed in; load it "
                          "with kzsim.ensemble.load_ensemble (the commands do), or set "
                          "ensemble=point")
    cfg.with_ensemble(ensemble)  # its names must map onto the parameters
    return ensemble.identity()


def build_plan(kind: str, mapping: dict, points: pd.DataFrame, rep_seeds: np.ndarray,
               chunk_size: int, band_every: int | None, identity: dict,
               rep_levers: pd.DataFrame | None = None, labels: pd.DataFrame | None = None,
               why: bool = False, ensemble=None) -> Plan:
    """Fix the chunking (whole points per chunk, memory-capped) and the fingerprint.

    Lever columns of ``points`` and ``rep_levers`` may be dotted (``sanctions.intensity``);
    the plan names them as they are stored (``sanctions__intensity``). ``ensemble`` (needed
    with ``ensemble=posterior``) is recorded in the fingerprint by its identity (fit date,
    data and particles SHA-256), so a folder made with another posterior is not resumed.
    """
    source = check_ensemble(mapping, ensemble)
    points = points.rename(columns=column_name)
    if rep_levers is not None:
        rep_levers = rep_levers.rename(columns=column_name)
    turns = mapping["turns"]
    reps = len(rep_seeds)
    per_chunk = balanced_points_per_chunk(
        len(points), max(1, min(chunk_size, _runs_within_memory(band_every, why, turns)) // reps))
    identity = {"kind": kind,
                "config": {k: v for k, v in mapping.items() if k not in _IGNORED_CONFIG_KEYS},
                "band_every": band_every, "why": why, "chunk_size": chunk_size,
                "replications": reps, "rep_seeds": frame_digest(pd.DataFrame({"s": rep_seeds})),
                "points": frame_digest(points), "rep_levers": frame_digest(rep_levers),
                "labels": frame_digest(labels), "ensemble": source, **identity}
    return Plan(kind, points, rep_seeds, per_chunk, -(-len(points) // per_chunk), identity,
                rep_levers, labels, ensemble)


def balanced_points_per_chunk(points: int, most: int) -> int:
    """Points per chunk: as few chunks as hold at most ``most`` points each, equally filled.

    216 points at most 200 a chunk make two chunks of 108, not 200 and 16, so two workers
    finish together. It depends on the points and the cap only, never on the workers, so a
    folder's chunks are the same however many run it.
    """
    chunks = max(1, -(-points // most))
    return max(1, -(-points // chunks))


def execution_of(settings: SweepSettings) -> Execution:
    """The execution settings of a sweep."""
    return Execution(settings.n_workers, settings.shard, settings.shards, settings.fresh,
                     settings.band_every if settings.bands else None, False)


def _runs_within_memory(band_every: int | None, why: bool, turns: int) -> int:
    """Most runs a chunk may hold so one worker's arrays stay within the budget."""
    from sim.sweep.bands import BAND_VARIABLES
    from sim.sweep.why import WHY_SOURCES

    stored = turns // band_every + 2 if band_every else 0
    per_run = stored * len(BAND_VARIABLES) * 4 * 3 + 4096 + (
        len(WHY_SOURCES) * 4 * 8 * 6 if why else 0)
    return max(1, CHUNK_MEMORY_BYTES // per_run)


def _manifest_fields(plan: Plan, mapping: dict, extra: dict, name: str, turns: int) -> dict:
    rep_levers = [] if plan.rep_levers is None else list(plan.rep_levers.columns)
    return {"name": name, "config": mapping, **extra, "ensemble": plan.identity["ensemble"],
            "levers": list(plan.points.columns),
            "replication_levers": rep_levers,
            "counts": {"points": len(plan.points), "replications": len(plan.rep_seeds),
                       "runs": plan.runs, "chunks": plan.n_chunks, "turns": turns,
                       "points_per_chunk": plan.points_per_chunk},
            "seeds": {"base": mapping["seed"], "replication_seeds": plan.rep_seeds.tolist()}}


def _store_points(folder: ResultsFolder, plan: Plan) -> None:
    if "points.parquet" in folder.manifest["files"]:
        return
    points = plan.points if plan.labels is None else plan.labels.join(plan.points)
    data, record = parquet_part(points.reset_index())
    folder.write("points.parquet", data)
    folder.record({"points.parquet": record})
    folder.flush()


def _repair(folder: ResultsFolder, plan: Plan, quiet: bool) -> None:
    """Redo chunks with a missing or corrupted part; refuse foreign or unlisted parts."""
    problems = find_problems(folder.out, with_receipts(folder.out, folder.manifest))
    redo: set[int] = set()
    for p in problems:
        chunk = chunk_of(p.name)
        if p.code in ("missing", "corrupted") and chunk is not None and chunk < plan.n_chunks:
            redo.add(chunk)
        elif p.code in ("missing", "corrupted") and p.name == "points.parquet":
            folder.forget([p.name])
            _store_points(folder, plan)
        else:
            raise ConfigError(f"{p.line(folder.out)}; delete it, or re-run with "
                              f"{folder.fresh_hint} to start over")
    if redo:
        names = [n for n in folder.manifest["files"] if chunk_of(n) in redo]
        folder.forget(names)
        for chunk in redo:
            (folder.out / receipt_name(chunk)).unlink(missing_ok=True)
        if not quiet:
            bad = ", ".join(sorted({p.name for p in problems if chunk_of(p.name) in redo})[:3])
            print(f"kzsim: note: redoing {len(redo)} chunk(s) whose stored parts are missing or "
                  f"corrupted ({bad})", file=sys.stderr)


def _job(plan: Plan, chunk: int, mapping: dict, turns: int, execution: Execution, out: Path,
         manifest_id: str) -> ChunkJob:
    points = plan.chunk_points(chunk)
    labels = None if plan.labels is None else plan.labels.loc[points.index]
    return ChunkJob(chunk, mapping, points, plan.rep_seeds, plan.rep_levers, labels, turns,
                    execution.band_every, execution.why, out, manifest_id, plan.ensemble)


def run_sweep(mapping: dict, settings: SweepSettings, out: Path, quiet: bool = False,
              progress_stream=None, executor: Executor | None = None, ensemble=None) -> dict:
    """Run (or resume) this shard's part of a sweep into ``out``; return a summary.

    ``ensemble``: the posterior ensemble, needed with ``ensemble=posterior``
    (:func:`kzsim.ensemble.load_ensemble` loads it).
    """
    plan = make_plan(copy.deepcopy(mapping), settings, ensemble)
    return execute(plan, mapping, execution_of(settings), out, {"sweep": asdict(settings)},
                   quiet, progress_stream, executor=executor)


def execute(plan: Plan, mapping: dict, execution: Execution, out: Path, extra: dict,
            quiet: bool = False, progress_stream=None, fresh_hint: str | None = None,
            after=None, executor: Executor | None = None) -> dict:
    """Run (or resume) this shard's chunks of a plan into ``out``; return a summary.

    The folder is claimed first (:class:`~sim.folder.ResultsFolder`: a different
    configuration or code version is refused), damaged chunks are redone, and finished
    chunks are recorded in the manifest with their checksums as they arrive. ``after``
    (optional) is called with the folder once every chunk is stored, to write derived files
    (``folder.write...``) under the same claim. ``executor`` (any
    :class:`concurrent.futures.Executor`: Dask's ``client.get_executor()``, mpi4py's
    ``MPIPoolExecutor``, ...) runs the chunks instead of local processes; its workers need
    write access to ``out``.
    """
    mapping = copy.deepcopy(mapping)
    cfg = from_mapping(mapping)
    fields = _manifest_fields(plan, mapping, extra, cfg.name, cfg.turns)
    with ResultsFolder(out, plan.kind, plan.identity, fresh=execution.fresh,
                       fresh_hint=fresh_hint or f"{plan.kind}.fresh=true", extra=fields) as folder:
        _check_disk(folder, plan, cfg.turns, execution, quiet)
        _store_points(folder, plan)
        _repair(folder, plan, quiet)
        summary = _run_pending(folder, plan, mapping, cfg.turns, execution, quiet,
                               progress_stream, executor)
        if after is not None and summary["complete"]:
            after(folder)
            folder.flush()
        return summary


def _mine(plan: Plan, execution: Execution) -> list[int]:
    return [c for c in range(plan.n_chunks) if c % execution.shards == execution.shard]


def _check_disk(folder: ResultsFolder, plan: Plan, turns: int, execution: Execution,
                quiet: bool) -> None:
    """Refuse a request whose results would not fit on the disk; announce a large one."""
    done = done_chunks(with_receipts(folder.out, folder.manifest))
    pending = [c for c in _mine(plan, execution) if c not in done]
    points = sum(len(plan.chunk_points(c)) for c in pending)
    need = estimate_sweep_disk_bytes(points * len(plan.rep_seeds), points, turns,
                                     execution.band_every, execution.why)
    free = free_disk(folder.out)
    if need > free:
        raise ConfigError(f"this {plan.kind} needs about {gb(need)} of disk in "
                          f"{shown(folder.out)}, but {gb(free)} is free; free space, choose "
                          "another out=, or ask for fewer runs")
    if need > LARGE_OUTPUT_BYTES and not quiet:
        print(f"kzsim: note: this {plan.kind} will write about {gb(need)} to "
              f"{shown(folder.out)} ({gb(free)} free)", file=sys.stderr)


def _run_pending(folder: ResultsFolder, plan: Plan, mapping: dict, turns: int,
                 execution: Execution, quiet: bool, progress_stream,
                 executor: Executor | None) -> dict:
    out = folder.out
    if execution.shards > plan.n_chunks and not quiet:
        print(f"kzsim: note: {execution.shards} shards but only {plan.n_chunks} chunk(s); shards "
              f"{plan.n_chunks} and above have nothing to do (a smaller chunk_size makes more "
              "chunks)", file=sys.stderr)
    mine_all = _mine(plan, execution)
    finished = done_chunks(with_receipts(out, folder.manifest))
    pending = [c for c in mine_all if c not in finished]
    per_chunk_runs = {c: len(plan.chunk_points(c)) * len(plan.rep_seeds) for c in mine_all}
    total = sum(per_chunk_runs.values())
    progress = Progress(total, total - sum(per_chunk_runs[c] for c in pending), quiet,
                        progress_stream)
    started = now()
    jobs = [_job(plan, c, mapping, turns, execution, out, folder.manifest["id"])
            for c in pending]
    workers = min(execution.workers, max(len(pending), 1))
    t0 = last_flush = time.perf_counter()

    def arrived(n: int, records: dict) -> None:
        nonlocal last_flush
        folder.record(records)
        progress.advance(n)
        if time.perf_counter() - last_flush >= FLUSH_SECONDS:
            folder.flush()
            last_flush = time.perf_counter()

    try:
        if executor is not None:
            for _, n, records in submit_all(executor, jobs):
                arrived(n, records)
        elif workers <= 1:
            for job in jobs:
                arrived(*run_job(job)[1:])
        else:
            pool = local_pool(workers)
            try:
                for _, n, records in submit_all(pool, jobs):
                    arrived(n, records)
            finally:
                pool.shutdown(wait=False, cancel_futures=True)
    finally:
        progress.close()
    seconds = time.perf_counter() - t0
    merged = with_receipts(out, folder.flush())
    folder.record({n: r for n, r in merged["files"].items() if n not in folder.manifest["files"]})
    manifest = folder.flush()
    executed = sum(per_chunk_runs[c] for c in pending)
    record = {"shard": execution.shard, "shards": execution.shards, "chunks": len(mine_all),
              "chunks_run_now": len(pending), "runs_run_now": executed, "workers": workers,
              "started": started, "finished": now(), "seconds": round(seconds, 3)}
    (out / "shards").mkdir(exist_ok=True)
    atomic_write_json(out / "shards" / f"shard-{execution.shard}-of-{execution.shards}.json",
                      record)
    complete = len(done_chunks(manifest)) == plan.n_chunks
    if complete and not manifest["complete"]:
        folder.complete()
    if complete:
        shutil.rmtree(out / RECEIPTS, ignore_errors=True)
    return {"out": str(out), "points": len(plan.points), "replications": len(plan.rep_seeds),
            "runs": plan.runs, "runs_run_now": executed, "seconds": seconds,
            "complete": complete, "chunks": plan.n_chunks}
