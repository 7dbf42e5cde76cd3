"""What an ABC fit gives: its weighted particles and the record of each generation."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

from sim.inference.prior import Prior


@dataclass(frozen=True)
class Generation:
    """What one generation cost and gave."""

    t: int
    epsilon: float
    accepted: int
    simulations: int
    proposals_outside: int
    acceptance: float
    ess: float
    seconds: float


def weighted_quantile(x: np.ndarray, w: np.ndarray, q) -> np.ndarray:
    """Quantiles ``q`` of ``x`` (1-d) under normalised weights ``w`` (midpoint rule)."""
    x, w = np.asarray(x, float), np.asarray(w, float)
    x, w = x[w > 0], w[w > 0]                    # a zero-weight particle is not there
    order = np.argsort(x, kind="stable")
    xs, ws = x[order], w[order] / w.sum()
    cum = np.cumsum(ws) - 0.5 * ws
    return np.interp(q, cum, xs)


def ess(w: np.ndarray) -> float:
    """Kish's effective sample size ``1 / sum w^2`` of normalised weights."""
    w = np.asarray(w, float) / np.sum(w)
    return float(1.0 / np.sum(w * w))


@dataclass
class Posterior:
    """The last complete ABC-SMC generation: weighted particles and how they were obtained."""

    names: tuple[str, ...]
    particles: np.ndarray              # (n, k), parameter space
    weights: np.ndarray                # (n,), normalised
    distances: np.ndarray              # (n,)
    low: np.ndarray                    # (k,) prior bounds
    high: np.ndarray
    log: np.ndarray                    # (k,) bool, log-uniform priors
    observed: np.ndarray               # (m,) observed summary statistics
    scale: np.ndarray                  # (m,) their scales in the distance
    generations: list[Generation]
    stopped: str
    settings: dict = field(default_factory=dict)
    metadata: dict = field(default_factory=dict)

    @property
    def prior(self) -> Prior:
        """The prior the particles were drawn under."""
        return Prior(self.names, self.low, self.high, self.log)

    @property
    def epsilon(self) -> float:
        """The final tolerance."""
        return self.generations[-1].epsilon

    @property
    def ess(self) -> float:
        """Effective sample size of the final weights."""
        return ess(self.weights)

    @property
    def simulations(self) -> int:
        """Simulations over all generations (including a dropped unfinished one)."""
        return int(self.settings.get("simulations_total",
                                     sum(g.simulations for g in self.generations)))

    def mean(self) -> np.ndarray:
        """Weighted posterior mean per parameter."""
        return self.weights @ self.particles

    def quantile(self, q) -> np.ndarray:
        """Weighted quantiles per parameter, ``(k,)`` for one ``q``, ``(len(q), k)`` for several."""
        out = np.stack([weighted_quantile(self.particles[:, j], self.weights, q)
                        for j in range(len(self.names))], axis=-1)
        return out

    def interval(self, level: float = 0.9) -> np.ndarray:
        """Equal-tailed weighted credible interval per parameter, ``(k, 2)``."""
        a = (1.0 - level) / 2.0
        return self.quantile([a, 1.0 - a]).T

    def width_ratio(self, level: float = 0.9) -> np.ndarray:
        """Credible-interval width over prior width per parameter (in the prior's own scale)."""
        prior = self.prior
        lo, hi = prior.to_u(self.interval(level).T)
        return (hi - lo) / (prior.u_high - prior.u_low)

    def summary(self, level: float = 0.9) -> list[dict]:
        """Per parameter: prior bounds, mean, interval and width ratio (plain numbers)."""
        mean, iv, ratio = self.mean(), self.interval(level), self.width_ratio(level)
        return [{"name": n, "prior_low": float(self.low[j]), "prior_high": float(self.high[j]),
                 "log_uniform": bool(self.log[j]), "mean": float(mean[j]),
                 "lower": float(iv[j, 0]), "upper": float(iv[j, 1]), "level": level,
                 "width_ratio": float(ratio[j])} for j, n in enumerate(self.names)]

    def generation_table(self) -> list[dict]:
        """The per-generation record as plain dicts."""
        return [asdict(g) for g in self.generations]
