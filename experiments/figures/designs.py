"""Figures comparing designs (points of a results folder): paths, ternary, Pareto, why."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from experiments.figures.style import BLOC_COLOURS, BLOC_LABELS, GREY, design_style, month_axis, plt
from sim.analysis.compare import FRONTS
from sim.mechanisms import MECHANISMS
from sim.results import Results

BLOCS = ("rus", "chn", "west")


def point_names(res: Results) -> pd.Series:
    """Display name per point id: the design name in comparisons, lever values in sweeps."""
    pts = res.points.set_index("point_id")
    if "design" in pts:
        return pts["design"]
    levers = [c for c in pts.columns if "." in c]
    return pts[levers].apply(lambda r: ", ".join(f"{k.split('.')[-1]}={r[k]:.2g}" for k in levers),
                             axis=1)


def alignment_by_design(res: Results, point_ids=None):
    """Alignment with Russia, China and the West over time: median, 50% and 90% bands."""
    names = point_names(res)
    ids = list(point_ids if point_ids is not None else names.index)
    start = res.manifest["config"]["start"]
    ncols = min(4, len(ids))
    nrows = math.ceil(len(ids) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.6 * ncols, 2.9 * nrows + 0.6),
                             sharex=True, sharey=True, squeeze=False)
    for ax, pid in zip(axes.flat, ids):
        b = res.bands[res.bands["point_id"] == pid].sort_values("turn")
        x = month_axis(b["turn"], start)
        for bloc in BLOCS:
            c = BLOC_COLOURS[bloc]
            ax.fill_between(x, b[f"align_{bloc}_q05"], b[f"align_{bloc}_q95"], color=c, alpha=0.12, lw=0)
            ax.fill_between(x, b[f"align_{bloc}_q25"], b[f"align_{bloc}_q75"], color=c, alpha=0.3, lw=0)
            ax.plot(x, b[f"align_{bloc}_q50"], color=c, lw=1.8, label=BLOC_LABELS[bloc])
        ax.axhline(0.5, color=GREY, ls=":", lw=1)
        ax.set_title(str(names[pid]), fontsize=9)
        ax.grid(alpha=0.3)
    for ax in axes.flat[len(ids):]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        ax.set_ylabel("alignment share")
    for ax in axes[-1, :]:
        ax.tick_params(axis="x", labelrotation=30)
    axes.flat[0].legend(fontsize=7, loc="upper left", frameon=False)
    fig.suptitle("Kazakhstan's alignment by design: median (line), 50% and 90% of runs (bands); "
                 "dotted: capture threshold", fontsize=10)
    fig.tight_layout()
    return fig


_CORNERS = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, np.sqrt(3) / 2]])


def _xy(rus, chn, west):
    total = np.asarray(rus) + np.asarray(chn) + np.asarray(west)
    pts = (np.outer(np.asarray(rus) / total, _CORNERS[0]) + np.outer(np.asarray(chn) / total, _CORNERS[1])
           + np.outer(np.asarray(west) / total, _CORNERS[2]))
    return pts[:, 0], pts[:, 1]


def _triangle(ax) -> None:
    tri = np.vstack([_CORNERS, _CORNERS[:1]])
    ax.plot(tri[:, 0], tri[:, 1], color="black", lw=1)
    for i, bloc in enumerate(BLOCS):
        region = np.array([_CORNERS[i], (_CORNERS[i] + _CORNERS[(i + 1) % 3]) / 2,
                           (_CORNERS[i] + _CORNERS[(i + 2) % 3]) / 2])
        ax.fill(region[:, 0], region[:, 1], color=BLOC_COLOURS[bloc], alpha=0.08, lw=0)
    for v in (0.2, 0.4, 0.6, 0.8):
        for i in range(3):
            a, b, c = _CORNERS[i], _CORNERS[(i + 1) % 3], _CORNERS[(i + 2) % 3]
            p, q = a * v + b * (1 - v), a * v + c * (1 - v)
            ax.plot([p[0], q[0]], [p[1], q[1]], color=GREY, lw=0.4, alpha=0.5)
    ax.text(-0.03, -0.04, "Russia", ha="right", va="top")
    ax.text(1.03, -0.04, "China", ha="left", va="top")
    ax.text(0.5, np.sqrt(3) / 2 + 0.03, "West (US + EU)", ha="center", va="bottom")
    ax.set_aspect("equal")
    ax.axis("off")


def ternary_by_design(res: Results, point_ids=None):
    """Median alignment path per design and the cloud of final states, on the simplex."""
    names = point_names(res)
    ids = list(point_ids if point_ids is not None else names.index)
    fig, ax = plt.subplots(figsize=(9.5, 6.6))
    _triangle(ax)
    xs, ys = [], []
    for i, pid in enumerate(ids):
        style = design_style(i)
        b = res.bands[res.bands["point_id"] == pid].sort_values("turn")
        x, y = _xy(b["align_rus_q50"], b["align_chn_q50"], b["align_west_q50"])
        r = res.runs[res.runs["point_id"] == pid]
        fx, fy = _xy(r["final_align_rus"], r["final_align_chn"], r["final_align_west"])
        ax.scatter(fx, fy, s=6, color=style["color"], alpha=0.25, lw=0)
        ax.plot(x, y, lw=2, label=str(names[pid]), **style)
        ax.scatter(x[-1:], y[-1:], s=30, color=style["color"], edgecolor="black", zorder=4)
        xs += [*x, *fx]
        ys += [*y, *fy]
    ax.scatter(xs[:1], ys[:1], s=70, facecolor="white", edgecolor="black", zorder=5, label="2021 start")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    ax.set_xlim(-0.12, 1.12)
    ax.set_ylim(-0.1, 0.95)
    ax.set_title("Alignment on the Russia / China / West simplex: median path per design (line, "
                 "dot at the end)\nand final state of every run (points); shaded corners: a bloc "
                 "above one half (captured); grid every 0.2", fontsize=9)
    fig.tight_layout()
    return fig


def pareto_scatter(table: pd.DataFrame, marks: pd.DataFrame):
    """Designs on pressure on Russia against welfare loss and against alignment with the West."""
    wide = {k: table.pivot(index="design", columns="outcome", values=k)
            for k in ("estimate", "low", "high")}
    designs = list(dict.fromkeys(table["design"]))
    panels = (("pareto_welfare", "welfare_loss_pct_gdp", "Kazakh welfare loss (% of GDP, lower is better)"),
              ("pareto_west", "final_align_west", "final alignment with the West (share)"),
              ("pareto_balance", "final_balance_index", "final balance index (1 = even)"))
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.8))
    xcol = "mean_pressure_on_russia"
    for ax, (mark, ycol, ylabel) in zip(axes, panels):
        for i, d in enumerate(designs):
            style = design_style(i)
            x, y = wide["estimate"].loc[d, xcol], wide["estimate"].loc[d, ycol]
            xerr = [[x - wide["low"].loc[d, xcol]], [wide["high"].loc[d, xcol] - x]]
            yerr = [[y - wide["low"].loc[d, ycol]], [wide["high"].loc[d, ycol] - y]]
            on = bool(marks.loc[d, mark])
            ax.errorbar(x, y, xerr=xerr, yerr=yerr, fmt="o", ms=8, color=style["color"],
                        mfc=style["color"] if on else "white", capsize=3, label=d)
            ax.annotate(d, (x, y), textcoords="offset points", xytext=(5, 5), fontsize=8)
        front = [d for d in designs if marks.loc[d, mark]]
        fx = wide["estimate"].loc[front, xcol].to_numpy()
        fy = wide["estimate"].loc[front, ycol].to_numpy()
        order = np.argsort(fx)
        ax.plot(fx[order], fy[order], color="black", lw=1, ls="--", zorder=0)
        ax.set_xlabel("pressure on Russia (mean effective intensity, 0-1)")
        ax.set_ylabel(ylabel)
        ax.grid(alpha=0.3)
        x_, y_, senses = FRONTS[mark]
        ax.set_title(f"front: pressure up, {'lower' if not senses[1] else 'higher'} "
                     f"{ylabel.split(' (')[0]}", fontsize=9)
    fig.suptitle("Trade-offs between designs: mean with 95% intervals; filled markers and dashed "
                 "line = Pareto front (no design does better on both axes)", fontsize=10)
    fig.tight_layout()
    return fig


def why_stacked(res: Results, by: str = "mechanism", point_ids=None, top: int = 7):
    """Cumulative contributions to the change in Western alignment, stacked, per design."""
    names = point_names(res)
    ids = list(point_ids if point_ids is not None else names.index)
    why = res.why
    if by == "mechanism":
        sources = [m for m in MECHANISMS] + ["shock"]
    else:
        sources = ["KAZ", "RUS", "CHN", "USA", "EU"]
    west = {s: why[f"contrib_{s}_usa"] + why[f"contrib_{s}_eu"] for s in sources}
    frame = pd.DataFrame({"point_id": why["point_id"], "turn": why["turn"], **west})
    cum = frame.sort_values(["point_id", "turn"]).groupby("point_id")[sources].cumsum()
    cum[["point_id", "turn"]] = frame[["point_id", "turn"]]
    final = cum[cum["turn"] == cum["turn"].max()][sources].abs().max()
    keep = list(final.sort_values(ascending=False).index[:top]) if by == "mechanism" else sources
    other = [s for s in sources if s not in keep]
    start = res.manifest["config"]["start"]
    ncols = min(4, len(ids))
    nrows = math.ceil(len(ids) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.8 * ncols, 3.0 * nrows + 1.0),
                             sharex=True, sharey=True, squeeze=False)
    labels = [f"{s} {MECHANISMS[s].title}" if s in MECHANISMS else s for s in keep]
    if other:
        labels.append("other mechanisms")
    colours = [design_style(i)["color"] for i in range(7)] + ["#F0E442", GREY]
    for ax, pid in zip(axes.flat, ids):
        c = cum[cum["point_id"] == pid].sort_values("turn")
        x = month_axis(c["turn"], start)
        series = [c[s].to_numpy() for s in keep]
        if other:
            series.append(c[other].sum(axis=1).to_numpy())
        data = np.array(series)
        pos, neg = np.clip(data, 0, None), np.clip(data, None, 0)
        ax.stackplot(x, pos, colors=colours[:len(series)], alpha=0.85)
        ax.stackplot(x, neg, colors=colours[:len(series)], alpha=0.85)
        ax.plot(x, data.sum(axis=0), color="black", lw=1.5)
        ax.axhline(0, color="black", lw=0.5)
        ax.set_title(str(names[pid]), fontsize=9)
        ax.grid(alpha=0.3)
        ax.tick_params(axis="x", labelrotation=30)
    for ax in axes.flat[len(ids):]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        ax.set_ylabel("cumulative change in\nWestern alignment")
    handles = [plt.Rectangle((0, 0), 1, 1, color=colours[i]) for i in range(len(labels))]
    handles.append(plt.Line2D([0], [0], color="black"))
    fig.legend(handles, labels + ["net change"], loc="lower center", ncol=4, fontsize=8,
               frameon=False)
    what = "mechanism" if by == "mechanism" else "actor"
    fig.suptitle(f"Why Western alignment moved: cumulative contribution of each {what} "
                 "(mean over runs; above zero pulls toward the West)", fontsize=10)
    fig.tight_layout(rect=(0, 0.08 if by == "mechanism" else 0.05, 1, 1))
    return fig
