"""A results folder: one configuration per folder, a verified manifest, whole files only.

Every command that writes results opens its folder through :class:`ResultsFolder`:

* **One writer configuration.** A setup lock (``fcntl.flock``, exclusive, held only while the
  folder is checked and the manifest read or updated) makes "check the manifest, then claim the
  folder" one step, so two different configurations can never both proceed. Writers hold a
  shared write lock for as long as they write; processes of the *same* configuration (shards,
  a second identical command) share it, while ``fresh=true`` needs it exclusively and is refused
  while anyone writes. Locks die with their process, so ``kill -9`` never leaves a folder locked.
* **A fingerprint of everything that changes results**: the command's settings, the resolved
  configuration, the model's code version and numerical libraries (:mod:`sim.version`).
  A different fingerprint is refused, naming what differs; ``fresh=true`` starts over.
* **Verified storage.** The manifest lists every data file with its size, SHA-256, and for
  Parquet its row count and schema; :mod:`sim.results` checks them before anything is read.
* **Written first, completed last.** The manifest is written before any data (``complete:
  false``) and completed after the last file, so a killed command leaves a folder that the
  same command resumes and any other refuses.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
import uuid
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from sim.errors import ConfigError
from sim.files import (
    atomic_write_bytes,
    atomic_write_json,
    check_output_folder,
    clean_stale_temporaries,
    sha256_bytes,
    shown,
)
from sim.version import code_identity, git_commit, package_versions

MANIFEST = "manifest.json"
FORMAT = 2
SETUP_LOCK = ".kzsim-setup.lock"
WRITE_LOCK = ".kzsim-write.lock"
LOCK_WAIT_SECONDS = 120.0
REQUIRED_KEYS = {"format": int, "kind": str, "id": str, "fingerprint": str, "identity": dict,
                 "files": dict, "complete": bool}
# Names kzsim writes into a results folder (anything else there is the user's and is kept).
OWN_NAMES = frozenset({
    MANIFEST, "points.parquet", "runs", "bands", "why", "shards", "receipts", "config.yaml",
    "trajectories.parquet", "alignment.png", "ternary.png", "summary.txt", "hindcast.csv",
    "hindcast.png", "fit.csv", "fitted.yaml", "sobol", "morris", "sobol.csv", "morris.csv",
    "sobol.png", "morris.png", "comparison.parquet", "comparison.csv", "pareto.csv",
    "report.html", "report.md", "report_files", "discovery.csv", "discovery.png",
    "discovery_tree.txt", "posterior", "fit_check.csv", "generations.csv", "coverage.csv",
    "posterior_summary.csv", "search", "frontier.csv", "designs.parquet",
    "discovery_trajectory.csv", "discovery_trajectory.png"})


def now() -> str:
    """The current UTC time, ISO 8601 to the second."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def file_record(data: bytes, rows: int | None = None, schema: str | None = None) -> dict:
    """The manifest's record of one data file."""
    record: dict[str, Any] = {"bytes": len(data), "sha256": sha256_bytes(data)}
    if rows is not None:
        record["rows"] = rows
    if schema is not None:
        record["schema"] = schema
    return record


def start_over(fresh_hint: str | None) -> str:
    """How a user discards a folder's results: the command's fresh switch, or deleting it."""
    return (f"re-run with {fresh_hint} to discard its results, or delete the folder" if fresh_hint
            else "delete the folder, or choose another out=")


def damaged(out: Path, what: str, fresh_hint: str | None) -> ConfigError:
    """The one-line error for a damaged folder, naming the repair."""
    return ConfigError(f"{shown(out)}/{MANIFEST} {what}; the folder cannot be trusted: "
                       f"{start_over(fresh_hint)}")


def read_manifest(out: Path, fresh_hint: str | None = "fresh=true") -> dict | None:
    """The validated manifest of a results folder, or None if it has none.

    Raises:
        ConfigError: the manifest is unreadable, not a kzsim manifest, or of an older format.

    """
    path = Path(out) / MANIFEST
    if not path.exists() and not path.is_symlink():
        return None
    try:
        manifest = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        raise damaged(out, "is not readable JSON", fresh_hint) from None
    if not isinstance(manifest, dict):
        raise damaged(out, "is not a kzsim manifest (not a JSON object)", fresh_hint)
    if manifest.get("format") == 1:
        raise ConfigError(f"{shown(out)} was written by an older kzsim (manifest format 1, "
                          f"without checksums): {start_over(fresh_hint)}")
    for key, tp in REQUIRED_KEYS.items():
        if (not isinstance(manifest.get(key), tp)
                or isinstance(manifest.get(key), bool) != (tp is bool)):
            raise damaged(out, f"lacks a valid '{key}'", fresh_hint)
    if manifest["format"] != FORMAT:
        raise damaged(out, f"has unknown format {manifest['format']}", fresh_hint)
    for name, record in manifest["files"].items():
        if (not isinstance(record, dict) or not isinstance(record.get("sha256"), str)
                or not isinstance(record.get("bytes"), int) or ".." in Path(name).parts
                or Path(name).is_absolute()):
            raise damaged(out, f"has an invalid record for '{shown(name, 60)}'", fresh_hint)
    return manifest


