"""The results store of a sweep or comparison, verified before it is read.

Layout of a results folder (see :mod:`sim.folder` for how it is claimed and written)::

    manifest.json           kind, fingerprint, resolved config, code version, packages, seeds,
                            counts, times, and every data file with its size, SHA-256,
                            row count and schema
    points.parquet          the sampled points (point_id and every lever)
    runs/part-00000.parquet one row per run: point_id, replication, seed, levers, outcomes
    bands/part-00000.parquet per point and stored turn: mean and 5/25/50/75/95% quantiles
    why/part-00000.parquet  (comparisons) per point and turn: mean contribution of each
                            mechanism and actor to the change in alignment
    shards/shard-0-of-1.json one record per shard: chunks done, start and end times
    receipts/chunk-00000.json (while a sweep runs) a finished chunk's records, not yet folded
                            into the manifest

A chunk is done when its parts are listed in the manifest or in a receipt of this folder.
:func:`load_results` reads only listed files, after checking each one's checksum, and refuses
a folder with a corrupted, missing, extra, duplicated or foreign part, naming the file and the
repair. The datasets are plain Parquet for pandas, pyarrow or DuckDB.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from sim.errors import ConfigError
from sim.files import parquet_bytes, sha256_file, shown
from sim.folder import MANIFEST, file_record, read_manifest

DATASETS = ("runs", "bands", "why")
RECEIPTS = "receipts"
_PART = re.compile(r"^part-(\d+)\.parquet$")


def part_name(dataset: str, chunk: int) -> str:
    """Relative path of a chunk's part of a dataset."""
    return f"{dataset}/part-{chunk:05d}.parquet"


def chunk_of(name: str) -> int | None:
    """The chunk index of a part's relative path (None if it is not a part)."""
    m = _PART.match(Path(name).name)
    return int(m.group(1)) if m and Path(name).parent.name in DATASETS else None


