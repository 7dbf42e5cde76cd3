"""Run a sweep: sample points, split into chunks, run chunks in processes, store, resume.

Replication ``r`` uses the same seed at every point (common random numbers). Chunks hold
whole points (all their replications) so bands can be computed per chunk. A chunk's rows
depend only on the configuration and the chunk, never on the worker, shard or on what ran
before, so a resumed, parallel or sharded sweep stores exactly the rows of a serial one.
"""

from __future__ import annotations

import copy
import multiprocessing
import os
import platform
import subprocess
import time
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.config import from_mapping
from sim.errors import ConfigError
from sim.progress import Progress
from sim.results import (
    MANIFEST,
    clean_temporaries,
    discard,
    done_chunks,
    fingerprint,
    read_manifest,
    write_json,
    write_part,
)
from sim.streams import run_seeds
from sim.sweep.chunk import run_chunk
from sim.sweep.sampling import sample_points
from sim.sweep.settings import SweepSettings

PACKAGES = ("kzsim", "mesa", "numpy", "pandas", "pyarrow", "hydra-core", "SALib")
_FINGERPRINT_SWEEP_KEYS = ("design", "samples", "replications", "grid", "ranges")
_IGNORED_CONFIG_KEYS = ("out", "quiet", "name")
CHUNK_MEMORY_BYTES = 256 * 2**20   # per worker: band arrays and their sorted copy dominate


@dataclass
class Plan:
    """Everything fixed before any run: points, replications and chunk boundaries.

    ``rep_levers`` (optional, one row per replication) varies levers across replications
    instead of points — e.g. uncertainty samples in a comparison; ``labels`` are extra
    per-point columns (e.g. design names) stored in ``points.parquet``.
    """

    kind: str
    points: pd.DataFrame
    rep_seeds: np.ndarray
    points_per_chunk: int
    n_chunks: int
    identity: dict
    fingerprint: str
    rep_levers: pd.DataFrame | None = None
    labels: pd.DataFrame | None = None

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


def make_plan(mapping: dict, settings: SweepSettings) -> Plan:
    """Validate, sample the points and fix the chunking of a sweep."""
    cfg = from_mapping(mapping)
    points = sample_points(settings, mapping, cfg.seed)
    identity = {"sweep": {k: getattr(settings, k) for k in _FINGERPRINT_SWEEP_KEYS}}
    band_every = settings.band_every if settings.bands else None
    return build_plan("sweep", mapping, points, run_seeds(cfg.seed, settings.replications),
                      settings.chunk_size, band_every, identity)


