"""``kzsim sweep experiment=<name> [overrides]``: a resumable sweep into a results folder."""

from __future__ import annotations

import copy
from dataclasses import asdict
from pathlib import Path

from kzsim.configuration import compose_mapping, split
from kzsim.ensemble import load_ensemble
from kzsim.store import output_folder
from sim.config import from_mapping
from sim.schema import build
from sim.sweep import SweepSettings
from sim.sweep.runner import execute, execution_of, make_plan


def prepare(mapping: dict) -> tuple[dict, SweepSettings, Path]:
    """Validate the model config and the sweep settings; name the output folder.

    The folder is ``out`` if given, else ``results/<name>``; :func:`run` applies the whole
    output-folder rule (:func:`kzsim.store.output_folder`) once the points, and so the
    fingerprint, are known.
    """
    model, edge = split(mapping)
    cfg = from_mapping(model)
    settings = build(SweepSettings, edge.get("sweep", {}), "sweep")
    out = Path(cfg.out) if cfg.out else Path("results") / cfg.name
    return model, settings, out


def run(model: dict, settings: SweepSettings, quiet: bool = False,
        overrides: list[str] | None = None) -> dict:
    """Sample the points, choose the folder by the output-folder rule, run (or resume) there.

    With ``ensemble=posterior`` (the default) the posterior ensemble is loaded
    (:func:`kzsim.ensemble.load_ensemble`; ``overrides`` name the fields the user fixed).
    """
    ensemble = load_ensemble(model, overrides, quiet)
    plan = make_plan(copy.deepcopy(model), settings, ensemble)
    out = output_folder({**model, "quiet": quiet}, plan.kind, plan.identity)
    return execute(plan, model, execution_of(settings), out, {"sweep": asdict(settings)}, quiet)


def report(summary: dict) -> str:
    """One paragraph on what was run and where it went."""
    state = "complete" if summary["complete"] else "this shard done; others still to run"
    rate = summary["runs_run_now"] / summary["seconds"] if summary["seconds"] > 0 else 0.0
    return (f"sweep {state}: {summary['points']:,} points x {summary['replications']} "
            f"replications = {summary['runs']:,} runs in {summary['chunks']} chunks; ran "
            f"{summary['runs_run_now']:,} now in {summary['seconds']:.1f} s ({rate:,.0f} runs/s)\n"
            f"results: {summary['out']}/ (runs/, bands/, points.parquet, manifest.json); "
            f"load with sim.load_results('{summary['out']}')")


def sweep_command(overrides: list[str]) -> int:
    """Compose, validate, run (or resume) and report."""
    model, settings, _ = prepare(compose_mapping(overrides))
    print(report(run(model, settings, quiet=model.get("quiet", False), overrides=overrides)))
    return 0