def differences(a: Any, b: Any, prefix: str = "") -> list[str]:
    """Dotted paths where two nested mappings differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        out: list[str] = []
        for key in sorted(set(a) | set(b), key=str):
            out += differences(a.get(key), b.get(key), f"{prefix}.{key}" if prefix else str(key))
        return out
    return [] if a == b else [prefix or "(everything)"]


def with_code(identity: dict) -> dict:
    """An identity extended with the model's code version (what the fingerprint hashes)."""
    return {**identity, "code": code_identity()}


@contextmanager
def _flock(path: Path, mode: int, wait: float, busy_message: str) -> Iterator[int]:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise ConfigError(busy_message) from None
                time.sleep(0.05)
        yield fd
    finally:
        os.close(fd)


class ResultsFolder:
    """Claim ``out`` for one configuration (a context manager), then write and record files.

    Args:
        out: the folder.
        kind: what writes it (``run``, ``sweep``, ``compare``, ``hindcast``, ...).
        identity: everything that decides the results (settings and resolved config); the
            code version is added here.
        fresh: discard the folder's kzsim results first.
        fresh_hint: how the user asks for ``fresh`` (e.g. ``sweep.fresh=true``), for messages;
            None if the command has no such switch.
        replace: the command rewrites its whole output when re-run with the same
            configuration (``run``, ``hindcast``); a sweep instead resumes.
        extra: more top-level manifest fields (settings, counts, seeds, ...).

    """

    def __init__(self, out: Path | str, kind: str, identity: dict, *, fresh: bool = False,
                 fresh_hint: str | None = None, replace: bool = False,
                 extra: dict | None = None) -> None:
        self.out = Path(out)
        self.kind = kind
        self.identity = json.loads(json.dumps(with_code(identity), default=str))  # as stored
        from sim.results import fingerprint

        self.fingerprint = fingerprint(self.identity)
        self.fresh = fresh
        self.fresh_hint = fresh_hint
        self.replace = replace
        self.extra = extra or {}
        self.manifest: dict = {}
        self.created = False
        self._write_lock = None
        self._pending: dict[str, dict] = {}

    # -- opening -------------------------------------------------------------------------
    def __enter__(self) -> ResultsFolder:
        check_output_folder(self.out)
        self.created = not self.out.exists()
        if not self.created and not (self.out / MANIFEST).exists():
            self._refuse_others_files()  # before any lock file is made among them
        try:
            self.out.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise ConfigError(f"out={shown(self.out)} cannot be created ({err.strerror}); "
                              "choose another out=") from None
        try:
            with self._setup_lock():
                self._claim()
        except BaseException:
            self._release()
            self._remove_if_ours_and_empty()
            raise
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if self._pending and exc_type is None:
                self.flush()
            elif self._pending:
                try:  # keep what finished before the failure, without masking it
                    self.flush()
                except (OSError, ConfigError):
                    pass
        finally:
            self._release()
            if exc_type is not None and exc_type is not KeyboardInterrupt:
                self._remove_if_ours_and_empty()

    def _setup_lock(self):
        return _flock(self.out / SETUP_LOCK, fcntl.LOCK_EX, LOCK_WAIT_SECONDS,
                      f"another kzsim process has held out={shown(self.out)} for "
                      f"{LOCK_WAIT_SECONDS:.0f} s; wait for it or choose another out=")

    def _claim(self) -> None:
        try:
            manifest = read_manifest(self.out, self.fresh_hint)
        except ConfigError:
            if not self.fresh:
                raise
            manifest = None
            self._discard()
        if manifest is None:
            self._refuse_foreign_content()
        elif manifest["kind"] != self.kind:
            raise ConfigError(f"{shown(self.out)} holds kzsim {manifest['kind']} results; a "
                              f"{self.kind} never writes into them: choose another out=")
        elif self.fresh or manifest["fingerprint"] != self.fingerprint:
            if not self.fresh:
                raise self._different(manifest)
            self._discard()
            manifest = None
        clean_stale_temporaries(self.out)
        if manifest is None:
            manifest = self._new_manifest()
        elif self.replace and manifest["complete"]:
            manifest.update(complete=False, finished=None)
            atomic_write_json(self.out / MANIFEST, manifest)
        self.manifest = manifest
        self._write_lock = os.open(self.out / WRITE_LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(self._write_lock, fcntl.LOCK_SH)

    def _different(self, manifest: dict) -> ConfigError:
        diff = differences(manifest["identity"], self.identity)
        code = [d for d in diff if d.startswith("code.")]
        listed = ", ".join(diff[:4]) + (" ..." if len(diff) > 4 else "")
        what = ("the model's code or numerical libraries changed since they were written"
                if code else "they come from a different configuration")
        return ConfigError(f"{shown(self.out)} holds {self.kind} results, but {what} (differs in: "
                           f"{listed}); {start_over(self.fresh_hint)}")

    def _refuse_others_files(self) -> list[str]:
        """Refuse a folder holding files kzsim did not write; return the names it did."""
        entries = [p for p in self.out.iterdir() if not p.name.startswith(".")]
        ours = [p.name for p in entries if p.name in OWN_NAMES]
        if len(ours) < len(entries):
            raise ConfigError(f"out={shown(self.out)} is not empty and holds no kzsim results; "
                              "choose another out= (kzsim never writes among other files)")
        return ours

    def _refuse_foreign_content(self) -> None:
        ours = self._refuse_others_files()
        if ours and not self.fresh:
            names = ", ".join(sorted(ours)[:3])
            raise ConfigError(f"{shown(self.out)} holds kzsim files ({names}) but no {MANIFEST}, "
                              f"so they cannot be verified: {start_over(self.fresh_hint)}")
        if ours:
            self._discard()

    def _discard(self) -> None:
        """Delete this folder's kzsim files (never the user's), if no one is writing."""
        busy = (f"another kzsim process is writing into {shown(self.out)}; wait for it to finish, "
                "or choose another out=")
        with _flock(self.out / WRITE_LOCK, fcntl.LOCK_EX, 0.0, busy):
            for name in OWN_NAMES:
                p = self.out / name
                if p.is_dir() and not p.is_symlink():
                    shutil.rmtree(p)
                elif p.exists() or p.is_symlink():
                    p.unlink()

    def _new_manifest(self) -> dict:
        manifest = {"format": FORMAT, "kind": self.kind, "id": uuid.uuid4().hex,
                    "fingerprint": self.fingerprint, "identity": self.identity, **self.extra,
                    "git_commit": git_commit(), "packages": package_versions(),
                    "started": now(), "finished": None, "complete": False, "files": {}}
        atomic_write_json(self.out / MANIFEST, manifest)
        return manifest

    def _release(self) -> None:
        if self._write_lock is not None:
            os.close(self._write_lock)
            self._write_lock = None

    def _remove_if_ours_and_empty(self) -> None:
        """Undo the creation of ``out`` if this process created it and recorded nothing."""
        if not self.created or not self.out.is_dir() or self.manifest.get("files"):
            return
        entries = [p for p in self.out.iterdir()
                   if p.name not in (MANIFEST, SETUP_LOCK, WRITE_LOCK)]
        if not entries:
            shutil.rmtree(self.out, ignore_errors=True)

    # -- writing -------------------------------------------------------------------------
    def write(self, name: str, data: bytes, rows: int | None = None,
              schema: str | None = None) -> None:
        """Write one file atomically and remember its record for the next :meth:`flush`."""
        path = self.out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, data)
        self._pending[name] = file_record(data, rows, schema)

    def write_frame(self, name: str, frame) -> None:
        """Write a table as Parquet, recording its rows and schema."""
        from sim.results import parquet_part

        data, record = parquet_part(frame)
        path = self.out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, data)
        self._pending[name] = record

    def write_text(self, name: str, text: str) -> None:
        """Write a text file (UTF-8)."""
        self.write(name, text.encode("utf-8"))

    def record(self, records: dict[str, dict]) -> None:
        """Remember records of files another process (a worker) wrote."""
        self._pending.update(records)

    def flush(self, **fields: Any) -> dict:
        """Merge pending file records (and ``fields``) into the manifest, under the lock."""
        with self._setup_lock():
            current = read_manifest(self.out, self.fresh_hint)
            if current is None or current["id"] != self.manifest["id"]:
                raise ConfigError(f"{shown(self.out)} was replaced by another kzsim process while "
                                  "this one wrote; its results were not recorded")
            for name, record in self._pending.items():
                record = dict(record)
                columns = record.pop("schema_fields", None)
                if columns is not None:
                    current.setdefault("schemas", {})[record["schema"]] = columns
                current["files"][name] = record
            current.update(fields)
            atomic_write_json(self.out / MANIFEST, current)
        self._pending = {}
        self.manifest = current
        return current

    def forget(self, names: list[str]) -> None:
        """Drop records (files to be redone), under the lock."""
        with self._setup_lock():
            current = read_manifest(self.out, self.fresh_hint)
            for name in names:
                current["files"].pop(name, None)
            atomic_write_json(self.out / MANIFEST, current)
        self.manifest = current

    def complete(self, **fields: Any) -> dict:
        """Record pending files and mark the folder complete."""
        return self.flush(complete=True, finished=now(), **fields)
