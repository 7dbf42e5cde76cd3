"""Files that are whole or absent: atomic writes, checksums, stale temporaries, usable paths.

Every file kzsim writes goes through :func:`atomic_write_bytes`: the bytes go to a hidden
temporary beside the target (``.<name>.<host>.<pid>.tmp``), are flushed to disk and renamed
over the target, so a killed process leaves the previous complete file or nothing. Temporaries
of dead processes on this host are removed by :func:`clean_stale_temporaries` at the next start.
"""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import re
import shutil
import socket
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.errors import ConfigError

if TYPE_CHECKING:
    import pandas as pd

_HOST = re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname())[:40] or "host"
_TMP = re.compile(r"^\..+\.(?P<host>[A-Za-z0-9-]+)\.(?P<pid>\d+)\.tmp$")
MAX_NAME_BYTES = 255


def temporary_name(path: Path) -> Path:
    """The hidden temporary a write to ``path`` goes through."""
    return path.with_name(f".{path.name}.{_HOST}.{os.getpid()}.tmp")


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary renamed into place (fsynced first)."""
    path = Path(path)
    tmp = temporary_name(path)
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        if err.filename is None:  # a failed write() names no file; say which one
            raise OSError(err.errno, err.strerror, str(path)) from None
        raise
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """Write text (UTF-8) atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_json(path: Path, data: Any) -> None:
    """Write JSON atomically (indented, stable)."""
    atomic_write_text(path, json.dumps(data, indent=2, default=str) + "\n")


def parquet_bytes(frame: pd.DataFrame) -> bytes:
    """A DataFrame as Parquet (zstd, no index) in memory."""
    buf = io.BytesIO()
    frame.to_parquet(buf, index=False, compression="zstd")
    return buf.getvalue()


def sha256_bytes(data: bytes) -> str:
    """Hex SHA-256 of bytes."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's contents, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale_temporaries(folder: Path, recursive: bool = True) -> int:
    """Remove temporaries left by dead processes of this host under ``folder``; return count.

    A temporary of a live process (another writer still working) or of another host (a
    cluster job on a shared disk) is left alone.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return 0
    removed = 0
    for p in folder.rglob(".*.tmp") if recursive else folder.glob(".*.tmp"):
        m = _TMP.match(p.name)
        if m and m.group("host") == _HOST and not _alive(int(m.group("pid"))):
            if p.is_dir():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink(missing_ok=True)
            removed += 1
    return removed


def shown(path: Path | str, limit: int = 80) -> str:
    """A path as text, shortened in the middle if very long (for one-line messages)."""
    text = str(path)
    return text if len(text) <= limit else f"{text[:limit // 2 - 2]}...{text[-(limit // 2 - 1):]}"


def existing_ancestor(path: str | os.PathLike) -> Path:
    """``path`` itself if it exists, else its nearest existing parent (``.`` at worst)."""
    p = Path(path).absolute()
    for candidate in (p, *p.parents):
        if candidate.exists():
            return candidate
    return Path(".").absolute()


def check_output_folder(out: Path, key: str = "out") -> None:
    """Refuse, with one line, an output folder that cannot be created or written.

    Checks what can be known before writing: names too long for the file system, a path
    that is a file or lies under a file, and a nearest existing folder that is not writable
    (permissions or a read-only file system).
    """
    out = Path(out)
    for part in out.parts:
        if len(os.fsencode(part)) > MAX_NAME_BYTES:
            raise ConfigError(f"{key}={shown(out)} has a name longer than {MAX_NAME_BYTES} bytes "
                              f"('{shown(part, 40)}'); choose a shorter {key}=")
    if len(os.fsencode(str(out.absolute()))) > 4000:
        raise ConfigError(f"{key}={shown(out)} is too long a path; choose a shorter {key}=")
    if out.exists() and not out.is_dir():
        raise ConfigError(f"{key}={shown(out)} exists and is not a folder; choose another {key}=")
    existing = existing_ancestor(out)
    if existing != out.absolute() and not existing.is_dir():
        raise ConfigError(f"{key}={shown(out)} lies under {shown(existing)}, which is a file, "
                          f"not a folder; choose another {key}=")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise ConfigError(f"{key}={shown(out)} cannot be written: {shown(existing)} is read-only "
                          f"or not yours; choose another {key}=")


def is_disk_full(err: OSError) -> bool:
    """Whether an OSError means the disk (or quota) is full."""
    return err.errno in (errno.ENOSPC, errno.EDQUOT)
