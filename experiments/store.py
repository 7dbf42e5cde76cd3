"""Writing results safely: validate first, write into a temporary folder, then move in.

A results folder holds ``config.yaml`` (the resolved configuration). Writing a different
configuration into a folder that already holds one is refused, so a finished run is never
overwritten by another; re-running the same configuration replaces its files atomically.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import pandas as pd
import yaml

from sim.errors import ConfigError

CONFIG_FILE = "config.yaml"


def dump_config(mapping: dict[str, Any]) -> str:
    """YAML text of a resolved configuration (stable key order)."""
    return yaml.safe_dump(mapping, sort_keys=False, default_flow_style=None)


def check_target(out: Path, config_text: str) -> None:
    """Refuse to write into ``out`` if it holds results of a different configuration."""
    if not out.exists():
        return
    if not out.is_dir():
        raise ConfigError(f"out={out} exists and is not a folder; choose another out=")
    existing = out / CONFIG_FILE
    if existing.exists():
        if existing.read_text() != config_text:
            raise ConfigError(f"{out} already holds results of a different configuration; "
                              "choose another out= or delete that folder first")
    elif any(out.iterdir()):
        raise ConfigError(f"{out} is not empty and holds no kzsim results; choose another out=")


@contextmanager
def staged(out: Path) -> Iterator[Path]:
    """A temporary sibling folder that replaces ``out`` only if the block succeeds."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        yield tmp
        if out.exists():
            old = out.with_name(f".{out.name}.old.{os.getpid()}")
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old)
        else:
            tmp.rename(out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)


def write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """Write a DataFrame as Parquet (zstd), via a temporary file renamed into place."""
    tmp = path.with_name(path.name + ".part")
    frame.to_parquet(tmp, index=False, compression="zstd")
    os.replace(tmp, path)


def read_parquet(path: Path) -> pd.DataFrame:
    """Read a results table; a missing or corrupt file gives one clear ConfigError."""
    if not path.exists():
        raise ConfigError(f"{path} not found; is this a kzsim results folder?")
    try:
        return pd.read_parquet(path)
    except Exception as err:  # pyarrow raises several types for damaged files
        raise ConfigError(f"{path} is not a readable Parquet file ({type(err).__name__}); "
                          "re-run the command that wrote it") from None
