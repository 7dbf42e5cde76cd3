"""The posterior artefact: a small versioned folder holding an ABC-SMC posterior.

Layout of a posterior folder::

    posterior.json       metadata (below), written last
    particles.parquet    one row per particle: one column per parameter, weight, distance

``posterior.json`` holds ``kind`` (``kzsim-posterior``), the ``format`` version, the
``fit_date``, the ``data_version`` (SHA-256 of every data file used, and one digest over them
all), the ``model_version`` (:func:`sim.version.code_identity` and the git commit), the
parameter names and prior bounds, the settings, the per-generation record, the observed
statistics and their scales, a summary (mean, 90% interval, width ratio per parameter) and
the size and SHA-256 of ``particles.parquet``.

Both files are written atomically (:func:`sim.files.atomic_write_bytes`), particles first, so a
killed save leaves either the previous posterior or one whose JSON does not match its
particles, which :func:`load_posterior` refuses. Loading a missing, corrupt, truncated,
foreign or other-version artefact raises :class:`~sim.errors.ConfigError` with one line.
:func:`draw` resamples parameter sets by weight, for replications.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from sim.errors import ConfigError
from sim.files import atomic_write_bytes, sha256_bytes, sha256_file, shown
from sim.folder import now
from sim.inference.posterior import Generation, Posterior

KIND = "kzsim-posterior"
FORMAT = 1
META = "posterior.json"
PARTICLES = "particles.parquet"
_RESERVED = ("weight", "distance")
_REQUIRED = {"kind": str, "format": int, "fit_date": str, "data_version": dict,
             "model_version": dict, "parameters": list, "settings": dict, "generations": list,
             "observed": list, "scale": list, "stopped": str, "particles": dict}


def data_version(paths: Sequence[str | Path]) -> dict:
    """SHA-256 of each data file (by file name) and one digest over them all."""
    files: dict[str, str] = {}
    for p in paths:
        p = Path(p)
        if p.name in files:
            raise ConfigError(f"two data files are named {p.name}; give distinct files")
        try:
            files[p.name] = sha256_file(p)
        except OSError as err:
            raise ConfigError(f"data file {shown(p)} cannot be read ({err.strerror})") from None
    joined = "".join(f"{name}\0{digest}\n" for name, digest in sorted(files.items()))
    return {"sha256": sha256_bytes(joined.encode()), "files": dict(sorted(files.items()))}


def _model_version() -> dict:
    from sim.version import code_identity, git_commit

    return {**code_identity(), "git_commit": git_commit()}


def _particles_bytes(post: Posterior) -> bytes:
    import pandas as pd

    from sim.files import parquet_bytes

    frame = pd.DataFrame(post.particles, columns=list(post.names))
    frame["weight"] = post.weights
    frame["distance"] = post.distances
    return parquet_bytes(frame)


def save_posterior(post: Posterior, out: str | Path, data_files: Sequence[str | Path],
                   *, fit_date: str | None = None, settings: Mapping | None = None,
                   overwrite: bool = False) -> Path:
    """Write ``post`` to the folder ``out``; return the path of its ``posterior.json``.

    Args:
        post: from :func:`sim.inference.abc.abc_smc`.
        out: the folder (created if absent). A folder holding other files is refused; one
            holding a posterior is replaced only with ``overwrite=True``.
        data_files: the data files the fit used (their SHA-256 is the data version).
        fit_date: ISO date of the fit (default: now, UTC).
        settings: the caller's settings (targets, replications, simulator...), stored beside
            the sampler's own.
        overwrite: replace an existing posterior.

    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ConfigError(f"{shown(out)} exists and is not a folder; choose another folder")
    if out.is_dir():
        others = [p.name for p in out.iterdir()
                  if not p.name.startswith(".") and p.name not in (META, PARTICLES)]
        if others:
            raise ConfigError(f"{shown(out)} holds other files ({', '.join(sorted(others)[:3])});"
                              " a posterior is written only into its own folder")
        if (out / META).exists() and not overwrite:
            raise ConfigError(f"{shown(out)} already holds a posterior; pass overwrite=True to "
                              "replace it, or choose another folder")
    files = posterior_files(post, data_files, fit_date=fit_date, settings=settings)
    out.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(out / PARTICLES, files[PARTICLES])
    atomic_write_bytes(out / META, files[META])
    return out / META


def posterior_files(post: Posterior, data_files: Sequence[str | Path], *,
                    fit_date: str | None = None, settings: Mapping | None = None
                    ) -> dict[str, bytes]:
    """The two files of a posterior folder as bytes, ``{PARTICLES: ..., META: ...}``.

    For writers that record what they write (a results folder); write ``PARTICLES`` first.
    Arguments as :func:`save_posterior`.
    """
    if any(n in _RESERVED for n in post.names):
        raise ConfigError(f"parameter names {list(_RESERVED)} are reserved in {PARTICLES}")
    version = data_version(data_files)
    data = _particles_bytes(post)
    meta = {
        "kind": KIND, "format": FORMAT, "fit_date": fit_date or now(), "written": now(),
        "data_version": version, "model_version": _model_version(),
        "parameters": [{"name": n, "low": float(lo), "high": float(hi),
                        "scale": "log" if lg else "linear"}
                       for n, lo, hi, lg in zip(post.names, post.low, post.high, post.log,
                                                strict=True)],
        "settings": {"abc": post.settings, **({"fit": dict(settings)} if settings else {})},
        "generations": post.generation_table(), "stopped": post.stopped,
        "observed": post.observed.tolist(), "scale": post.scale.tolist(),
        "summary": post.summary(0.9), "ess": post.ess,
        "particles": {"file": PARTICLES, "rows": len(post.weights), "bytes": len(data),
                      "sha256": sha256_bytes(data)},
    }
    text = json.dumps(meta, indent=2, default=str) + "\n"
    return {PARTICLES: data, META: text.encode("utf-8")}


