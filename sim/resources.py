"""Memory and disk a request needs, estimated before any work, against what the machine has.

Every command that holds many runs in memory at once checks its request here while its
settings are validated, so a request that cannot fit is refused with one
:class:`~sim.errors.ConfigError` line (naming the setting as the user wrote it, the estimate,
what is available and the largest value that fits) instead of ending in ``MemoryError``.

The constants below were measured on this code (Linux, Python 3.11, numpy 2, pandas 3,
pyarrow 26) and are rounded up; each says how. They are estimates for refusing hopeless
requests early, not exact accounting.
"""

from __future__ import annotations

import math
import os
import resource
import shutil
from pathlib import Path

from sim.errors import ConfigError
from sim.files import existing_ancestor

GB = 1e9
MB = 1e6
MEMORY_BUDGET_FRACTION = 0.6   # a request may use this share of the memory available now

# Commands that keep every run's full trajectory in memory (``kzsim run``, ``kzsim hindcast``,
# ``kzsim calibrate``: sim.api.run's recorder, the DataFrame, the parquet round trip, figures).
# Measured as peak RSS (/usr/bin/time -f %M) of ``kzsim run -q`` at turns=12 (runs 200 and
# 3000: 84 kB per run), turns=120 (runs 200, 1000, 3000, 6000: 470-650 kB per run) and
# turns=1200 (runs 20 and 300: 4.9 MB per run): about 31 kB + 4.05 kB per stored month, rounded
# up. ``kzsim hindcast`` (48 months; runs 200, 2000, 6000) measured 251 kB per run and
# ``kzsim calibrate`` (12 months; 1,000 and 10,000 runs) 55 kB per run, both below this.
TRAJECTORY_BYTES_PER_RUN = 32_000
TRAJECTORY_BYTES_PER_RUN_MONTH = 5_000

# One batched chunk of a sweep, comparison or sensitivity analysis (sim.sweep.chunk.run_chunk:
# model state, outcome sums, band trajectories as float32 and their sorted copy). Measured as
# peak RSS of run_chunk for one point with 1,000 and 8,000 replications: no bands 2.5 kB per
# run (turns=120); bands every month 3.8 kB (turns=12), 14.2 kB (turns=120) and 115 kB
# (turns=1200) per run, i.e. about 2.6 kB + 96 bytes per stored turn; ``why`` adds < 0.1 kB.
# Actors that choose (issue 11) score menus as (options, runs) arrays: 1,000 runs with bands
# every month at turns=60 peaked at 9.4 MB, so the fixed part was 3.5 kB. The posterior
# ensemble (issue 12) makes its parameters per-run arrays: the same chunk peaked at 9.97 MB,
# so the fixed part is now 4.0 kB. M25's benchmark (a (runs, 4) level per pushing mechanism,
# for the runs and their counterfactuals) raised that peak to 11.18 MB: the fixed part was
# 5.2 kB. The counterfactuals now advance as rows of the runs' own batch (sim.pairing), so their
# working arrays are alive together with the runs': 13.34 MB, a fixed part of 7.1 kB (8.0 with
# a margin).
CHUNK_BYTES_PER_RUN = 8_000
CHUNK_BYTES_PER_RUN_STORED_TURN = 100

# Point samplers (SALib, then the points DataFrame), per value of the (points, levers) array.
# tracemalloc peak of sobol.sample(calc_second_order=False) + DataFrame for 3, 7 and 13 levers
# and N = 4,096 and 32,768: 16.0 bytes per value; latin.sample + DataFrame, N = 200,000:
# 36 (13 levers) to 77 (3 levers) bytes per value. Rounded up to 20 and 80.
SAMPLER_BYTES_PER_VALUE = {"sobol": 20, "lhs": 80}

# A results folder's runs table loaded whole (``kzsim sensitivity`` averages it per point):
# tracemalloc peak of sim.load_results(...).runs plus a groupby mean on a 40,000-run sweep with
# 3 levers: 567 bytes per run (411 held).
RUNS_TABLE_BYTES_PER_ROW = 600
RUNS_TABLE_BYTES_PER_LEVER = 16

# Disk: sizes of real part files (du -sb) of sweeps at turns 24-120 with 400-40,000 runs and
# a comparison (why): runs 188-195 bytes per run plus ~44 kB per part file (1 part per 10,000
# runs at the default chunk size); bands 310-360 bytes per (point, stored turn); why 633 bytes
# per (point, turn); manifest.json, points.parquet and shard records 34-47 kB.
DISK_BYTES_PER_RUN = 200
DISK_BYTES_PER_PART = 45_000
DISK_RUNS_PER_PART = 10_000
DISK_BYTES_PER_BAND_ROW = 360
DISK_BYTES_PER_WHY_ROW = 650
DISK_BYTES_FIXED = 50_000


def _meminfo_available() -> int | None:
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _sysconf_available() -> int | None:
    try:
        pages = os.sysconf("SC_AVPHYS_PAGES")
        size = os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None
    return pages * size if pages > 0 and size > 0 else None


def _cgroup_headroom() -> int | None:
    try:
        limit = Path("/sys/fs/cgroup/memory.max").read_text().strip()
        if limit == "max":
            return None
        used = int(Path("/sys/fs/cgroup/memory.current").read_text().strip())
        return max(0, int(limit) - used)
    except (OSError, ValueError):
        return None


def _address_space_headroom() -> int | None:
    try:
        soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
    except (ValueError, OSError, AttributeError):
        return None
    if soft == resource.RLIM_INFINITY or soft <= 0:
        return None
    used = 0
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    used = int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return max(0, soft - used)


