"""Batched ABC-SMC: population Monte Carlo approximate Bayesian computation.

The algorithm is the ABC population Monte Carlo sampler of Beaumont, Cornuet, Marin & Robert
(2009, "Adaptive approximate Bayesian computation", Biometrika 96(4):983-990), in the
sequential form of Toni, Welch, Strelkowa, Ipsen & Stumpf (2009, "Approximate Bayesian
computation scheme for parameter inference and model selection in dynamical systems",
J. R. Soc. Interface 6:187-202), with the adaptive tolerance schedule of Del Moral, Doucet &
Jasra (2012, "An adaptive sequential Monte Carlo method for approximate Bayesian computation",
Statistics and Computing 22:1009-1020): each generation's tolerance is a quantile of the
previous generation's (weighted) distances.

* **Generation 0** draws ``n_particles`` parameter vectors from the prior and simulates them
  (tolerance infinite). The distance is the root mean square of the summary statistics
  standardised by ``scale`` (by default the median absolute deviation of the generation-0
  statistics, times 1.4826, computed once and kept, so the distance does not change between
  generations).
* **Generation t** sets ``eps_t`` to the ``quantile`` of generation t-1's distances, then draws
  batches of proposals: a parent by weight, perturbed with a Gaussian kernel whose covariance
  is twice the weighted covariance of generation t-1 (Beaumont et al. 2009). A proposal outside
  the prior bounds is discarded *and its parent re-drawn* (it is never simulated): the
  proposal density is then proportional to ``sum_j w_j K(theta | theta_j)`` inside the bounds,
  so the importance weight ``w_i ∝ prior(theta_i) / sum_j w_j K(theta_i | theta_j)`` needs no
  truncation constant. Each batch is simulated in **one** call ``simulate(theta, rng)``;
  proposals within ``eps_t`` are accepted until ``n_particles`` are (the first ones, in order,
  so the result does not depend on the batch sizes' rounding).
* **Stopping.** After ``max_generations``; when a generation's acceptance rate falls below
  ``min_acceptance`` (that generation is kept); when ``eps_t`` reaches ``min_epsilon``; or when
  the simulation budget ``max_simulations`` runs out (an unfinished generation is dropped and
  the last complete one returned). :attr:`Posterior.stopped` says which.

Priors are independent uniform bounds per parameter, or log-uniform (``log=``): the sampler
works in the transformed space (the log of a log-uniform parameter), where every prior is
uniform. Everything random comes from one :class:`numpy.random.SeedSequence`: the same seed,
simulator and settings give bit-identical particles and weights.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass

import numpy as np

from sim.errors import ConfigError
from sim.inference.posterior import Generation, Posterior, ess, weighted_quantile
from sim.inference.prior import Prior
from sim.inference.summaries import (
    MAD_TO_SD,
    default_scale,
    regression_summaries,
    standardised_distance,
)

Simulator = Callable[[np.ndarray, np.random.Generator], np.ndarray]
"""``simulate(theta (n, k), rng) -> stats (n, m)``: a whole batch in one call."""

# The prior, the posterior and the summaries live in their own modules; these names stay
# importable from here, where the sampler's users have always found them.
__all__ = ["ABCSettings", "Generation", "MAD_TO_SD", "Posterior", "Prior", "Simulator",
           "abc_smc", "default_scale", "ess", "regression_summaries", "standardised_distance",
           "weighted_quantile"]


@dataclass(frozen=True)
class ABCSettings:
    """How the sampler runs (all deterministic given ``seed``)."""

    n_particles: int = 200
    max_generations: int = 8
    quantile: float = 0.5
    min_acceptance: float = 0.02
    max_simulations: int = 200_000
    min_epsilon: float = 0.0
    batch_size: int | None = None
    max_batch: int = 4096
    seed: int = 0

    def validate(self) -> None:
        """Refuse settings the sampler cannot honour, with one line."""
        if self.n_particles < 2:
            raise ConfigError(f"n_particles must be at least 2, got {self.n_particles}")
        if self.max_generations < 1:
            raise ConfigError(f"max_generations must be at least 1, got {self.max_generations}")
        if not 0.0 < self.quantile < 1.0:
            raise ConfigError(f"quantile must lie in (0, 1), got {self.quantile}")
        if not 0.0 <= self.min_acceptance < 1.0:
            raise ConfigError(f"min_acceptance must lie in [0, 1), got {self.min_acceptance}")
        if self.max_simulations < self.n_particles:
            raise ConfigError(f"max_simulations ({self.max_simulations}) must cover at least "
                              f"one generation of n_particles ({self.n_particles})")
        if self.batch_size is not None and self.batch_size < 1:
            raise ConfigError(f"batch_size must be positive, got {self.batch_size}")
        if self.max_batch < 1:
            raise ConfigError(f"max_batch must be positive, got {self.max_batch}")



def _check_stats(stats, n: int, m: int | None) -> np.ndarray:
    stats = np.asarray(stats, dtype=float)
    if stats.ndim != 2 or stats.shape[0] != n or (m is not None and stats.shape[1] != m):
        want = f"({n}, {m})" if m is not None else f"({n}, m)"
        raise ValueError(f"simulate returned shape {stats.shape}, expected {want}")
    return stats


def _log_kernel_mix(u_new: np.ndarray, u_old: np.ndarray, log_w_old: np.ndarray,
                    chol: np.ndarray) -> np.ndarray:
    """``log sum_j w_j N(u_new_i; u_old_j, L L^T)`` for each new particle (constants dropped)."""
    out = np.empty(len(u_new))
    inv_t = np.linalg.inv(chol).T                  # z = L^-1 diff, row-wise: diff @ L^-T
    step = max(1, 2_000_000 // max(1, len(u_old) * u_new.shape[1]))
    for s in range(0, len(u_new), step):
        z = (u_new[s:s + step, None, :] - u_old[None, :, :]) @ inv_t   # (b, n_old, k)
        q = -0.5 * np.sum(z * z, axis=2) + log_w_old[None, :]
        top = q.max(axis=1, keepdims=True)
        out[s:s + step] = top[:, 0] + np.log(np.exp(q - top).sum(axis=1))
    return out


def _kernel_cholesky(u: np.ndarray, w: np.ndarray, prior: Prior) -> np.ndarray:
    """Cholesky factor of twice the weighted covariance (Beaumont et al. 2009), regularised."""
    mean = w @ u
    c = u - mean
    cov = 2.0 * (c * w[:, None]).T @ c
    width = prior.u_high - prior.u_low
    jitter = np.diag((1e-9 * width) ** 2)
    for _ in range(8):
        try:
            return np.linalg.cholesky(cov + jitter)
        except np.linalg.LinAlgError:
            jitter = jitter * 100.0
    return np.diag(0.1 * width)


def _propose(n: int, u_old: np.ndarray, w_old: np.ndarray, chol: np.ndarray, prior: Prior,
             rng: np.random.Generator) -> tuple[np.ndarray, int]:
    """``n`` proposals inside the bounds (parent by weight, then the kernel); how many fell out."""
    kept: list[np.ndarray] = []
    have, outside = 0, 0
    for _ in range(1000):
        draw = max(n - have, 16)
        parents = rng.choice(len(u_old), size=draw, p=w_old)
        u = u_old[parents] + rng.standard_normal((draw, prior.k)) @ chol.T
        ok = prior.inside(u)
        outside += int((~ok).sum())
        kept.append(u[ok])
        have += int(ok.sum())
        if have >= n:
            break
    else:
        raise RuntimeError("the perturbation kernel keeps leaving the prior bounds")
    return np.concatenate(kept)[:n], outside


def abc_smc(simulate: Simulator, observed: Sequence[float], prior: Prior,
            settings: ABCSettings | None = None, scale: Sequence[float] | None = None,
            progress: Callable[[Generation], None] | None = None) -> Posterior:
    """Run batched ABC-SMC (population Monte Carlo) and return the last complete generation.

    Args:
        simulate: ``simulate(theta (n, k), rng) -> stats (n, m)``, one call per batch (the
            batched runner with per-run parameter arrays fits here). Rows with NaN statistics
            are never accepted.
        observed: the observed summary statistics ``(m,)``.
        prior: independent uniform / log-uniform bounds, :meth:`Prior.uniform`.
        settings: particles, quantile, stopping rule, seed (:class:`ABCSettings`).
        scale: the scale of each statistic in the distance; by default the MAD of the
            generation-0 (prior-predictive) statistics.
        progress: called with each finished :class:`Generation`.

    Returns:
        :class:`Posterior`: particles, weights, distances, the per-generation record
        (tolerance, acceptance, simulations, ESS, seconds) and why it stopped.

    """
    settings = settings or ABCSettings()
    settings.validate()
    obs = np.asarray(observed, dtype=float).reshape(-1)
    if not np.isfinite(obs).all():
        raise ConfigError("the observed summary statistics must be finite numbers")
    m = len(obs)
    n = settings.n_particles
    root = np.random.SeedSequence(settings.seed)

    def streams() -> tuple[np.random.Generator, np.random.Generator]:
        a, b = root.spawn(1)[0].spawn(2)
        return np.random.default_rng(a), np.random.default_rng(b)

    # generation 0: the prior
    t0 = time.perf_counter()
    rng_prop, rng_sim = streams()
    theta = prior.sample(n, rng_prop)
    stats = _check_stats(simulate(theta, rng_sim), n, m)
    if scale is None:
        sc = default_scale(stats)
    else:
        sc = np.asarray(scale, dtype=float).reshape(-1)
        if sc.shape != (m,) or not (np.isfinite(sc).all() and (sc > 0).all()):
            raise ConfigError(f"scale must be {m} positive numbers, one per statistic")
    dist = standardised_distance(stats, obs, sc)
    u_cur, w_cur, d_cur = prior.to_u(theta), np.full(n, 1.0 / n), dist
    total = n
    gens = [Generation(0, float("inf"), n, n, 0, 1.0, float(n), time.perf_counter() - t0)]
    if progress:
        progress(gens[0])
    stopped = "max_generations"

    for t in range(1, settings.max_generations):
        t1 = time.perf_counter()
        finite = np.isfinite(d_cur)
        if not finite.any():
            stopped = "no finite distance"
            break
        eps = float(weighted_quantile(d_cur[finite], w_cur[finite], settings.quantile))
        last = eps <= settings.min_epsilon
        eps = max(eps, settings.min_epsilon)
        chol = _kernel_cholesky(u_cur, w_cur, prior)
        acc_u, acc_d = [], []
        n_acc = sims = outside = 0
        rate = max(gens[-1].acceptance * settings.quantile, 1e-3)
        budget_hit = False
        while n_acc < n:
            left = settings.max_simulations - total - sims
            if left <= 0:
                budget_hit = True
                break
            want = settings.batch_size or int(np.ceil(1.2 * (n - n_acc) / rate))
            b = int(min(max(want, 16), settings.max_batch, left))
            rng_prop, rng_sim = streams()
            u, out = _propose(b, u_cur, w_cur, chol, prior, rng_prop)
            outside += out
            s = _check_stats(simulate(prior.from_u(u), rng_sim), b, m)
            d = standardised_distance(s, obs, sc)
            ok = d <= eps
            acc_u.append(u[ok])
            acc_d.append(d[ok])
            n_acc += int(ok.sum())
            sims += b
            rate = max(n_acc / sims, 1e-3)
        total += sims
        if budget_hit:
            stopped = "max_simulations"
            break
        u_new = np.concatenate(acc_u)[:n]
        d_new = np.concatenate(acc_d)[:n]
        logw = -_log_kernel_mix(u_new, u_cur, np.log(w_cur), chol)
        w_new = np.exp(logw - logw.max())
        w_new /= w_new.sum()
        acceptance = n_acc / sims
        u_cur, w_cur, d_cur = u_new, w_new, d_new
        gens.append(Generation(t, eps, n, sims, outside, acceptance, ess(w_cur),
                               time.perf_counter() - t1))
        if progress:
            progress(gens[-1])
        if last:
            stopped = "min_epsilon"
            break
        if acceptance < settings.min_acceptance:
            stopped = "min_acceptance"
            break

    return Posterior(
        names=prior.names, particles=prior.from_u(u_cur), weights=w_cur, distances=d_cur,
        low=prior.low.copy(), high=prior.high.copy(), log=prior.log.copy(), observed=obs,
        scale=sc, generations=gens, stopped=stopped,
        settings={**asdict(settings), "simulations_total": int(total)})


__all__ = ["ABCSettings", "Generation", "Posterior", "Prior", "Simulator", "abc_smc",
           "default_scale", "ess", "regression_summaries", "standardised_distance",
           "weighted_quantile"]
