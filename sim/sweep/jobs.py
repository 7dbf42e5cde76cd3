"""One chunk of a sweep as a self-contained job, and the executors that run jobs.

A :class:`ChunkJob` carries everything its chunk needs, so any
:class:`concurrent.futures.Executor` can run it anywhere (local processes, Dask, MPI); the
worker writes the chunk's parts and a receipt into ``out`` and returns their records.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.config import from_mapping
from sim.files import atomic_write_bytes, atomic_write_json
from sim.results import parquet_part, part_name, receipt_name
from sim.sweep.chunk import run_chunk


@dataclass(frozen=True)
class ChunkJob:
    """Everything one chunk needs, self-contained so any executor can run it anywhere.

    The worker needs only this object and write access to ``out`` (a shared file system
    for a cluster); it writes the chunk's parts and a receipt, and returns their records.
    """

    chunk: int
    mapping: dict
    points: pd.DataFrame
    rep_seeds: np.ndarray
    rep_levers: pd.DataFrame | None
    labels: pd.DataFrame | None
    turns: int
    band_every: int | None
    why: bool
    out: Path
    manifest_id: str
    ensemble: Any = None   # the posterior ensemble (sim.inference.ensemble.Ensemble) or None


_CONFIGS: dict[str, Any] = {}


def _config_of(job: ChunkJob):
    """The validated config of a job, built once per process and results folder."""
    if job.manifest_id not in _CONFIGS:
        _CONFIGS.clear()
        config = from_mapping(job.mapping)
        _CONFIGS[job.manifest_id] = (config.with_ensemble(job.ensemble)
                                     if job.ensemble is not None else config)
    return _CONFIGS[job.manifest_id]


def run_job(job: ChunkJob) -> tuple[int, int, dict]:
    """Run one chunk, write its parts atomically; return (chunk, runs, manifest records)."""
    result = run_chunk(_config_of(job), job.points, job.rep_seeds, job.turns, job.band_every,
                       job.rep_levers, job.why)
    runs = result.runs
    if job.labels is not None:
        runs = runs.join(job.labels, on="point_id")
    records = {}
    for name, frame in (("bands", result.bands), ("why", result.why), ("runs", runs)):
        if frame is not None:
            data, record = parquet_part(frame)
            path = job.out / part_name(name, job.chunk)
            path.parent.mkdir(exist_ok=True)
            atomic_write_bytes(path, data)
            records[part_name(name, job.chunk)] = record
    receipt = job.out / receipt_name(job.chunk)
    receipt.parent.mkdir(exist_ok=True)
    atomic_write_json(receipt, {"id": job.manifest_id, "chunk": job.chunk, "files": records})
    return job.chunk, len(runs), records


def _init_local_worker() -> None:
    """Local pool workers die with their parent and leave Ctrl-C and SIGTERM handling to it."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):
        pass


def local_pool(workers: int) -> ProcessPoolExecutor:
    """A process pool on this machine (fork where available) whose workers die with it."""
    ctx = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    return ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_local_worker)


def submit_all(executor: Executor, jobs: list[ChunkJob]):
    """Results of the jobs as they finish; pending ones are cancelled if this is interrupted."""
    futures = [executor.submit(run_job, job) for job in jobs]
    try:
        for future in as_completed(futures):
            yield future.result()
    finally:
        for future in futures:
            future.cancel()