def available_memory() -> int:
    """Bytes of memory this process can still use.

    ``MemAvailable`` from ``/proc/meminfo`` (else ``os.sysconf``), lowered to the headroom of a
    cgroup memory limit or an address-space limit (``ulimit -v``) when one is set.
    """
    found = [m for m in (_meminfo_available() or _sysconf_available(), _cgroup_headroom(),
                         _address_space_headroom()) if m is not None]
    return min(found) if found else 8 * 2**30


def memory_budget() -> int:
    """Bytes one request may use: :data:`MEMORY_BUDGET_FRACTION` of the memory available."""
    return int(available_memory() * MEMORY_BUDGET_FRACTION)


def free_disk(path: str | os.PathLike) -> int:
    """Bytes free on the filesystem that holds ``path`` (or its nearest existing ancestor)."""
    return shutil.disk_usage(existing_ancestor(path)).free


def gb(n: float) -> str:
    """Bytes as a short GB figure, e.g. ``12.7 GB`` (``0.03 GB`` for small amounts)."""
    value = n / GB
    if value >= 99.5:
        return f"{value:,.0f} GB"
    return f"{value:.1f} GB" if value >= 0.95 else f"{value:.2g} GB"


def check_memory(need_bytes: float, setting: str, per_unit_bytes: float, *,
                 value: float | None = None, fixed_bytes: float = 0.0, detail: str = "") -> None:
    """Refuse a request whose estimated memory exceeds the budget, in one line.

    Args:
        need_bytes: the estimated peak memory of the request.
        setting: the setting that drives it, as the user writes it (e.g. ``runs``,
            ``calibration.candidates``).
        per_unit_bytes: memory per unit of that setting; with ``fixed_bytes``, gives the
            largest value that fits.
        value: the setting's value, shown in the message (default: derived from the need).
        fixed_bytes: the part of the need that does not grow with the setting.
        detail: a short explanation of the estimate, shown in parentheses.

    Raises:
        ConfigError: naming the setting, the estimate in GB, the memory available and the
            largest value of the setting that fits.

    """
    budget = memory_budget()
    if need_bytes <= budget:
        return
    available = available_memory()
    if value is None:
        value = round((need_bytes - fixed_bytes) / per_unit_bytes) if per_unit_bytes else 0
    largest = math.floor((budget - fixed_bytes) / per_unit_bytes) if per_unit_bytes > 0 else 0
    how = f" ({detail})" if detail else ""
    fits = (f"the largest {setting} that fits is {largest:,}" if largest >= 1 else
            f"not even {setting}=1 fits; free memory or lower other settings")
    raise ConfigError(f"{setting}={int(value):,} needs about {gb(need_bytes)} of memory{how}, but "
                      f"{gb(available)} is available and kzsim uses at most "
                      f"{MEMORY_BUDGET_FRACTION:.0%} of it ({gb(budget)}); {fits}")


def check_trajectories(runs: int, turns: int, setting: str = "runs", value: int | None = None,
                       per: int = 1, detail: str = "") -> None:
    """Refuse holding ``runs`` full trajectories of ``turns`` months when they do not fit.

    ``per`` is how many runs one unit of ``setting`` adds (e.g. the replications per
    calibration candidate); ``value`` is the setting's value (default ``runs``).
    """
    one = per_trajectory_bytes(turns)
    check_memory(trajectory_bytes(runs, turns), setting, per * one,
                 value=runs if value is None else value, detail=detail)


def trajectory_bytes(runs: int, turns: int) -> int:
    """Peak memory of holding ``runs`` full trajectories of ``turns`` months (sim.api.run)."""
    return int(runs) * per_trajectory_bytes(turns)


def per_trajectory_bytes(turns: int) -> int:
    """Peak memory of one run's full trajectory over ``turns`` months, plus its share of output."""
    return TRAJECTORY_BYTES_PER_RUN + TRAJECTORY_BYTES_PER_RUN_MONTH * (int(turns) + 1)


def chunk_run_bytes(turns: int, band_every: int | None) -> int:
    """Peak memory per run inside a batched chunk (bands kept every ``band_every`` turns)."""
    stored = int(turns) // band_every + 2 if band_every else 0
    return CHUNK_BYTES_PER_RUN + CHUNK_BYTES_PER_RUN_STORED_TURN * stored


def sampler_bytes(design: str, points: int, levers: int) -> int:
    """Peak memory of sampling ``points`` x ``levers`` values with SALib (``lhs`` or ``sobol``)."""
    return SAMPLER_BYTES_PER_VALUE.get(design, 16) * int(points) * int(levers)


def runs_table_bytes(runs: int, levers: int) -> int:
    """Peak memory of loading a results folder's runs table of ``runs`` rows."""
    return int(runs) * (RUNS_TABLE_BYTES_PER_ROW + RUNS_TABLE_BYTES_PER_LEVER * int(levers))


def estimate_sweep_disk_bytes(runs: int, points: int, turns: int, band_every: int | None,
                              why: bool) -> int:
    """Bytes a finished sweep (or comparison) folder takes on disk.

    Args:
        runs: total runs (points x replications).
        points: number of points (bands and why are stored per point).
        turns: months simulated.
        band_every: bands stored every this many months, or ``None`` for no bands.
        why: whether per-point contributions (``why/``) are stored.

    """
    runs, points, turns = int(runs), int(points), int(turns)
    parts = max(1, -(-runs // DISK_RUNS_PER_PART))
    total = DISK_BYTES_FIXED + runs * DISK_BYTES_PER_RUN + parts * DISK_BYTES_PER_PART
    if band_every:
        stored = turns // band_every + 1 + (1 if turns % band_every else 0)
        total += points * stored * DISK_BYTES_PER_BAND_ROW + parts * DISK_BYTES_PER_PART
    if why:
        total += points * turns * DISK_BYTES_PER_WHY_ROW + parts * DISK_BYTES_PER_PART
    return total
