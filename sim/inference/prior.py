"""The prior of an ABC fit: independent uniform or log-uniform bounds per parameter.

The sampler (:mod:`sim.inference.abc`, :mod:`sim.inference.abc_mcmc`) works in the prior's
transformed space ``u`` (the log of a log-uniform parameter), where every prior is uniform.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from sim.errors import ConfigError


@dataclass(frozen=True)
class Prior:
    """Independent uniform (or log-uniform) priors: names and ``[low, high]`` bounds."""

    names: tuple[str, ...]
    low: np.ndarray
    high: np.ndarray
    log: np.ndarray

    @classmethod
    def uniform(cls, bounds: Mapping[str, Sequence[float]], log: Sequence[str] = ()) -> Prior:
        """A prior from ``{name: (low, high)}``; names in ``log`` are log-uniform."""
        names = tuple(bounds)
        if not names:
            raise ConfigError("the prior has no parameters; give {name: (low, high)}")
        unknown = sorted(set(log) - set(names))
        if unknown:
            raise ConfigError(f"log-uniform parameters {unknown} are not in the prior")
        try:
            arr = np.array([[float(bounds[n][0]), float(bounds[n][1])] for n in names])
        except (TypeError, ValueError, IndexError):
            raise ConfigError("prior bounds must be pairs of numbers (low, high)") from None
        is_log = np.array([n in set(log) for n in names])
        bad = [n for n, (lo, hi), lg in zip(names, arr, is_log, strict=True)
               if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi) or (lg and lo <= 0)]
        if bad:
            raise ConfigError(f"prior bounds of {', '.join(bad)} need finite low < high "
                              "(and low > 0 for a log-uniform parameter)")
        return cls(names, arr[:, 0].copy(), arr[:, 1].copy(), is_log)

    @property
    def k(self) -> int:
        """Number of parameters."""
        return len(self.names)

    def to_u(self, theta: np.ndarray) -> np.ndarray:
        """Parameters to the sampler's space (log of the log-uniform ones)."""
        theta = np.asarray(theta, dtype=float)
        return np.where(self.log, np.log(np.where(self.log, theta, 1.0)), theta)

    def from_u(self, u: np.ndarray) -> np.ndarray:
        """The sampler's space back to parameters."""
        return np.where(self.log, np.exp(np.where(self.log, u, 0.0)), u)

    @property
    def u_low(self) -> np.ndarray:
        """Lower bounds in the sampler's space."""
        return self.to_u(self.low)

    @property
    def u_high(self) -> np.ndarray:
        """Upper bounds in the sampler's space."""
        return self.to_u(self.high)

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """``n`` draws ``(n, k)`` from the prior."""
        return self.from_u(rng.uniform(self.u_low, self.u_high, size=(n, self.k)))

    def inside(self, u: np.ndarray) -> np.ndarray:
        """Whether each row of ``u`` (sampler's space) lies within the bounds."""
        return ((u >= self.u_low) & (u <= self.u_high)).all(axis=-1)
