"""``kzsim calibrate`` and ``kzsim hindcast``: the 2022 fit and the 2021-2025 replay."""

from __future__ import annotations

import datetime
import re
from dataclasses import asdict
from pathlib import Path

import pandas as pd
import yaml

from kzsim import configs
from kzsim.configuration import compose_mapping, split
from kzsim.ensemble import attach
from kzsim.figures.hindcast import hindcast_figure
from kzsim.figures.style import png_bytes
from kzsim.store import CONFIG_FILE, dump_config, results_folder
from sim.analysis.coverage import band_coverage
from sim.calibration import calibrate
from sim.config import from_mapping
from sim.errors import ConfigError
from sim.hindcast import AGREEMENT_QUANTITIES, hindcast_table, observed_agreement_rows
from sim.inference.ensemble import POINT, identity_of
from sim.replay_settings import CalibrationSettings, HindcastSettings
from sim.schema import build
from sim.streams import run_seeds
from sim.sweep.sampling import check_levers
from sim.sweep.settings import flatten
from sim.targets import bound_column, bounds_of


def with_replay_defaults(overrides: list[str], name: str,
                         runs: int | None = None) -> list[str]:
    """The user's overrides plus the replay's history and ``name`` (and ``runs``) unless given."""
    out = list(overrides)
    if not any(o.startswith("history=") for o in out):
        out.append("history=events_2022_2025")
    if not any(o.startswith("name=") for o in out):
        out.append(f"name={name}")
    if runs and not any(o.startswith("runs=") for o in out):
        out.append(f"runs={runs}")
    return out


def at_point_values(overrides: list[str], name: str) -> list[str]:
    """A fitting command's overrides: the replay's defaults and ``ensemble=point``.

    Fitting searches parameters, so it runs at the point values unless the user says
    otherwise (which :func:`refuse_ensemble` refuses).
    """
    out = with_replay_defaults(overrides, name)
    if not any(re.match(r"^\+{0,2}ensemble=", o) for o in out):
        out.append("ensemble=point")
    return out


def refuse_ensemble(cfg, command: str) -> None:
    """One line if a fitting command was asked to draw from a posterior."""
    if cfg.ensemble != "point":
        raise ConfigError(f"kzsim {command} fits parameters at point values, so it takes no "
                          f"ensemble={cfg.ensemble}; leave ensemble= out (or give ensemble=point)")


def calibrate_overrides(overrides: list[str]) -> list[str]:
    """The overrides ``kzsim calibrate`` composes (the replay's history, name=calibration)."""
    return at_point_values(overrides, "calibration")


def hindcast_overrides(overrides: list[str]) -> list[str]:
    """The overrides ``kzsim hindcast`` composes (the replay's history, name=hindcast, 100 runs)."""
    return with_replay_defaults(overrides, "hindcast", runs=100)


def load_targets(name: str) -> dict:
    """Targets and parameter ranges from ``configs/targets/<name>.yaml``."""
    folder = Path(configs.__file__).parent / "targets"
    options = sorted(p.stem for p in folder.glob("*.yaml"))
    if name not in options:
        raise ConfigError(f"calibration.targets: unknown targets {name!r}; valid choices: "
                          f"{', '.join(options)}")
    spec = yaml.safe_load((folder / f"{name}.yaml").read_text())
    bounds_of(spec.get("targets") or [])   # an unknown bound is refused before any run
    return spec


