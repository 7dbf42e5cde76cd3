"""A small synthetic posterior artefact for the ensemble tests (no shipped artefact needed)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sim.inference.abc import ABCSettings, Prior, abc_smc
from sim.inference.posterior_store import save_posterior

DATA = Path(__file__).resolve().parents[2] / "data"
FILES = [DATA / "unga_agreement.csv", DATA / "kz_observed.csv"]
BOUNDS = {"params.M22.trade_elasticity": (3.0, 7.0), "params.M4.tolerance": (0.3, 0.7),
          "observation.slope": (0.5, 6.0)}


def posterior(seed: int = 1, particles: int = 40):
    """An ABC-SMC posterior of a Gaussian toy over three mappable names."""
    def simulate(theta, rng):
        return theta + 0.2 * rng.standard_normal(theta.shape)

    return abc_smc(simulate, [5.0, 0.5, 3.0], Prior.uniform(BOUNDS),
                   ABCSettings(n_particles=particles, max_generations=2, seed=seed))


def save(folder: Path, seed: int = 1, fit_date: str = "2026-11-27") -> Path:
    """Write the synthetic posterior to ``folder``; return the folder."""
    save_posterior(posterior(seed), folder, FILES, fit_date=fit_date)
    return folder


__all__ = ["BOUNDS", "posterior", "save", "np"]
