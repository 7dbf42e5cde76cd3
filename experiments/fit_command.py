"""``kzsim fit``: the evidence fit (ABC-SMC of the 2022 replay) and its predictive check.

Writes into the results folder (default ``results/fit``):

- ``posterior/``: the posterior artefact (:mod:`sim.inference.posterior_store`), ready to be
  copied to ``configs/posteriors/<name>/`` to be shipped;
- ``posterior_summary.csv``: per parameter, prior bounds, posterior mean, 90% interval and
  its width over the prior's (what the data pin down);
- ``generations.csv``: tolerance, acceptance, replays, ESS and seconds per generation;
- ``fit_check.csv``: per fitted observation, the posterior-predictive mean and 90% band and
  whether the observation lies inside (the in-sample coverage).
"""

from __future__ import annotations

import time
from dataclasses import asdict
from pathlib import Path

import pandas as pd

import kzsim
from kzsim.configuration import compose_mapping, split
from kzsim.replay_commands import at_point_values, load_targets, refuse_ensemble
from kzsim.store import CONFIG_FILE, dump_config, results_folder
from sim.config import from_mapping
from sim.errors import ConfigError
from sim.inference.abc_mcmc import ReplenishSettings
from sim.inference.ensemble import POINT
from sim.inference.posterior_store import META, PARTICLES, posterior_files
from sim.inference.replay_fit import fit, fit_prior, predictive_check
from sim.replay_settings import FitSettings
from sim.schema import build
from sim.spinup import OVERRIDES as SPINUP

DATA_FILES = ("kz_observed.csv", "unga_agreement.csv")
"""The data behind the fitted observations; their SHA-256 is the posterior's data version."""
PREWAR_FILES = ("kz_trade_2010_2021.csv", "unga_ukraine_votes.csv")
"""What the 2014-2021 window adds (the spin-up's trade points; the 2014 contested vote)."""


def fit_overrides(overrides: list[str]) -> list[str]:
    """The overrides ``kzsim fit`` composes (the replay's history, name=fit, point values)."""
    return at_point_values(overrides, "fit")


def data_files(names=DATA_FILES) -> list[Path]:
    """The named files of the source checkout's ``data/`` folder."""
    folder = Path(kzsim.__file__).resolve().parents[1] / "data"
    paths = [folder / n for n in names]
    missing = [p.name for p in paths if not p.is_file()]
    if missing:
        raise ConfigError(f"kzsim fit needs the data/ folder of a source checkout (missing "
                          f"{', '.join(missing)} in {folder}); run it from a clone installed "
                          "with pip install -e .")
    return paths


def spinup_config(overrides: list[str]):
    """The 2014-2021 spin-up's configuration at point values, with the user's ``params.*``."""
    own = [o for o in overrides if o.lstrip("+~").startswith("params.")]
    return from_mapping(split(compose_mapping([*SPINUP, "ensemble=point", *own]))[0])


def fit_command(overrides: list[str]) -> int:
    """Fit the posterior; write it with its summary, generations and predictive check."""
    model, edge = split(compose_mapping(fit_overrides(overrides)))
    cfg = from_mapping(model)
    refuse_ensemble(cfg, "fit")
    settings = build(FitSettings, edge["fit"], "fit")
    spec = load_targets(settings.targets)
    prior = fit_prior(cfg, list(settings.parameters))
    settings.check_resources(cfg.start)
    prewar = settings.prewar
    files = data_files(DATA_FILES + PREWAR_FILES if prewar else DATA_FILES)
    spin = spinup_config(overrides) if prewar else None
    abc = ReplenishSettings(n_particles=settings.particles, drop=settings.drop,
                            max_moves=settings.moves, max_generations=settings.generations,
                            min_acceptance=settings.min_acceptance,
                            max_simulations=settings.max_simulations, seed=cfg.seed)
    say = (lambda *a: None) if cfg.quiet else print
    with results_folder("fit", model, {"fit": asdict(settings), "targets": spec},
                        ensemble=dict(POINT)) as folder:
        t0 = time.perf_counter()
        post = fit(cfg, spec["targets"], prior, abc, scale=settings.scale, spinup_config=spin,
                   progress=lambda g: say(
            f"generation {g.t}: tolerance {g.epsilon:.3f}, acceptance {g.acceptance:.3f}, "
            f"{g.simulations:,} replays, {g.ess:.0f} distinct particles, {g.seconds:.1f} s"))
        seconds = time.perf_counter() - t0
        check = predictive_check(cfg, spec["targets"], post, settings.check_draws, cfg.seed,
                                 spinup_config=spin)
        artefact = posterior_files(post, files, settings={
            "targets": f"configs/targets/{settings.targets}.yaml", "fit": asdict(settings),
            **({"spinup": list(SPINUP)} if prewar else {}),
            "history": "events_2022_2025", "seconds": round(seconds, 1),
            "coverage_90": float(check["inside"].mean())})
        folder.write(f"posterior/{PARTICLES}", artefact[PARTICLES])
        folder.write(f"posterior/{META}", artefact[META])
        summary = pd.DataFrame(post.summary(0.9))
        folder.write_text("posterior_summary.csv", summary.to_csv(index=False))
        folder.write_text("generations.csv", pd.DataFrame(post.generation_table())
                          .to_csv(index=False))
        folder.write_text("fit_check.csv", check.to_csv(index=False))
        folder.write_text(CONFIG_FILE, dump_config(model))
        folder.complete()
    if not cfg.quiet:
        _print(post, summary, check)
    print(f"stopped: {post.stopped}; {post.simulations:,} replays in {seconds:.1f} s "
          f"(+{settings.check_draws:,} for the check); in-sample coverage of the 90% bands "
          f"{int(check['inside'].sum())} of {len(check)}\nwrote {folder.out}/posterior/ "
          "(copy it to configs/posteriors/<name>/ to ship it), posterior_summary.csv, "
          "generations.csv, fit_check.csv")
    return 0


def _print(post, summary: pd.DataFrame, check: pd.DataFrame) -> None:
    pd.set_option("display.width", 200)
    fmt = {"float_format": lambda x: f"{x:.3f}", "index": False}
    print(summary[["name", "prior_low", "prior_high", "mean", "lower", "upper",
                   "width_ratio"]].to_string(**fmt))
    print()
    print(check.drop(columns="statistic").to_string(**fmt))
