"""Replenishment ABC-SMC with MCMC moves, for many parameters (Drovandi & Pettitt 2011).

Population Monte Carlo (:func:`sim.inference.abc.abc_smc`) weights particles by
``prior / proposal mixture``; over the 23 parameters of the first evidence fit those weights
degenerate (an effective sample size of 1 to 7 of 300 particles). This sampler keeps equal
weights instead, after Drovandi & Pettitt (2011, "Estimation of parameters for macroparasite
population evolution using approximate Bayesian computation", Biometrics 67(1):225-233),
itself the adaptive ABC-SMC of Del Moral, Doucet & Jasra (2012) with a fixed drop fraction:

* **Start:** ``n_particles`` draws from the prior, simulated in one batch. The distance is the
  root mean square of the statistics standardised by ``scale`` (default: the MAD of these
  prior-predictive statistics, fixed from then on).
* **Each generation:** sort by distance; the tolerance ``eps`` becomes the largest distance
  of the best ``(1 - drop)`` share; the dropped particles are replaced by copies of kept
  ones, drawn uniformly, which then make ``R`` Metropolis-Hastings moves targeting the ABC
  posterior at ``eps``: a Gaussian random walk whose covariance is ``2.38^2 / k`` times the
  kept particles' covariance (Roberts, Gelman & Gilks 1997), accepted when the proposal's
  simulated distance is within ``eps`` and with the prior ratio. ``R`` follows from a first
  move's acceptance rate ``p``: ``R = ceil(log(c) / log(1 - p))``, so each copy moves at least
  once with probability ``1 - c``. Every move of every copy is one batched simulation.
* **Stopping:** when the acceptance rate falls below ``min_acceptance`` (the particles have
  stopped moving: the tolerance is as small as the simulation budget allows), after
  ``max_generations``, at ``min_epsilon``, or when ``max_simulations`` would be exceeded (the
  generation under way is then finished with the moves made so far).

The walk acts in the *probit space* of the bounds, ``z = Phi^-1((u - low) / (high - low))``
per coordinate (``u`` the sampler's space of :class:`~sim.inference.prior.Prior`), where the
uniform prior is a standard normal and no proposal leaves the support. Everything random comes
from one :class:`numpy.random.SeedSequence`: the same seed gives bit-identical particles.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass

import numpy as np
from scipy.special import ndtr, ndtri

from sim.errors import ConfigError
from sim.inference.abc import Simulator
from sim.inference.posterior import Generation, Posterior
from sim.inference.prior import Prior
from sim.inference.summaries import default_scale, standardised_distance

_EDGE = 1e-12


@dataclass(frozen=True)
class ReplenishSettings:
    """How the replenishment sampler runs (all deterministic given ``seed``)."""

    n_particles: int = 1000
    drop: float = 0.5
    c: float = 0.01
    max_moves: int = 200
    max_generations: int = 30
    min_acceptance: float = 0.02
    min_epsilon: float = 0.0
    max_simulations: int = 2_000_000
    seed: int = 0

    def validate(self) -> None:
        """Refuse settings the sampler cannot honour, with one line."""
        if self.n_particles < 4:
            raise ConfigError(f"n_particles must be at least 4, got {self.n_particles}")
        if not 0.0 < self.drop < 1.0 or int(self.drop * self.n_particles) < 1:
            raise ConfigError(f"drop must lie in (0, 1) and drop at least one particle, got "
                              f"{self.drop}")
        if not 0.0 < self.c < 1.0:
            raise ConfigError(f"c must lie in (0, 1), got {self.c}")
        if self.max_moves < 1 or self.max_generations < 1:
            raise ConfigError("max_moves and max_generations must be at least 1")
        if not 0.0 <= self.min_acceptance < 1.0:
            raise ConfigError(f"min_acceptance must lie in [0, 1), got {self.min_acceptance}")
        if self.max_simulations < self.n_particles:
            raise ConfigError(f"max_simulations ({self.max_simulations}) must cover the first "
                              f"population ({self.n_particles})")


def to_probit(u: np.ndarray, prior: Prior) -> np.ndarray:
    """The sampler's space to the probit space of the bounds."""
    p = np.clip((u - prior.u_low) / (prior.u_high - prior.u_low), _EDGE, 1.0 - _EDGE)
    return ndtri(p)


def from_probit(z: np.ndarray, prior: Prior) -> np.ndarray:
    """The probit space back to the sampler's space (always inside the bounds)."""
    return prior.u_low + (prior.u_high - prior.u_low) * ndtr(z)


def _walk_cholesky(z: np.ndarray) -> np.ndarray:
    """Cholesky factor of ``2.38^2 / k`` times the covariance of ``z``, regularised."""
    k = z.shape[1]
    cov = np.atleast_2d(np.cov(z, rowvar=False)) * (2.38 ** 2 / k)
    jitter = np.eye(k) * 1e-9
    for _ in range(8):
        try:
            return np.linalg.cholesky(cov + jitter)
        except np.linalg.LinAlgError:
            jitter = jitter * 100.0
    return np.eye(k) * 0.1


def moves_needed(p: float, c: float, most: int) -> int:
    """Moves so that a copy moves at least once with probability ``1 - c`` at acceptance ``p``."""
    if p >= 1.0:
        return 1
    if p <= 0.0:
        return most
    return min(most, max(1, math.ceil(math.log(c) / math.log1p(-p))))


