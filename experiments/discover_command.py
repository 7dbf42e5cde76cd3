"""``kzsim discover <results folder> target=<condition>``: lever ranges that make it likely."""

from __future__ import annotations

from pathlib import Path

from kzsim.figures.discovery import discovery_figure
from kzsim.figures.style import png_bytes
from kzsim.store import derived_folder
from sim.analysis.discovery import PRESETS, boxes_table, discover, target_mask
from sim.errors import ConfigError
from sim.files import atomic_write_bytes, atomic_write_text
from sim.results import load_complete_results
from sim.sweep.settings import is_lever, lever_path

OPTIONS = ("target", "method", "max_depth", "min_leaf", "threshold", "design", "out", "quiet")
DEFAULTS = {"method": "cart", "max_depth": 3, "min_leaf": 0.02, "threshold": 0.8}
METHODS = ("cart", "prim")
DISCOVERY_NAMES = {"discovery.csv", "discovery.png", "discovery_tree.txt",
                   "discovery_trajectory.csv", "discovery_trajectory.png"}


def _shown_lever(name: str) -> str:
    """A lever without its root, as the configuration names it.

    'params__M4__tolerance' -> 'M4.tolerance'.
    """
    return ".".join(lever_path(name)[1:])


def discover_command(args: list[str]) -> int:
    """Parse ``<folder> target=... [max_depth=3] [min_leaf=0.02] [out=]``, discover, write."""
    paths = [a for a in args if "=" not in a]
    opts = dict(a.split("=", 1) for a in args if "=" in a)
    unknown = [k for k in opts if k not in OPTIONS]
    if len(paths) != 1 or unknown or "target" not in opts:
        raise ConfigError("usage: kzsim discover <results folder> target=<preset or condition> "
                          "[method=cart|prim] [max_depth=3] [min_leaf=0.02] [threshold=0.8] "
                          f"[design=<name>] [out=]; presets: {', '.join(PRESETS)}"
                          + (f"; unknown option '{unknown[0]}'" if unknown else ""))
    method = opts.get("method", DEFAULTS["method"])
    if method not in METHODS:
        raise ConfigError(f"unknown method '{method}'; valid choices: {', '.join(METHODS)}")
    try:
        depth, min_leaf = int(opts.get("max_depth", DEFAULTS["max_depth"])), float(
            opts.get("min_leaf", DEFAULTS["min_leaf"]))
        threshold = float(opts.get("threshold", DEFAULTS["threshold"]))
    except ValueError:
        raise ConfigError("max_depth must be a whole number, min_leaf and threshold numbers"
                          ) from None
    if not 1 <= depth <= 8 or not 0 < min_leaf < 0.5 or not 0 < threshold <= 1:
        raise ConfigError("max_depth must be in [1, 8], min_leaf in (0, 0.5) and threshold in "
                          "(0, 1]")
    res = load_complete_results(paths[0])
    if "design" in opts:
        from kzsim.prim_discovery import posterior_inputs

        runs, x = posterior_inputs(res, opts["design"])
        what = f"the posterior parameter sets of design {opts['design']}'s runs"
    else:
        runs = res.runs
        levers = [c for c in res.manifest.get("levers", [])
                  + res.manifest.get("replication_levers", [])
                  if is_lever(c) and runs[c].nunique() > 1]
        if not levers:
            raise ConfigError(f"{paths[0]} varies no lever; run discovery on a sweep, or on one "
                              "design's posterior draws with design=<name>")
        x, what = runs[levers], "the levers"
    y = target_mask(runs, opts["target"])
    out = derived_folder(Path(opts.get("out", paths[0])), Path(paths[0]), DISCOVERY_NAMES)
    if method == "prim":
        from kzsim.figures.discovery import trajectory_figure
        from kzsim.prim_discovery import prim_boxes

        boxes, trajectory = prim_boxes(x, y, threshold)
        rules = "PRIM peeling trajectory\n" + trajectory.to_string()
        atomic_write_text(out / "discovery_trajectory.csv", trajectory.to_csv(index=False))
        atomic_write_bytes(out / "discovery_trajectory.png",
                           png_bytes(trajectory_figure(trajectory, opts["target"], threshold)))
    else:
        boxes, rules = discover(x, y, depth, min_leaf)
    figure = png_bytes(discovery_figure(x, y, boxes, opts["target"]))
    atomic_write_text(out / "discovery.csv", boxes_table(boxes).to_csv(index=False))
    atomic_write_text(out / "discovery_tree.txt", f"# target: {opts['target']}\n{rules}")
    atomic_write_bytes(out / "discovery.png", figure)
    print(f"target '{opts['target']}' holds in {y.mean():.1%} of {len(y):,} runs; {method} over "
          f"{what}")
    for i, b in enumerate(boxes[:5]):
        ranges = "; ".join(f"{_shown_lever(k)} in [{lo:.3g}, {hi:.3g}]"
                           for k, (lo, hi) in b.limits.items())
        print(f"  box {i + 1}: coverage {b.coverage:.1%}, density {b.density:.1%}, {b.n:,} runs: "
              f"{ranges}")
    extra = ", discovery_trajectory.csv, discovery_trajectory.png" if method == "prim" else ""
    print(f"wrote {out}/discovery.csv, discovery.png, discovery_tree.txt{extra}")
    return 0
