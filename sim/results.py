"""The results store of a sweep: Parquet datasets of runs and bands, and ``manifest.json``.

Layout of a results folder::

    manifest.json           resolved config, fingerprint, git commit, packages, seeds, counts, times
    points.parquet          the sampled points (point_id and every lever)
    runs/part-00000.parquet one row per run: point_id, replication, seed, levers, outcomes
    bands/part-00000.parquet per point and stored turn: mean and 5/25/50/75/95% quantiles
    why/part-00000.parquet  (comparisons) per point and turn: mean contribution of each
                            mechanism and actor to the change in alignment
    shards/shard-0-of-1.json one record per shard: chunks done, start and end times

Each chunk's parts are written to a temporary file and renamed into place, so a chunk is
either wholly there or absent; ``runs/part-N`` is written last and marks chunk N done. The
datasets are plain Parquet for pandas, pyarrow or DuckDB; :func:`load_results` reads them.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from sim.errors import ConfigError

MANIFEST = "manifest.json"
FORMAT = 1
_PART = re.compile(r"^part-(\d+)\.parquet$")


def part_name(chunk: int) -> str:
    """File name of a chunk's part."""
    return f"part-{chunk:05d}.parquet"


def fingerprint(settings: dict[str, Any]) -> str:
    """A stable hash of everything that decides which rows a sweep produces."""
    text = json.dumps(settings, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def write_json(path: Path, data: dict) -> None:
    """Write JSON atomically (temporary file, then rename)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=False, default=str) + "\n")
    os.replace(tmp, path)


def write_part(frame: pd.DataFrame, folder: Path, chunk: int) -> None:
    """Write one chunk's part atomically."""
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / part_name(chunk)
    tmp = folder / f".{part_name(chunk)}.{os.getpid()}.tmp"
    frame.to_parquet(tmp, index=False, compression="zstd")
    os.replace(tmp, final)


def done_chunks(out: Path) -> set[int]:
    """Chunks whose runs part exists (a chunk's runs part is its last write)."""
    folder = out / "runs"
    if not folder.is_dir():
        return set()
    return {int(m.group(1)) for p in folder.iterdir() if (m := _PART.match(p.name))}


def clean_temporaries(out: Path, mine) -> None:
    """Remove temporary files a killed process left for chunks this process will redo."""
    for sub in ("runs", "bands", "why"):
        folder = out / sub
        if folder.is_dir():
            for p in folder.glob(".part-*.tmp"):
                m = re.match(r"^\.part-(\d+)\.parquet\.", p.name)
                if m and mine(int(m.group(1))):
                    p.unlink(missing_ok=True)


def read_manifest(out: Path) -> dict | None:
    """The manifest of a results folder, or None if there is none."""
    path = out / MANIFEST
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as err:
        raise ConfigError(f"{path} is not readable JSON ({err.__class__.__name__}); the folder "
                          "is damaged: choose another out= or start fresh") from None


def discard(out: Path) -> None:
    """Delete a previous sweep's files from ``out`` (only kzsim's own files)."""
    for sub in ("runs", "bands", "why", "shards"):
        shutil.rmtree(out / sub, ignore_errors=True)
    for name in (MANIFEST, "points.parquet"):
        (out / name).unlink(missing_ok=True)


@dataclass
class Results:
    """A loaded results folder: ``runs``, ``bands``, ``why`` DataFrames and the ``manifest``."""

    path: Path
    runs: pd.DataFrame
    bands: pd.DataFrame | None
    manifest: dict
    points: pd.DataFrame | None
    why: pd.DataFrame | None = None

    @property
    def kind(self) -> str:
        """'sweep' or 'compare'."""
        return self.manifest["kind"]

    @property
    def complete(self) -> bool:
        """Whether every planned run is stored."""
        return len(self.runs) == self.manifest["counts"]["runs"]


def _read_dataset(folder: Path, what: str) -> pd.DataFrame | None:
    files = sorted(p for p in folder.glob("part-*.parquet")) if folder.is_dir() else []
    if not files:
        return None
    frames = []
    for f in files:
        try:
            frames.append(pd.read_parquet(f))
        except Exception as err:  # pyarrow raises several types for damaged files
            raise ConfigError(f"{f} is not a readable Parquet file ({type(err).__name__}); "
                              f"delete it and run the sweep again to redo that chunk") from None
    return pd.concat(frames, ignore_index=True)


def load_results(path: str | os.PathLike) -> Results:
    """Load a results folder written by ``kzsim sweep`` (``sim.load_results``).

    Runs are sorted by (point_id, replication) and bands by (point_id, turn), so the result
    does not depend on which process or shard wrote which chunk.
    """
    out = Path(path)
    if not out.is_dir():
        raise ConfigError(f"{out} is not a folder; give the results folder of a sweep")
    manifest = read_manifest(out)
    if manifest is None:
        raise ConfigError(f"{out} has no {MANIFEST}; is it a kzsim results folder?")
    runs = _read_dataset(out / "runs", "runs")
    if runs is None:
        raise ConfigError(f"{out}/runs holds no finished chunk yet; run the sweep first")
    runs = runs.sort_values(["point_id", "replication"], kind="stable").reset_index(drop=True)
    bands = _read_dataset(out / "bands", "bands")
    if bands is not None:
        bands = bands.sort_values(["point_id", "turn"], kind="stable").reset_index(drop=True)
    why = _read_dataset(out / "why", "why")
    if why is not None:
        why = why.sort_values(["point_id", "turn"], kind="stable").reset_index(drop=True)
    points_file = out / "points.parquet"
    points = pd.read_parquet(points_file) if points_file.exists() else None
    manifest = dict(manifest)
    manifest["shards"] = [json.loads(p.read_text())
                          for p in sorted((out / "shards").glob("shard-*.json"))]
    return Results(out, runs, bands, manifest, points, why)
