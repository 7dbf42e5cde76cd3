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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np

from sim.errors import ConfigError

Simulator = Callable[[np.ndarray, np.random.Generator], np.ndarray]
"""``simulate(theta (n, k), rng) -> stats (n, m)``: a whole batch in one call."""

MAD_TO_SD = 1.4826


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


def standardised_distance(stats: np.ndarray, observed: np.ndarray,
                          scale: np.ndarray) -> np.ndarray:
    """Root mean square of ``(stats - observed) / scale`` per row; NaN rows are infinitely far."""
    z = (stats - observed) / scale
    d = np.sqrt(np.mean(z * z, axis=1))
    return np.where(np.isfinite(d), d, np.inf)


def default_scale(stats: np.ndarray) -> np.ndarray:
    """MAD x 1.4826 of each statistic (the SD if the MAD is 0, 1 if both are)."""
    med = np.nanmedian(stats, axis=0)
    mad = MAD_TO_SD * np.nanmedian(np.abs(stats - med), axis=0)
    sd = np.nanstd(stats, axis=0)
    return np.where(mad > 0, mad, np.where(sd > 0, sd, 1.0))


def regression_summaries(theta: np.ndarray, stats: np.ndarray,
                         prior: Prior) -> Callable[[np.ndarray], np.ndarray]:
    """Semi-automatic summaries: the linear regression of the parameters on the statistics.

    Fearnhead & Prangle (2012, "Constructing summary statistics for approximate Bayesian
    computation: semi-automatic approximate Bayesian computation", J. R. Stat. Soc. B
    74(3):419-474): from a pilot ``(theta, stats)`` drawn from the prior, fit
    ``E[theta_j | stats]`` by least squares (in the prior's own scale, on standardised
    statistics) and use the ``k`` fitted values as the summaries, one per parameter. Many noisy
    statistics then count by what they say about the parameters. Wrap a simulator with it::

        project = regression_summaries(theta0, simulate(theta0, rng), prior)
        abc_smc(lambda th, r: project(simulate(th, r)), project(observed[None])[0], prior)

    Returns:
        ``project(stats (n, m)) -> summaries (n, k)``; rows with NaN give NaN.

    """
    theta, stats = np.asarray(theta, float), np.asarray(stats, float)
    ok = np.isfinite(stats).all(axis=1)
    if ok.sum() <= stats.shape[1] + 1:
        raise ConfigError(f"the pilot needs more than {stats.shape[1] + 1} finite simulations "
                          f"for {stats.shape[1]} statistics, got {int(ok.sum())}")
    center, spread = stats[ok].mean(axis=0), stats[ok].std(axis=0)
    spread = np.where(spread > 0, spread, 1.0)
    design = np.hstack([np.ones((int(ok.sum()), 1)), (stats[ok] - center) / spread])
    beta, *_ = np.linalg.lstsq(design, prior.to_u(theta[ok]), rcond=None)

    def project(s: np.ndarray) -> np.ndarray:
        s = np.atleast_2d(np.asarray(s, float))
        return np.hstack([np.ones((len(s), 1)), (s - center) / spread]) @ beta

    return project


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
