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

OPTIONS = ("target", "max_depth", "min_leaf", "out", "quiet")
DEFAULTS = {"max_depth": 3, "min_leaf": 0.02}  # kzsim discover --help shows these
DISCOVERY_NAMES = {"discovery.csv", "discovery.png", "discovery_tree.txt"}


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
                          f"[max_depth=3] [min_leaf=0.02] [out=]; presets: {', '.join(PRESETS)}"
                          + (f"; unknown option '{unknown[0]}'" if unknown else ""))
    try:
        depth, min_leaf = int(opts.get("max_depth", DEFAULTS["max_depth"])), float(
            opts.get("min_leaf", DEFAULTS["min_leaf"]))
    except ValueError:
        raise ConfigError("max_depth must be a whole number and min_leaf a number") from None
    if not 1 <= depth <= 8 or not 0 < min_leaf < 0.5:
        raise ConfigError("max_depth must be in [1, 8] and min_leaf in (0, 0.5)")
    res = load_complete_results(paths[0])
    levers = [c for c in res.manifest["levers"] + res.manifest.get("replication_levers", [])
              if is_lever(c) and res.runs[c].nunique() > 1]
    if not levers:
        raise ConfigError(f"{paths[0]} varies no lever; run discovery on a sweep")
    y = target_mask(res.runs, opts["target"])
    boxes, rules = discover(res.runs[levers], y, depth, min_leaf)
    out = derived_folder(Path(opts.get("out", paths[0])), Path(paths[0]), DISCOVERY_NAMES)
    figure = png_bytes(discovery_figure(res.runs[levers], y, boxes, opts["target"]))
    atomic_write_text(out / "discovery.csv", boxes_table(boxes).to_csv(index=False))
    atomic_write_text(out / "discovery_tree.txt", f"# target: {opts['target']}\n{rules}")
    atomic_write_bytes(out / "discovery.png", figure)
    print(f"target '{opts['target']}' holds in {y.mean():.1%} of {len(y):,} runs")
    for i, b in enumerate(boxes[:5]):
        ranges = "; ".join(f"{_shown_lever(k)} in [{lo:.3g}, {hi:.3g}]"
                           for k, (lo, hi) in b.limits.items())
        print(f"  box {i + 1}: coverage {b.coverage:.1%}, density {b.density:.1%}, {b.n:,} runs: "
              f"{ranges}")
    print(f"wrote {out}/discovery.csv, discovery.png, discovery_tree.txt")
    return 0