def build_plan(kind: str, mapping: dict, points: pd.DataFrame, rep_seeds: np.ndarray,
               chunk_size: int, band_every: int | None, identity: dict,
               rep_levers: pd.DataFrame | None = None, labels: pd.DataFrame | None = None,
               why: bool = False) -> Plan:
    """Fix the chunking (whole points per chunk, memory-capped) and the fingerprint."""
    turns = mapping["turns"]
    reps = len(rep_seeds)
    per_chunk = max(1, min(chunk_size, _runs_within_memory(band_every, why, turns)) // reps)
    identity = {"kind": kind,
                "config": {k: v for k, v in mapping.items() if k not in _IGNORED_CONFIG_KEYS},
                "band_every": band_every, "why": why, "chunk_size": chunk_size, **identity}
    return Plan(kind, points, rep_seeds, per_chunk, -(-len(points) // per_chunk), identity,
                fingerprint(identity), rep_levers, labels)


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


def _differences(a: Any, b: Any, prefix: str = "") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for key in sorted(set(a) | set(b), key=str):
            out += _differences(a.get(key), b.get(key), f"{prefix}.{key}" if prefix else str(key))
        return out
    return [] if a == b else [prefix]


def _prepare_folder(out: Path, plan: Plan, fresh: bool) -> None:
    manifest = read_manifest(out)
    if manifest is not None and manifest.get("kind") not in ("sweep", "compare"):
        raise ConfigError(f"{out} holds kzsim results of another kind; choose another out=")
    ours = ("runs", "bands", "why", "shards", "points.parquet")
    if manifest is None and out.exists() and any(p for p in out.iterdir()
                                                 if p.name not in ours and not p.name.startswith(".")):
        raise ConfigError(f"{out} is not empty and holds no kzsim sweep; choose another out=")
    if manifest is not None and fresh:
        discard(out)
        manifest = None
    if manifest is not None and manifest.get("fingerprint") != plan.fingerprint:
        diff = _differences(manifest.get("identity", {}), plan.identity)
        shown = ", ".join(diff[:4]) + (" ..." if len(diff) > 4 else "")
        raise ConfigError(f"{out} holds results of a different configuration (differs in: "
                          f"{shown}); re-run with {plan.kind}.fresh=true to discard them and "
                          "start again, or choose another out=")


def _git_commit() -> str:
    root = Path(__file__).resolve().parents[2]
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True,
                              text=True, timeout=5).stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _write_manifest(out: Path, plan: Plan, extra: dict, mapping: dict, name: str,
                    turns: int) -> dict:
    existing = read_manifest(out)
    if existing is not None:
        return existing
    rep_levers = [] if plan.rep_levers is None else list(plan.rep_levers.columns)
    manifest = {
        "kind": plan.kind, "format": 1, "name": name, "fingerprint": plan.fingerprint,
        "identity": plan.identity, "config": mapping, **extra,
        "levers": list(plan.points.columns), "replication_levers": rep_levers,
        "counts": {"points": len(plan.points), "replications": len(plan.rep_seeds),
                   "runs": plan.runs, "chunks": plan.n_chunks, "turns": turns,
                   "points_per_chunk": plan.points_per_chunk},
        "seeds": {"base": mapping["seed"], "replication_seeds": plan.rep_seeds.tolist()},
        "git_commit": _git_commit(), "packages": _versions(),
        "started": _now(), "finished": None, "complete": False,
    }
    out.mkdir(parents=True, exist_ok=True)
    tmp = out / f".points.{os.getpid()}.tmp"
    points = plan.points if plan.labels is None else plan.labels.join(plan.points)
    points.reset_index().to_parquet(tmp, index=False)
    tmp.replace(out / "points.parquet")
    write_json(out / MANIFEST, manifest)
    return manifest


_JOB: dict[str, Any] = {}


def _init_worker(payload: dict) -> None:
    _JOB.clear()
    _JOB.update(payload)
    _JOB["config"] = from_mapping(payload["mapping"])


def _execute(chunk: int) -> tuple[int, int, float]:
    t0 = time.perf_counter()
    plan: Plan = _JOB["plan"]
    points = plan.chunk_points(chunk)
    ex: Execution = _JOB["execution"]
    result = run_chunk(_JOB["config"], points, plan.rep_seeds, _JOB["turns"], ex.band_every,
                       plan.rep_levers, ex.why)
    out: Path = _JOB["out"]
    for name in ("bands", "why"):
        frame = getattr(result, name)
        if frame is not None:
            write_part(frame, out / name, chunk)
    runs = result.runs
    if plan.labels is not None:
        runs = runs.join(plan.labels, on="point_id")
    write_part(runs, out / "runs", chunk)
    return chunk, len(runs), time.perf_counter() - t0


def run_sweep(mapping: dict, settings: SweepSettings, out: Path, quiet: bool = False,
              progress_stream=None) -> dict:
    """Run (or resume) this shard's part of a sweep into ``out``; return a summary."""
    plan = make_plan(copy.deepcopy(mapping), settings)
    return execute(plan, mapping, execution_of(settings), out, {"sweep": asdict(settings)},
                   quiet, progress_stream)


def execute(plan: Plan, mapping: dict, execution: Execution, out: Path, extra: dict,
            quiet: bool = False, progress_stream=None) -> dict:
    """Run (or resume) this shard's chunks of a plan into ``out``; return a summary."""
    mapping = copy.deepcopy(mapping)
    cfg = from_mapping(mapping)
    _prepare_folder(out, plan, execution.fresh)
    _write_manifest(out, plan, extra, mapping, cfg.name, cfg.turns)

    def mine(c: int) -> bool:
        return c % execution.shards == execution.shard

    clean_temporaries(out, mine)
    mine_all = [c for c in range(plan.n_chunks) if mine(c)]
    finished = done_chunks(out)
    pending = [c for c in mine_all if c not in finished]
    per_chunk_runs = {c: len(plan.chunk_points(c)) * len(plan.rep_seeds) for c in mine_all}
    total = sum(per_chunk_runs.values())
    progress = Progress(total, total - sum(per_chunk_runs[c] for c in pending), quiet,
                        progress_stream)
    started = _now()
    payload = {"mapping": mapping, "plan": plan, "turns": cfg.turns, "out": out,
               "execution": execution}
    workers = min(execution.workers, max(len(pending), 1))
    t0 = time.perf_counter()
    try:
        if workers <= 1:
            _init_worker(payload)
            for c in pending:
                progress.advance(_execute(c)[1])
        else:
            ctx = multiprocessing.get_context(
                "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
            with ctx.Pool(workers, initializer=_init_worker, initargs=(payload,)) as pool:
                for _, n, _ in pool.imap_unordered(_execute, pending):
                    progress.advance(n)
    finally:
        progress.close()
    seconds = time.perf_counter() - t0
    executed = sum(per_chunk_runs[c] for c in pending)
    record = {"shard": execution.shard, "shards": execution.shards, "chunks": len(mine_all),
              "chunks_run_now": len(pending), "runs_run_now": executed, "workers": workers,
              "started": started, "finished": _now(), "seconds": round(seconds, 3)}
    (out / "shards").mkdir(exist_ok=True)
    write_json(out / "shards" / f"shard-{execution.shard}-of-{execution.shards}.json", record)
    complete = len(done_chunks(out)) == plan.n_chunks
    if complete:
        manifest = read_manifest(out)
        if not manifest.get("complete"):
            manifest.update(finished=_now(), complete=True)
            write_json(out / MANIFEST, manifest)
    return {"out": str(out), "points": len(plan.points), "replications": len(plan.rep_seeds),
            "runs": plan.runs, "runs_run_now": executed, "seconds": seconds,
            "complete": complete, "chunks": plan.n_chunks}