def calibrate_command(overrides: list[str]) -> int:
    """Fit the uncertain parameters to the 2022 targets; write fit.csv and fitted.yaml."""
    model, edge = split(compose_mapping(calibrate_overrides(overrides)))
    cfg = from_mapping(model)
    refuse_ensemble(cfg, "calibrate")
    opts = edge["calibration"]
    settings = build(CalibrationSettings, opts, "calibration")
    spec = load_targets(settings.targets)
    ranges = flatten(spec["parameters"])
    check_levers(model, ranges, "lhs", f"configs/targets/{settings.targets}.yaml: parameters")
    settings.check_resources(cfg.start)
    with results_folder("calibration", model, {"calibration": asdict(settings), "targets": spec},
                        ensemble=dict(POINT)) as folder:
        fit = calibrate(cfg, spec["targets"], ranges, settings.candidates, settings.refine,
                        settings.replications, cfg.seed)
        folder.write_text("fit.csv", fit.table.to_csv(index=False))
        folder.write_text("fitted.yaml", _fitted_yaml(fit, settings.targets))
        folder.complete()
    out = folder.out
    pd.set_option("display.width", 200)
    print(fit.table.drop(columns="source").to_string(index=False,
                                                     float_format=lambda x: f"{x:.3f}"))
    n_ok = int(fit.table.within_tolerance.sum())
    print(f"\n{n_ok} of {len(fit.table)} targets within tolerance; objective {fit.objective:.4f}; "
          f"{fit.runs:,} runs in {fit.seconds:.1f} s")
    print("fitted values (copy into configs/params/default.yaml to adopt them):\n"
          + yaml.safe_dump(_nested(fit.values), sort_keys=False))
    print(f"wrote {out}/fit.csv, fitted.yaml")
    return 0


def _nested(values: dict) -> dict:
    """{'params.M4.tolerance': v} -> {'M4': {'tolerance': v}} (rounded for the YAML)."""
    nested: dict = {}
    for dotted, value in values.items():
        node = nested
        parts = dotted.split(".")[1:]
        for p in parts[:-1]:
            node = node.setdefault(p, {})
        node[parts[-1]] = round(float(value), 4)
    return nested


def _fitted_yaml(fit, targets: str) -> str:
    today = datetime.date.today().isoformat()
    return (f"# fitted {today} by kzsim calibrate (targets: {targets}; objective "
            f"{fit.objective:.4f}; {fit.runs:,} runs in {fit.seconds:.1f} s)\n"
            + yaml.safe_dump({"params": _nested(fit.values)}, sort_keys=False))


def hindcast_command(overrides: list[str]) -> int:
    """Replay 2021-2025 with the events; write hindcast.csv and hindcast.png."""
    full = hindcast_overrides(overrides)
    model, edge = split(compose_mapping(full))
    cfg = attach(from_mapping(model), model, full)
    hindcast = build(HindcastSettings, edge["hindcast"], "hindcast")
    hindcast.check_resources(cfg.start, cfg.runs)
    last = hindcast.last_year
    spec = load_targets(edge["calibration"]["targets"])
    with results_folder("hindcast", model, {"hindcast": asdict(hindcast), "targets": spec},
                        ensemble=identity_of(cfg)) as folder:
        table = hindcast_table(cfg, run_seeds(cfg.seed, cfg.runs), last)
        targets = pd.DataFrame(spec["targets"])
        base = table[(table.year == 2021) & ~table.quantity.isin(AGREEMENT_QUANTITIES)][
            ["quantity", "year", "value"]].rename(columns={"value": "observed"})
        # UN vote agreement is observed in 2021 and 2022 (sim.observation's constants)
        targets = targets.assign(bound=bound_column(targets))
        observed = pd.concat([base, targets[["quantity", "year", "observed", "bound"]],
                              observed_agreement_rows(last)], ignore_index=True)
        # 2021 is the starting state (turn 0), so only later observed years test the bands
        coverage = band_coverage(table, observed[observed.year > 2021])
        folder.write_text("hindcast.csv", table.to_csv(index=False))
        folder.write_text("coverage.csv", coverage.to_csv(index=False))
        folder.write("hindcast.png", png_bytes(hindcast_figure(table, observed)))
        folder.write_text(CONFIG_FILE, dump_config(model))
        folder.complete()
    out = folder.out
    wide = table.pivot(index="quantity", columns="year", values="value")
    print(wide.to_string(float_format=lambda x: f"{x:.3f}"))
    missed = coverage.loc[~coverage.inside, "quantity"].tolist()
    print(f"\n{cfg.runs} replications; value = mean, p05/p95 in hindcast.csv; 2023 on are "
          f"predictions\nin-sample coverage of the 5-95% bands (2022): {int(coverage.inside.sum())}"
          f" of {len(coverage)} observations inside"
          + (f"; outside: {', '.join(missed)}" if missed else "")
          + f"\nwrote {out}/hindcast.csv, coverage.csv, hindcast.png")
    return 0
