"""``kzsim sweep experiment=<name> [overrides]``: a resumable sweep into a results folder."""

from __future__ import annotations

from pathlib import Path

from kzsim.configuration import compose_mapping, split
from sim.config import from_mapping
from sim.schema import build
from sim.sweep import SweepSettings, run_sweep


def prepare(mapping: dict) -> tuple[dict, SweepSettings, Path]:
    """Validate the model config and the sweep settings; decide the output folder."""
    model, edge = split(mapping)
    cfg = from_mapping(model)
    settings = build(SweepSettings, edge.get("sweep", {}), "sweep")
    out = Path(cfg.out) if cfg.out else Path("results") / cfg.name
    return model, settings, out


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
    model, settings, out = prepare(compose_mapping(overrides))
    summary = run_sweep(model, settings, out, quiet=model.get("quiet", False))
    print(report(summary))
    return 0