def fingerprint(identity: dict[str, Any]) -> str:
    """A stable hash of everything that decides which rows a command produces."""
    text = json.dumps(identity, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def frame_digest(frame: pd.DataFrame | None) -> str | None:
    """A stable hash of a table's values, index and column names (for fingerprints)."""
    if frame is None:
        return None
    values = pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes()
    return hashlib.sha256(
        values + json.dumps(list(map(str, frame.columns))).encode()).hexdigest()[:16]


def parquet_part(frame: pd.DataFrame) -> tuple[bytes, dict]:
    """A table as Parquet bytes and the manifest record of the file (rows, schema, checksum)."""
    data = parquet_bytes(frame)
    fields = [[str(c), str(t)] for c, t in frame.dtypes.items()]
    schema = hashlib.sha256(json.dumps(fields).encode()).hexdigest()[:12]
    return data, {**file_record(data, len(frame), schema), "schema_fields": fields}


PROBLEMS = {
    "missing": "is missing",
    "folder": "is a folder, not a file",
    "corrupted": "is corrupted (its checksum differs from the manifest's)",
    "unlisted": "is not listed in the manifest (a foreign file or a copy)",
}


@dataclass(frozen=True)
class Problem:
    """One file of a results folder that cannot be trusted (``code`` is a key of PROBLEMS)."""

    name: str
    code: str

    def line(self, out: Path) -> str:
        """The problem as words."""
        return f"{shown(out)}/{self.name} {PROBLEMS[self.code]}"


def find_problems(out: Path, manifest: dict) -> list[Problem]:
    """Every listed file that is missing or differs from its record, and every unlisted part.

    While a folder is incomplete, unlisted parts of planned chunks may be in the middle of
    being recorded by a writer and are not problems; any other unlisted part is.
    """
    problems = []
    files = manifest["files"]
    for name, record in files.items():
        path = out / name
        if not path.exists():
            problems.append(Problem(name, "missing"))
        elif not path.is_file():
            problems.append(Problem(name, "folder"))
        elif path.stat().st_size != record["bytes"] or sha256_file(path) != record["sha256"]:
            problems.append(Problem(name, "corrupted"))
    chunks = manifest.get("counts", {}).get("chunks", 0)
    for dataset in DATASETS:
        folder = out / dataset
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            name = f"{dataset}/{path.name}"
            chunk = chunk_of(name)
            if chunk is None or name in files:
                continue
            if manifest["complete"] or chunk >= chunks:
                problems.append(Problem(name, "unlisted"))
    return problems


def check_intact(out: Path, manifest: dict, fresh_hint: str = "fresh=true") -> None:
    """Refuse a folder with any :func:`find_problems` problem, naming the file and the repair."""
    problems = find_problems(out, manifest)
    if not problems:
        return
    first = problems[0]
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    if first.code in ("unlisted", "folder"):
        repair = f"delete it, or re-run with {fresh_hint} to start over"
    else:
        repair = (f"re-run the same command to redo that chunk, or re-run with {fresh_hint} to "
                  "start over")
    raise ConfigError(f"{first.line(out)}{more}; {repair}")


def receipt_name(chunk: int) -> str:
    """Relative path of the receipt a worker writes after a chunk's parts."""
    return f"{RECEIPTS}/chunk-{chunk:05d}.json"


def _valid_record(record: Any) -> bool:
    return (isinstance(record, dict) and isinstance(record.get("sha256"), str)
            and isinstance(record.get("bytes"), int))


def with_receipts(out: Path, manifest: dict) -> dict:
    """The manifest with the files of chunks finished but not yet recorded in it.

    A worker writes a receipt (its parts' records and the folder's manifest ``id``) after
    the parts; the writer folds receipts into the manifest every few seconds and at the end.
    A receipt of another folder (a different ``id``) or of another chunk is ignored.
    """
    folder = out / RECEIPTS
    if manifest["complete"] or not folder.is_dir():
        return manifest
    files = dict(manifest["files"])
    for path in sorted(folder.glob("chunk-*.json")):
        try:
            receipt = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        if not isinstance(receipt, dict) or receipt.get("id") != manifest["id"]:
            continue
        for name, record in (receipt.get("files") or {}).items():
            if chunk_of(name) == receipt.get("chunk") and _valid_record(record):
                files.setdefault(name, record)
    return {**manifest, "files": files}


def listed_parts(manifest: dict, dataset: str) -> list[str]:
    """Relative paths of a dataset's listed parts, in chunk order."""
    return sorted(n for n in manifest["files"]
                  if n.startswith(f"{dataset}/") and chunk_of(n) is not None)


def done_chunks(manifest: dict) -> set[int]:
    """Chunks whose runs part is listed (a chunk's runs part is recorded with its others)."""
    return {chunk_of(n) for n in listed_parts(manifest, "runs")}


@dataclass
class Results:
    """A loaded results folder: ``runs``, ``bands``, ``why`` DataFrames and the ``manifest``.

    ``path`` is None for results held only in memory (:func:`kzsim.sweep` and
    :func:`kzsim.compare` without ``out``); ``selection`` records the ``columns`` and
    ``filter`` a slice was read with (None: everything was read).
    """

    path: Path | None
    runs: pd.DataFrame
    bands: pd.DataFrame | None
    manifest: dict
    points: pd.DataFrame | None
    why: pd.DataFrame | None = None
    selection: dict | None = None

    @property
    def kind(self) -> str:
        """'sweep' or 'compare'."""
        return self.manifest["kind"]

    @property
    def complete(self) -> bool:
        """Whether every planned run is stored (for a slice: in the folder it was read from)."""
        stored = len(self.runs) if self.selection is None else sum(
            self.manifest["files"][n].get("rows", 0) for n in listed_parts(self.manifest, "runs"))
        return bool(self.manifest["complete"]) and stored == self.manifest["counts"]["runs"]


def _read_listed(out: Path, manifest: dict, names: list[str]) -> pd.DataFrame | None:
    frames = []
    for name in names:
        try:
            frame = pd.read_parquet(out / name)
        except Exception:  # checksummed, so only a forged manifest gets here
            raise ConfigError(f"{shown(out)}/{name} is not a readable Parquet file; delete it and "
                              "re-run the same command to redo it") from None
        if len(frame) != manifest["files"][name].get("rows", len(frame)):
            raise ConfigError(f"{shown(out)}/{name} has {len(frame)} rows, the manifest says "
                              f"{manifest['files'][name]['rows']}; delete it and re-run")
        frames.append(frame)
    return pd.concat(frames, ignore_index=True) if frames else None


def _read_shard_records(out: Path) -> list[dict]:
    records = []
    for p in sorted((out / "shards").glob("shard-*.json")):
        try:
            record = json.loads(p.read_text())
        except (OSError, ValueError):
            continue  # informational only; the next run of that shard rewrites it
        if isinstance(record, dict):
            records.append(record)
    return records


def _dataset(out: Path, manifest: dict, dataset: str):
    import pyarrow.dataset as pads

    return pads.dataset([str(out / n) for n in listed_parts(manifest, dataset)], format="parquet")


def _expression(filter: Any):  # noqa: A002
    """Turn an expression or pandas-style ``[(column, op, value)]`` into a pyarrow expression."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    if filter is None or isinstance(filter, pc.Expression):
        return filter
    try:
        return pq.filters_to_expression(filter)
    except (TypeError, ValueError) as err:
        raise ConfigError(f"load_results filter={shown(repr(filter), 80)} is neither a pyarrow "
                          f"expression nor [(column, op, value)] tuples ({err})") from None


def _read_slice(out: Path, manifest: dict, columns: Sequence[str] | None,
                filter: Any) -> pd.DataFrame:  # noqa: A002
    """Only the asked columns (plus the sort keys) of the runs that pass ``filter``, sorted."""
    import pyarrow as pa

    data = _dataset(out, manifest, "runs")
    names = data.schema.names
    if isinstance(columns, str):
        raise ConfigError(f"load_results columns= must be a list of column names, got "
                          f"{shown(repr(columns), 80)}")
    wanted = list(dict.fromkeys([*(columns or names), "point_id", "replication"]))
    unknown = [c for c in wanted if c not in names]
    if unknown:
        raise ConfigError(f"load_results: unknown column '{shown(unknown[0], 80)}' in "
                          f"{shown(out)}/runs; valid columns: {', '.join(names)}")
    try:
        table = data.to_table(columns=wanted, filter=_expression(filter))
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError) as err:
        first = (str(err).strip().splitlines() or ["it cannot be evaluated"])[0]
        raise ConfigError(f"load_results filter cannot be applied to {shown(out)}/runs: "
                          f"{shown(first, 200)}") from None
    frame = table.to_pandas()
    return frame.sort_values(["point_id", "replication"], kind="stable").reset_index(drop=True)


def _read_points(out: Path, manifest: dict, dataset: str, points) -> pd.DataFrame | None:
    """Read a per-point dataset: every listed part, or only the rows of ``points`` (pyarrow)."""
    if points is None:
        return _read_listed(out, manifest, listed_parts(manifest, dataset))
    if not listed_parts(manifest, dataset):
        return None
    import pyarrow.compute as pc

    table = _dataset(out, manifest, dataset).to_table(
        filter=pc.field("point_id").isin(list(map(int, points))))
    return table.to_pandas()


def load_results(path: str | os.PathLike, columns: Sequence[str] | None = None,
                 filter: Any = None) -> Results:  # noqa: A002 - pyarrow's and pandas' name
    """Load and verify a results folder written by ``kzsim sweep`` or ``compare``.

    Runs are sorted by (point_id, replication) and bands by (point_id, turn), so the result
    does not depend on which process or shard wrote which chunk.

    Args:
        path: the results folder.
        columns: read only these columns of the runs table (in this order); default all.
        filter: read only the runs for which this holds: a ``pyarrow.compute`` expression
            (``pc.field("final_align_west") < 0.4``) or pandas-style tuples
            (``[("point_id", "<", 100)]``, a list of lists for OR). Bands and contributions
            are then read only for the points of the selected runs.

    With ``columns`` or ``filter`` the runs are read through a ``pyarrow.dataset`` over the
    listed parts, so a slice of a large sweep is read without reading the rest; every
    listed file's checksum is verified first either way.

    Raises:
        ConfigError: not a results folder, a file that cannot be trusted (named, with the
            repair), or an unknown column or unusable filter.

    """
    out = Path(path)
    if not out.is_dir():
        raise ConfigError(f"{shown(out)} is not a folder; give the results folder of a sweep "
                          "or comparison")
    manifest = read_manifest(out)
    if manifest is None:
        raise ConfigError(f"{shown(out)} has no {MANIFEST}; is it a kzsim results folder?")
    if manifest["kind"] not in ("sweep", "compare") or not isinstance(manifest.get("counts"), dict):
        raise ConfigError(f"{shown(out)} holds kzsim {manifest['kind']} results, not a sweep or "
                          "comparison")
    manifest = with_receipts(out, manifest)
    check_intact(out, manifest, f"{manifest['kind']}.fresh=true")
    if not listed_parts(manifest, "runs"):
        raise ConfigError(f"{shown(out)}/runs holds no finished chunk yet; run the sweep first")
    sliced = columns is not None or filter is not None
    if sliced:
        runs = _read_slice(out, manifest, columns, filter)
        points_of = None if filter is None else runs["point_id"].unique()
        runs = runs[list(columns)] if columns is not None else runs
    else:
        runs = _read_listed(out, manifest, listed_parts(manifest, "runs"))
        runs = runs.sort_values(["point_id", "replication"], kind="stable").reset_index(drop=True)
        points_of = None
    bands = _read_points(out, manifest, "bands", points_of)
    if bands is not None:
        bands = bands.sort_values(["point_id", "turn"], kind="stable").reset_index(drop=True)
    why = _read_points(out, manifest, "why", points_of)
    if why is not None:
        why = why.sort_values(["point_id", "turn"], kind="stable").reset_index(drop=True)
    points = _read_listed(out, manifest, ["points.parquet"]) if "points.parquet" in manifest[
        "files"] else None
    manifest = dict(manifest)
    manifest["shards"] = _read_shard_records(out)
    selection = {"columns": None if columns is None else list(columns),
                 "filter": None if filter is None else str(_expression(filter))} if sliced else None
    return Results(out, runs, bands, manifest, points, why, selection)


def load_complete_results(path: str | os.PathLike) -> Results:
    """:func:`load_results`, refusing a folder whose command has not finished yet."""
    res = load_results(path)
    if not res.complete:
        raise ConfigError(f"{shown(path)} is not complete ({len(res.runs):,} of "
                          f"{res.manifest['counts']['runs']:,} runs); run the same command "
                          "again to finish it first")
    return res
