"""Per-run, per-actor random streams that are identical alone or in any batch.

Each run has a 64-bit seed. Each random process (an actor, or the world) gets its own
stream key, derived from the run's seed and the stream's name; a draw is a pure function of
(key, turn, slot), computed with the splitmix64 finaliser (compiled:
``sim.kernels.uniform_draws``). This is a counter-based generator in the manner of Philox
or Starsim's common random numbers: no generator state is carried, so a run's draws do not
depend on which other runs share its batch, on draw order, on whether a mechanism is switched
off, or on any global RNG.

Run seeds for ``runs`` replications of a base seed come from ``numpy.random.SeedSequence``
(:func:`run_seeds`), so ``seed=1 runs=50`` and ``seed=2 runs=50`` do not overlap.
"""

from __future__ import annotations

import hashlib

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31 = (np.uint64(s) for s in (30, 27, 31))
_TWO_PI = 2.0 * np.pi
MAX_SEED = 2 ** 63 - 1


def mix64(x: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser applied elementwise to a uint64 array (wrapping arithmetic).

    Returns a new array (``x`` is not changed); the steps after the first work in place.
    """
    x = x ^ (x >> _S30)
    x *= _M1
    x ^= x >> _S27
    x *= _M2
    x ^= x >> _S31
    return x


def name_key(name: str) -> np.uint64:
    """A stable 64-bit key for a stream name (independent of Python's hash seed)."""
    return np.uint64(int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(),
                                    "little"))


def run_seeds(seed: int, runs: int) -> np.ndarray:
    """The ``runs`` per-run seeds derived from a base ``seed`` (prefix-stable in ``runs``)."""
    if runs < 1:
        raise ValueError("runs must be at least 1")
    state = np.random.SeedSequence(int(seed)).generate_state(runs, dtype=np.uint64)
    return (state >> np.uint64(1)).astype(np.int64)


def as_seed_array(seeds) -> np.ndarray:
    """Validate run seeds (non-negative integers below 2**63) and return them as int64."""
    arr = np.atleast_1d(np.asarray(seeds))
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError("seeds must be a non-empty sequence of integers")
    if arr.dtype.kind not in "iu":
        raise ValueError(f"seeds must be integers, got dtype {arr.dtype}")
    if (arr < 0).any() or (arr.astype(np.uint64) > MAX_SEED).any():
        raise ValueError("seeds must be between 0 and 2**63-1")
    return arr.astype(np.int64)


def _uniform(key: np.ndarray, turn: int, slot: int) -> np.ndarray:
    """Uniform draws in [0, 1) for the stream keys ``key``, this turn and slot."""
    from sim import kernels  # Numba loads with the first draw, not with the configuration
    counter = np.uint64((((turn << 16) + slot) * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF)
    return kernels.uniform_draws(key, counter, np.empty(key.shape[0]))


def _box_muller(key: np.ndarray, turn: int, slot: int) -> tuple[np.ndarray, np.ndarray]:
    """The radius ``sqrt(-2 log(1 - u1))`` and the float32 angle ``2 pi u2`` of one pair."""
    r = _uniform(key, turn, 2 * slot + 0x8000)
    np.subtract(1.0, r, out=r)
    np.log(r, out=r)
    r *= -2.0
    np.sqrt(r, out=r)
    u2 = _uniform(key, turn, 2 * slot + 0x8001)
    u2 *= _TWO_PI
    return r, u2.astype(np.float32)


def seed_groups(seeds: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Which runs share a seed: ``(first, runs)`` with ``seeds[first][runs] == seeds``.

    ``first`` holds each distinct seed's first run, ``runs`` each run's distinct seed. None
    where more than half the seeds are distinct (sharing draws would not pay).
    """
    distinct, first, runs = np.unique(seeds, return_index=True, return_inverse=True)
    if 2 * distinct.shape[0] > seeds.shape[0]:
        return None
    return first, runs.reshape(-1)


class Stream:
    """One named random process for every run of a batch.

    Args:
        seeds: int64 array of run seeds, shape (runs,).
        name: the stream's name, e.g. ``"actor/RUS"`` or ``"world/cpc"``.
        groups: optional :func:`seed_groups` of ``seeds``. Runs that share a seed (a sweep's
            design points) share their draws; given the groups, normals are drawn once per
            distinct seed and expanded: the same numbers, for fewer logarithms and cosines.

    """

    def __init__(self, seeds: np.ndarray, name: str, groups=None):
        self.name = name
        with np.errstate(over="ignore"):
            self._key = mix64(mix64(seeds.astype(np.uint64) + _GOLDEN) ^ name_key(name))
        self._groups = groups

    def uniform(self, turn: int, slot: int = 0) -> np.ndarray:
        """Uniform draws in [0, 1), one per run, for this turn and slot (a draw's index)."""
        return _uniform(self._key, turn, slot)

    def normal(self, turn: int, slot: int = 0) -> np.ndarray:
        """Standard normal draws (Box-Muller on slots ``2*slot`` and ``2*slot+1``).

        The cosine is taken in float32 (about 10x faster than float64 here; the draw keeps
        about 7 significant digits, far more than any noise term needs).
        """
        keys, runs = self._distinct()
        r, angle = _box_muller(keys, turn, slot)
        out = r * np.cos(angle)
        return out if runs is None else out[runs]

    def normals(self, turn: int, slot: int, k: int) -> np.ndarray:
        """``k`` standard normal draws per run, shape (runs, k).

        They come from ``(k + 1) // 2`` Box-Muller pairs: the cosine and the sine of each pair
        are both used, so ``k`` normals cost half the uniforms and logarithms of ``k`` calls
        to :meth:`normal`. Pair ``j`` uses the slots of ``normal(turn, slot + j)``, whose
        draw is the first column.
        """
        keys, runs = self._distinct()
        out = np.empty((keys.shape[0], k))
        for j in range((k + 1) // 2):
            r, angle = _box_muller(keys, turn, slot + j)
            np.multiply(r, np.cos(angle), out=out[:, 2 * j])
            if 2 * j + 1 < k:
                np.multiply(r, np.sin(angle), out=out[:, 2 * j + 1])
        return out if runs is None else out[runs]

    def _distinct(self) -> tuple[np.ndarray, np.ndarray | None]:
        """The keys to draw normals for, and each run's row among them (None: one per run)."""
        if self._groups is None:
            return self._key, None
        first, runs = self._groups
        return self._key[first], runs
