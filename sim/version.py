"""What decides a result besides its configuration: the model's code and numerical libraries.

A results folder's fingerprint includes :func:`code_identity`, so resuming or extending
results after the model's sources or a numerical dependency changed is refused rather than
silently mixing two model versions (the git commit is recorded too, for the reader).
"""

from __future__ import annotations

import hashlib
import platform
import subprocess
from functools import lru_cache
from importlib import metadata
from pathlib import Path

NUMERICAL_PACKAGES = ("numpy", "pandas", "pyarrow", "mesa", "SALib", "scipy", "scikit-learn")
RECORDED_PACKAGES = ("kzsim", *NUMERICAL_PACKAGES, "hydra-core", "matplotlib")
SOURCE_ROOT = Path(__file__).resolve().parent


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def sources_digest(root: Path = SOURCE_ROOT) -> str:
    """SHA-256 over the relative paths and contents of every ``.py`` file under ``root``."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def code_identity() -> dict[str, str]:
    """The model's code version: kzsim's version, a digest of ``sim/`` and numerical packages."""
    return {"kzsim": _version("kzsim"), "sim_sources": sources_digest(),
            "python": ".".join(platform.python_version_tuple()[:2]),
            **{name: _version(name) for name in NUMERICAL_PACKAGES}}


def package_versions() -> dict[str, str]:
    """Versions of Python and the packages worth recording in a manifest."""
    return {"python": platform.python_version(), **{n: _version(n) for n in RECORDED_PACKAGES}}


@lru_cache(maxsize=1)
def git_commit() -> str:
    """The git commit of the source tree (``-dirty`` if it has uncommitted changes), if any."""
    root = SOURCE_ROOT.parent
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True,
                              text=True, timeout=5).stdout.strip()
        if not head:
            return "unknown"
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "sim"], cwd=root,
                               capture_output=True, text=True, timeout=5).stdout.strip()
        return head + ("-dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"
