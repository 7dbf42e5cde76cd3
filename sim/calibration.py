"""Fitting the uncertain parameters to the 2022 observations (simulated method of moments).

Method: the 2022 replay (``history=events_2022_2025``, January-December 2022) is run for every
candidate parameter vector, all candidates in one batch (per-run parameter arrays) on the same
paired seeds. The objective is the weighted sum of squared log ratios of simulated to observed
yearly values, ``sum w * log(sim / obs)^2``. A Latin hypercube over the parameter ranges is
searched first, then a second hypercube in a box of +-15% of each range around the best
candidate; the best of both is kept. A target that is a bound (``bound: lower``) adds only its
shortfall (:mod:`sim.targets`). Targets, sources, weights, tolerances and ranges are in
``configs/targets/kz2022.yaml``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
from SALib.sample import latin

from sim.hindcast import replay, simulated_targets
from sim.streams import run_seeds
from sim.sweep.chunk import with_levers
from sim.targets import bounds_of, shortfall, within_tolerance


@dataclass
class Fit:
    """The fitted parameters, the target table and what the search cost."""

    values: dict[str, float]
    table: pd.DataFrame
    objective: float
    runs: int
    seconds: float


def _objective(sim: np.ndarray, observed: np.ndarray, weights: np.ndarray,
               bounds: np.ndarray) -> np.ndarray:
    """``sum w * miss^2`` with ``miss`` the log ratio, a bound's only beyond it (sim.targets)."""
    return (weights * shortfall(np.log(np.maximum(sim, 1e-9) / observed), bounds) ** 2
            ).sum(axis=-1)


def _evaluate(config, targets, names, x: np.ndarray, seeds: np.ndarray) -> np.ndarray:
    k, reps = len(x), len(seeds)
    values = {n: np.repeat(x[:, i], reps) for i, n in enumerate(names)}
    _, params = with_levers(config, values)
    per_run = replay(config, np.tile(seeds, k), last_year=2022, params=params)
    sim = simulated_targets(per_run, targets, groups=k)
    return sim if sim.ndim == 2 else sim[None, :]


def _lhs(bounds: np.ndarray, n: int, seed: int) -> np.ndarray:
    problem = {"num_vars": len(bounds), "names": [f"x{i}" for i in range(len(bounds))],
               "bounds": bounds.tolist()}
    return latin.sample(problem, n, seed=seed)


def calibrate(config, targets: list[dict], ranges: dict[str, list], candidates: int = 1200,
              refine: int = 600, replications: int = 4, seed: int = 0) -> Fit:
    """Search ``ranges`` for the parameters that best reproduce ``targets``.

    Calibration fits parameters, so it never draws them from the posterior ensemble: it
    runs at the configuration's point values (``ensemble=point``, issue 12 item 4).
    """
    t0 = time.perf_counter()
    if config.ensemble != "point":
        config = config.replace(ensemble="point")
    names = list(ranges)
    bounds = np.array([ranges[n] for n in names], dtype=float)
    observed = np.array([t["observed"] for t in targets], dtype=float)
    weights = np.array([t.get("weight", 1.0) for t in targets], dtype=float)
    kinds = bounds_of(targets)
    seeds = run_seeds(seed, replications)
    ss = np.random.SeedSequence([seed, 0xCA1]).generate_state(2)
    x1 = _lhs(bounds, candidates, int(ss[0]))
    f1 = _objective(_evaluate(config, targets, names, x1, seeds), observed, weights, kinds)
    best = x1[np.argmin(f1)]
    half = 0.15 * (bounds[:, 1] - bounds[:, 0])
    local = np.stack([np.maximum(bounds[:, 0], best - half),
                      np.minimum(bounds[:, 1], best + half)], 1)
    x2 = np.vstack([_lhs(local, refine, int(ss[1])), best[None, :]])
    f2 = _objective(_evaluate(config, targets, names, x2, seeds), observed, weights, kinds)
    x_all, f_all = np.vstack([x1, x2]), np.concatenate([f1, f2])
    chosen = x_all[np.argmin(f_all)]
    sim = _evaluate(config, targets, names, chosen[None, :], run_seeds(seed + 1, 20))[0]
    table = pd.DataFrame({
        "quantity": [t["quantity"] for t in targets], "year": [t["year"] for t in targets],
        "observed": observed, "simulated": sim, "relative_error": sim / observed - 1.0,
        "tolerance": [t.get("tolerance", np.nan) for t in targets], "bound": kinds,
        "source": [t["source"] for t in targets]})
    table["within_tolerance"] = within_tolerance(table["relative_error"], table["tolerance"],
                                                 kinds)
    runs = (len(x1) + len(x2)) * replications + 20
    return Fit(dict(zip(names, chosen.tolist(), strict=True)), table, float(f_all.min()), runs,
               time.perf_counter() - t0)
