"""The scenario-discovery figure: runs on the two levers of the best box, the box drawn."""

from __future__ import annotations

import numpy as np
import pandas as pd

from kzsim.figures.levers import lever_label
from kzsim.figures.style import GREY, plt, user_text_safe, with_note, wrap
from sim.analysis.discovery import Box
from sim.sweep.settings import lever_field

MET = "#332288"  # not a power's colour
BOX = "#000000"


@user_text_safe
def discovery_figure(x: pd.DataFrame, y: np.ndarray, boxes: list[Box], target: str,
                     note: str = ""):
    """Scatter of runs (target in colour) on the best box's two main levers, boxes outlined.

    ``note`` (settings changed from the defaults) is shown under the title.
    """
    best = boxes[0] if boxes else Box({}, 1.0, float(np.mean(y)), len(y))
    levers = list(best.limits)[:2]
    if len(levers) < 2:
        levers += [c for c in x.columns if c not in levers][: 2 - len(levers)]
    lines = []
    for i, b in enumerate(boxes[:3]):
        ranges = "; ".join(f"{lever_field(k)} {lo:.2f}-{hi:.2f}"
                           for k, (lo, hi) in b.limits.items())
        lines.append(wrap(f"box {i + 1} ({'solid' if i == 0 else 'dashed'}): coverage "
                          f"{b.coverage:.0%}, density {b.density:.0%}: {ranges}", 100))
    caption = "\n".join(lines) or ("no box: no restriction of the inputs makes the target "
                                    "likelier than overall")
    rows = caption.count("\n") + 1
    fig, (ax, cap) = plt.subplots(2, 1, figsize=(7.5, 6.3 + 0.16 * rows), layout="constrained",
                                  gridspec_kw={"height_ratios": [6, 0.25 + 0.16 * rows]})
    cap.axis("off")
    cap.text(0, 1, caption, fontsize=8, va="top", ha="left", transform=cap.transAxes)
    rng = np.random.default_rng(0)
    show = rng.permutation(len(x))[:4000]
    xs, ys = x[levers[0]].to_numpy()[show], x[levers[1]].to_numpy()[show]
    hit = np.asarray(y)[show]
    ax.scatter(xs[~hit], ys[~hit], s=6, color=GREY, alpha=0.4, label="target not met")
    ax.scatter(xs[hit], ys[hit], s=8, color=MET, alpha=0.7, label="target met")
    for i, b in enumerate(boxes[:3]):
        lo0, hi0 = b.limits.get(levers[0], (x[levers[0]].min(), x[levers[0]].max()))
        lo1, hi1 = b.limits.get(levers[1], (x[levers[1]].min(), x[levers[1]].max()))
        ax.add_patch(plt.Rectangle((lo0, lo1), hi0 - lo0, hi1 - lo1, fill=False,
                                   lw=2.5 if i == 0 else 1.2, ls="-" if i == 0 else "--",
                                   edgecolor=BOX))
    ax.set_xlabel(lever_label(levers[0]))
    ax.set_ylabel(lever_label(levers[1]))
    ax.set_title(with_note(f"Scenario discovery for '{wrap(target, 80)}' ({np.mean(y):.0%} of "
                           "runs):\nlever ranges where it is likely (box 1 solid; other levers of "
                           "a box not shown)", note), fontsize=9)
    ax.legend(fontsize=8, loc="upper right", framealpha=0.9)
    return fig


@user_text_safe
def trajectory_figure(trajectory: pd.DataFrame, target: str, threshold: float):
    """PRIM's peeling trajectory: coverage against density, the chosen box marked."""
    fig, ax = plt.subplots(figsize=(6.4, 4.8), layout="constrained")
    points = ax.scatter(trajectory["coverage"], trajectory["density"], c=trajectory["res dim"],
                        cmap="viridis", s=22, zorder=3)
    ax.plot(trajectory["coverage"], trajectory["density"], color=GREY, lw=0.8, zorder=2)
    chosen = trajectory[trajectory["chosen"]]
    ax.scatter(chosen["coverage"], chosen["density"], s=120, facecolor="none",
               edgecolor=BOX, lw=1.5, zorder=4, label="chosen box")
    ax.axhline(threshold, color=MET, lw=0.8, ls="--", label=f"density threshold {threshold:g}")
    fig.colorbar(points, ax=ax, label="restricted dimensions")
    ax.set_xlabel("coverage (share of the target's runs inside the box)")
    ax.set_ylabel("density (share of the box's runs that hit the target)")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower left")
    ax.set_title(wrap(f"PRIM peeling trajectory for: {target}", 60), fontsize=10)
    return fig