def abc_replenish(simulate: Simulator, observed: Sequence[float], prior: Prior,
                  settings: ReplenishSettings | None = None,
                  scale: Sequence[float] | None = None,
                  progress: Callable[[Generation], None] | None = None) -> Posterior:
    """Run the replenishment ABC-SMC sampler; return the final population (equal weights).

    Args:
        simulate: ``simulate(theta (n, k), rng) -> stats (n, m)``, one call per batch.
        observed: the observed summary statistics ``(m,)``.
        prior: independent uniform / log-uniform bounds.
        settings: :class:`ReplenishSettings`.
        scale: the statistics' scales in the distance (default: MAD of the prior predictive).
        progress: called with each finished :class:`~sim.inference.posterior.Generation`
            (``simulations`` counts that generation's moves; ``ess`` is the number of
            distinct particles, the weights being equal; ``proposals_outside`` is 0).

    """
    settings = settings or ReplenishSettings()
    settings.validate()
    obs = np.asarray(observed, dtype=float).reshape(-1)
    if not np.isfinite(obs).all():
        raise ConfigError("the observed summary statistics must be finite numbers")
    m, n = len(obs), settings.n_particles
    root = np.random.SeedSequence(settings.seed)

    def streams() -> tuple[np.random.Generator, np.random.Generator]:
        a, b = root.spawn(1)[0].spawn(2)
        return np.random.default_rng(a), np.random.default_rng(b)

    def run(z: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        stats = np.asarray(simulate(prior.from_u(from_probit(z, prior)), rng), dtype=float)
        if stats.shape != (len(z), m):
            raise ValueError(f"simulate returned shape {stats.shape}, expected ({len(z)}, {m})")
        return standardised_distance(stats, obs, sc)

    t0 = time.perf_counter()
    rng_prop, rng_sim = streams()
    theta = prior.sample(n, rng_prop)
    stats = np.asarray(simulate(theta, rng_sim), dtype=float)
    if stats.shape != (n, m):
        raise ValueError(f"simulate returned shape {stats.shape}, expected ({n}, {m})")
    sc = default_scale(stats) if scale is None else np.asarray(scale, float).reshape(-1)
    if sc.shape != (m,) or not (np.isfinite(sc).all() and (sc > 0).all()):
        raise ConfigError(f"scale must be {m} positive numbers, one per statistic")
    z, d = to_probit(prior.to_u(theta), prior), standardised_distance(stats, obs, sc)
    total = n
    gens = [Generation(0, float("inf"), n, n, 0, 1.0, float(n), time.perf_counter() - t0)]
    if progress:
        progress(gens[0])
    n_drop = int(settings.drop * n)
    stopped = "max_generations"
    for t in range(1, settings.max_generations + 1):
        t1 = time.perf_counter()
        order = np.argsort(d, kind="stable")
        z, d = z[order], d[order]
        keep = n - n_drop
        eps = float(d[keep - 1])
        if not math.isfinite(eps):
            stopped = "no finite distance"
            break
        eps = max(eps, settings.min_epsilon)
        rng_prop, rng_sim = streams()
        idx = keep + np.arange(n_drop)
        parents = rng_prop.integers(0, keep, size=n_drop)
        z[idx], d[idx] = z[parents], d[parents]
        chol = _walk_cholesky(z[:keep])
        moves = accepted = sims = 0
        planned = 1
        while moves < planned:
            if total + sims + n_drop > settings.max_simulations:
                stopped = "max_simulations"
                break
            proposal = z[idx] + rng_prop.standard_normal((n_drop, z.shape[1])) @ chol.T
            d_new = run(proposal, rng_sim)
            log_ratio = 0.5 * (np.sum(z[idx] ** 2, axis=1) - np.sum(proposal ** 2, axis=1))
            ok = (d_new <= eps) & (np.log(rng_prop.uniform(size=n_drop)) < log_ratio)
            z[idx[ok]], d[idx[ok]] = proposal[ok], d_new[ok]
            accepted += int(ok.sum())
            sims += n_drop
            moves += 1
            if moves == 1:
                planned = moves_needed(accepted / n_drop, settings.c, settings.max_moves)
        total += sims
        acceptance = accepted / max(sims, 1)
        distinct = float(len(np.unique(z, axis=0)))
        gens.append(Generation(t, eps, n, sims, 0, acceptance, distinct,
                               time.perf_counter() - t1))
        if progress:
            progress(gens[-1])
        if stopped == "max_simulations":
            break
        if eps <= settings.min_epsilon:
            stopped = "min_epsilon"
            break
        if acceptance < settings.min_acceptance:
            stopped = "min_acceptance"
            break
    w = np.full(n, 1.0 / n)
    return Posterior(
        names=prior.names, particles=prior.from_u(from_probit(z, prior)), weights=w,
        distances=d, low=prior.low.copy(), high=prior.high.copy(), log=prior.log.copy(),
        observed=obs, scale=sc, generations=gens, stopped=stopped,
        settings={**asdict(settings), "sampler": "replenishment ABC-SMC (Drovandi & Pettitt "
                  "2011)", "simulations_total": int(total)})


__all__ = ["ReplenishSettings", "abc_replenish", "from_probit", "moves_needed", "to_probit"]