def _refuse(path: Path, what: str) -> ConfigError:
    return ConfigError(f"{shown(path)} {what}; refit, or give another posterior folder")


def _read_meta(folder: Path) -> dict:
    path = folder / META
    if not path.is_file():
        raise ConfigError(f"{shown(folder)} holds no {META}; give a posterior folder written by "
                          "sim.inference.posterior_store.save_posterior")
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        raise _refuse(path, "is not readable JSON (corrupt or truncated)") from None
    if not isinstance(meta, dict) or meta.get("kind") != KIND:
        raise _refuse(path, f"is not a kzsim posterior (no kind '{KIND}')")
    if meta.get("format") != FORMAT:
        raise _refuse(path, f"has posterior format {meta.get('format')!r}; this kzsim reads "
                            f"format {FORMAT}")
    for key, tp in _REQUIRED.items():
        if not isinstance(meta.get(key), tp):
            raise _refuse(path, f"lacks a valid '{key}' (corrupt)")
    return meta


def load_posterior(path: str | Path) -> Posterior:
    """Read and verify a posterior folder (or its ``posterior.json``).

    Raises:
        ConfigError: missing, corrupt, truncated, foreign or of another format.

    """
    folder = Path(path)
    if folder.name == META and folder.is_file():
        folder = folder.parent
    if not folder.is_dir():
        raise ConfigError(f"{shown(folder)} is not a posterior folder (it does not exist or is "
                          "a file)")
    meta = _read_meta(folder)
    try:
        names = tuple(str(p["name"]) for p in meta["parameters"])
        low = np.array([float(p["low"]) for p in meta["parameters"]])
        high = np.array([float(p["high"]) for p in meta["parameters"]])
        log = np.array([p["scale"] == "log" for p in meta["parameters"]])
        gens = [Generation(**g) for g in meta["generations"]]
        record = meta["particles"]
        rows, size, digest = int(record["rows"]), int(record["bytes"]), str(record["sha256"])
    except (KeyError, TypeError, ValueError):
        raise _refuse(folder / META, "has malformed parameters, generations or particles "
                                     "records (corrupt)") from None
    ppath = folder / PARTICLES
    try:
        data = ppath.read_bytes()
    except OSError:
        raise _refuse(folder, f"lacks {PARTICLES}") from None
    if len(data) != size or sha256_bytes(data) != digest:
        raise _refuse(ppath, "does not match the checksum in posterior.json (corrupt or "
                             "truncated)")
    import pandas as pd

    try:
        frame = pd.read_parquet(io.BytesIO(data))
    except Exception:  # any parser failure means a corrupt file
        raise _refuse(ppath, "is not readable Parquet (corrupt)") from None
    if list(frame.columns) != [*names, *_RESERVED] or len(frame) != rows:
        raise _refuse(ppath, "does not hold the parameters and rows posterior.json lists")
    weights = frame["weight"].to_numpy(float)
    if not (np.isfinite(weights).all() and (weights >= 0).all() and weights.sum() > 0):
        raise _refuse(ppath, "holds invalid weights (corrupt)")
    return Posterior(
        names=names, particles=frame[list(names)].to_numpy(float), weights=_normalised(weights),
        distances=frame["distance"].to_numpy(float), low=low, high=high, log=log,
        observed=np.array(meta["observed"], float), scale=np.array(meta["scale"], float),
        generations=gens, stopped=meta["stopped"], settings=meta["settings"].get("abc", {}),
        metadata=meta)


def _normalised(weights: np.ndarray) -> np.ndarray:
    """Weights summing to one; stored weights already do and are kept bit for bit."""
    total = weights.sum()
    return weights if abs(total - 1.0) <= 1e-12 else weights / total


def draw(post: Posterior, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` parameter sets ``(n, k)`` resampled by weight (multinomial), for replications."""
    if n < 1:
        raise ValueError("n must be at least 1")
    idx = rng.choice(len(post.weights), size=n, p=post.weights / post.weights.sum())
    return post.particles[idx]


def as_levers(post: Posterior, theta: np.ndarray) -> dict[str, np.ndarray]:
    """Parameter sets ``(n, k)`` as ``{dotted name: (n,) array}``, for ``with_levers``."""
    theta = np.asarray(theta, float)
    return {name: theta[:, j].copy() for j, name in enumerate(post.names)}


__all__ = ["FORMAT", "KIND", "as_levers", "data_version", "draw", "load_posterior",
           "posterior_files", "save_posterior"]
