"""Figures comparing designs (points of a results folder): paths, ternary, Pareto, why."""

from __future__ import annotations

import math

import matplotlib.dates as mdates
import numpy as np
import pandas as pd

from kzsim.figures import simplex
from kzsim.figures.style import (
    ACTOR_BLOCS,
    BLOC_COLOURS,
    BLOC_LABELS,
    GREY,
    KAZ_COLOUR,
    design_style,
    month_axis,
    place_labels,
    plt,
    settings_note,
    user_text_safe,
    with_note,
    wrap,
)
from sim.analysis.compare import FRONTS
from sim.mechanisms import MECHANISMS, PUSHING_IDS
from sim.results import Results
from sim.sweep.settings import is_lever, lever_field

BLOCS = ("rus", "chn", "west")
MECHANISM_COLOURS = ("#332288", "#999933", "#882255", "#AA4499", "#444444", "#DDCC77", "#A6761D")
OTHER_FILL = "#CCCCCC"


def point_names(res: Results) -> pd.Series:
    """Display name per point id: the design name in comparisons, lever values in sweeps."""
    pts = res.points.set_index("point_id")
    if "design" in pts:
        return pts["design"]
    levers = [c for c in pts.columns if is_lever(c)]
    return pts[levers].apply(lambda r: ", ".join(f"{lever_field(k)}={r[k]:.2g}" for k in levers),
                             axis=1)


def results_note(res: Results) -> str:
    """Describe the settings of a results folder that differ from the defaults (a subtitle)."""
    kind = getattr(res, "kind", None) or ""
    return settings_note(res.manifest.get("config"), res.manifest.get(kind), kind)


def _grid(n: int, max_cols: int = 4) -> tuple[int, int]:
    ncols = max(1, min(max_cols, n))
    return math.ceil(n / ncols), ncols


@user_text_safe
def alignment_by_design(res: Results, point_ids=None, notes: dict | None = None):
    """Alignment with Russia, China and the West over time: median, 50% and 90% bands.

    ``notes`` (point id -> text) adds a first line to a panel's title, e.g. 'highest West'.
    """
    names = point_names(res)
    ids = list(point_ids if point_ids is not None else names.index)
    start = res.manifest["config"]["start"]
    nrows, ncols = _grid(len(ids))
    long_names = max(len(str(names[p])) for p in ids) > 40
    height = (3.3 if long_names else 2.9) * nrows + 1.0
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.9 * ncols, height), sharex=True,
                             sharey=True, squeeze=False, layout="constrained")
    for ax, pid in zip(axes.flat, ids, strict=False):
        b = res.bands[res.bands["point_id"] == pid].sort_values("turn")
        x = month_axis(b["turn"], start)
        for bloc in BLOCS:
            c = BLOC_COLOURS[bloc]
            for (lo, hi), alpha in ((("q05", "q95"), 0.12), (("q25", "q75"), 0.3)):
                ax.fill_between(x, b[f"align_{bloc}_{lo}"], b[f"align_{bloc}_{hi}"], color=c,
                                alpha=alpha, lw=0)
            ax.plot(x, b[f"align_{bloc}_q50"], color=c, lw=1.8, label=BLOC_LABELS[bloc])
        ax.axhline(0.5, color=GREY, ls=":", lw=1, label="capture threshold (one half)")
        title = wrap(str(names[pid]), 40)
        if notes and pid in notes:
            title = f"{notes[pid]}\n{title}"
        ax.set_title(title, fontsize=8 if long_names else 9)
        ax.grid(alpha=0.3)
    for ax in axes.flat[len(ids):]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        ax.set_ylabel("alignment share")
    for k, ax in enumerate(axes.flat[:len(ids)]):
        if k + ncols >= len(ids):  # nothing drawn below: this panel shows the dates
            ax.tick_params(axis="x", labelbottom=True, labelrotation=30)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncol=4, fontsize=8, frameon=False)
    for ax in axes.flat[:len(ids)]:
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=7))
    what = "by design" if "design" in res.points else "at selected points of the sweep"
    fig.suptitle(with_note(wrap(f"Kazakhstan's alignment {what}: median (line), 50% and 90% of "
                                "runs (bands)", max(60, 45 * ncols)), results_note(res)),
                 fontsize=10)
    return fig


@user_text_safe
def ternary_by_design(res: Results, point_ids=None):
    """Median alignment path per design and the cloud of final states, on the simplex.

    Draws the whole triangle with tick values and a labelled close-up of where the designs go.
    """
    names = point_names(res)
    ids = list(point_ids if point_ids is not None else names.index)
    paths, clouds = {}, {}
    for pid in ids:
        b = res.bands[res.bands["point_id"] == pid].sort_values("turn")
        paths[pid] = simplex.to_xy(b["align_rus_q50"], b["align_chn_q50"], b["align_west_q50"])
        r = res.runs[res.runs["point_id"] == pid]
        clouds[pid] = simplex.to_xy(r["final_align_rus"], r["final_align_chn"],
                                    r["final_align_west"])
    allx = np.concatenate([np.concatenate([paths[p][0], clouds[p][0]]) for p in ids])
    ally = np.concatenate([np.concatenate([paths[p][1], clouds[p][1]]) for p in ids])
    window = simplex.zoom_window(allx, ally, pad=0.12)
    fig, (whole, close) = plt.subplots(1, 2, figsize=(14, 6.8), layout="constrained",
                                       gridspec_kw={"width_ratios": [1.1, 1]})
    simplex.draw_simplex(whole)
    simplex.mark_window(whole, window)
    step = simplex.draw_zoom(close, window)
    for ax, big in ((whole, False), (close, True)):
        for i, pid in enumerate(ids):
            style = design_style(i)
            x, y = paths[pid]
            fx, fy = clouds[pid]
            ax.scatter(fx, fy, s=8 if big else 4, color=style["color"], alpha=0.25, lw=0,
                       marker=style["marker"])
            ax.plot(x, y, lw=2 if big else 1.2, color=style["color"], ls=style["linestyle"],
                    label=wrap(str(names[pid]), 30))
            ax.scatter(x[-1:], y[-1:], s=50 if big else 20, color=style["color"], edgecolor="white",
                       marker=style["marker"], zorder=4)
        first = ids[0]
        ax.scatter(paths[first][0][:1], paths[first][1][:1], s=70 if big else 40, facecolor="white",
                   edgecolor="black", zorder=5, label="2021 start")
    close.set_title(simplex.zoom_title(step), fontsize=9, pad=40)
    close.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.12, 1.0), frameon=False,
                 title="median path (marker: end);\nfaint points: final state of each run",
                 title_fontsize=8)
    fig.suptitle(with_note("Alignment on the Russia / China / West simplex by design; shaded "
                           "corners: a bloc above one half (captured)", results_note(res)),
                 fontsize=10)
    return fig


@user_text_safe
def pareto_scatter(table: pd.DataFrame, marks: pd.DataFrame, note: str = ""):
    """Designs on pressure on Russia against welfare loss, alignment with the West and balance.

    Each design has its own colour and marker, a number next to each point, and a key.
    ``note`` (e.g. :func:`results_note`) is shown under the title.
    """
    wide = {k: table.pivot(index="design", columns="outcome", values=k)
            for k in ("estimate", "low", "high")}
    designs = list(dict.fromkeys(table["design"]))
    panels = (("pareto_welfare", "welfare_loss_pct_gdp",
               "Kazakh welfare loss (% of GDP, lower is better)"),
              ("pareto_west", "final_align_west", "final alignment with the West (share)"),
              ("pareto_balance", "final_balance_index", "final balance index (1 = even)"))
    fig, axes = plt.subplots(1, 3, figsize=(15, 5.6), layout="constrained")
    xcol = "mean_pressure_on_russia"
    handles, points = [], []
    for ax, (mark, ycol, ylabel) in zip(axes, panels, strict=False):
        xs, ys = [], []
        for i, d in enumerate(designs):
            style = design_style(i)
            x, y = wide["estimate"].loc[d, xcol], wide["estimate"].loc[d, ycol]
            xerr = [[x - wide["low"].loc[d, xcol]], [wide["high"].loc[d, xcol] - x]]
            yerr = [[y - wide["low"].loc[d, ycol]], [wide["high"].loc[d, ycol] - y]]
            on = bool(marks.loc[d, mark])
            h = ax.errorbar(x, y, xerr=xerr, yerr=yerr, fmt=style["marker"], ms=8,
                            color=style["color"], mfc=style["color"] if on else "white",
                            mew=1.5, capsize=3, label=f"{i + 1}  {d}")
            if mark == "pareto_welfare":
                handles.append(h)
            xs.append(x)
            ys.append(y)
        front = [d for d in designs if marks.loc[d, mark]]
        fx = wide["estimate"].loc[front, xcol].to_numpy()
        fy = wide["estimate"].loc[front, ycol].to_numpy()
        order = np.argsort(fx)
        ax.plot(fx[order], fy[order], color="black", lw=1, ls="--", zorder=0)
        ax.set_xlabel("pressure on Russia (mean, share of its 2021 trade)")
        ax.set_ylabel(ylabel)
        ax.grid(alpha=0.3)
        ax.margins(0.15)
        senses = FRONTS[mark][2]
        ax.set_title(f"front: pressure up, {'lower' if not senses[1] else 'higher'} "
                     f"{ylabel.split(' (')[0]}", fontsize=9)
        points.append((xs, ys))
    fig.legend(handles, [h.get_label() for h in handles], loc="outside lower center",
               ncol=min(4, len(designs)), fontsize=9, frameon=False,
               title="designs (number next to each point; filled = on the Pareto front)",
               title_fontsize=9)
    fig.suptitle(with_note("Trade-offs between designs: mean with 95% intervals; filled markers "
                           "and dashed line = Pareto front (no design does better on both axes)",
                           note), fontsize=10)
    fig.canvas.draw()  # settle the layout so labels are placed in final positions
    colours = [design_style(i)["color"] for i in range(len(designs))]
    for ax, (xs, ys) in zip(axes, points, strict=False):
        place_labels(ax, xs, ys, [str(i + 1) for i in range(len(designs))], fontsize=9,
                     colors=colours)
    fig.set_layout_engine("none")  # keep the axes where the labels were placed
    return fig


def _why_sources(by: str) -> tuple[list[str], dict[str, str], dict[str, str]]:
    """Return the sources of change, their labels and fixed colours (actors: the powers')."""
    if by == "mechanism":
        sources = list(PUSHING_IDS) + ["shock"]
        labels = {s: f"{s} {MECHANISMS[s].title}" if s in MECHANISMS else "random shocks"
                  for s in sources}
        return sources, labels, {}
    sources = ["KAZ", "RUS", "CHN", "USA", "EU", "shock"]
    labels = {"KAZ": "Kazakhstan", "shock": "random shocks",
              **{a: BLOC_LABELS[b] for a, b in ACTOR_BLOCS.items()}}
    colours = {"KAZ": KAZ_COLOUR, "shock": OTHER_FILL,
               **{a: BLOC_COLOURS[b] for a, b in ACTOR_BLOCS.items()}}
    return sources, labels, colours


@user_text_safe
def why_stacked(res: Results, by: str = "mechanism", point_ids=None, top: int = 7):
    """Cumulative contributions to the change in Western alignment, stacked, per design.

    Under each panel the net change (their sum) on its own scale, with its final value.
    """
    names = point_names(res)
    ids = list(point_ids if point_ids is not None else names.index)
    why = res.why
    sources, source_labels, fixed = _why_sources(by)
    west = {s: why[f"contrib_{s}_usa"] + why[f"contrib_{s}_eu"] for s in sources}
    frame = pd.DataFrame({"point_id": why["point_id"], "turn": why["turn"], **west})
    cum = frame.sort_values(["point_id", "turn"]).groupby("point_id")[sources].cumsum()
    cum[["point_id", "turn"]] = frame[["point_id", "turn"]]
    final = cum[cum["turn"] == cum["turn"].max()][sources].abs().max()
    if by == "mechanism":
        keep = list(final.drop("shock").sort_values(ascending=False).index[:top])
        other = [s for s in sources if s not in keep]
        labels = [source_labels[s] for s in keep]
        labels += ["other mechanisms and shocks"] if other else []
        colours = list(MECHANISM_COLOURS[:len(keep)]) + [OTHER_FILL]
    else:
        keep, other = sources, []
        labels = [source_labels[s] for s in keep]
        colours = [fixed[s] for s in keep]
    start = res.manifest["config"]["start"]
    nrows, ncols = _grid(len(ids))
    fig = plt.figure(figsize=(3.9 * ncols, 4.4 * nrows + 1.6), layout="constrained")
    grid = fig.add_gridspec(2 * nrows, ncols, height_ratios=[3, 1.4] * nrows)
    stack_axes, net_axes = [], []
    for k, pid in enumerate(ids):
        r, col = divmod(k, ncols)
        ax = fig.add_subplot(grid[2 * r, col], sharey=stack_axes[0] if stack_axes else None)
        nax = fig.add_subplot(grid[2 * r + 1, col], sharex=ax,
                              sharey=net_axes[0] if net_axes else None)
        stack_axes.append(ax)
        net_axes.append(nax)
        c = cum[cum["point_id"] == pid].sort_values("turn")
        x = month_axis(c["turn"], start)
        series = [c[s].to_numpy() for s in keep]
        if other:
            series.append(c[other].sum(axis=1).to_numpy())
        data = np.array(series)
        pos, neg = np.clip(data, 0, None), np.clip(data, None, 0)
        ax.stackplot(x, pos, colors=colours[:len(series)], alpha=0.9)
        ax.stackplot(x, neg, colors=colours[:len(series)], alpha=0.9)
        ax.axhline(0, color="black", lw=0.5)
        ax.set_title(wrap(str(names[pid]), 40), fontsize=9)
        ax.grid(alpha=0.3)
        ax.tick_params(axis="x", labelbottom=False)
        net = data.sum(axis=0)
        nax.fill_between(x, 0, net, color="black", alpha=0.15, lw=0)
        nax.plot(x, net, color="black", lw=1.5)
        nax.axhline(0, color="black", lw=0.5)
        up = net[-1] >= 0
        nax.annotate(f"net {net[-1]:+.3f}", (x[-1], net[-1]), xytext=(-2, 5 if up else -5),
                     textcoords="offset points", ha="right", va="bottom" if up else "top",
                     fontsize=8, fontweight="bold",
                     bbox=dict(boxstyle="square,pad=0.1", fc="white", ec="none", alpha=0.8))
        nax.grid(alpha=0.3)
        nax.tick_params(axis="x", labelrotation=30)
    for k, (ax, nax) in enumerate(zip(stack_axes, net_axes, strict=False)):
        if k % ncols == 0:
            ax.set_ylabel("cumulative change in\nWestern alignment,\nby source")
            nax.set_ylabel("net change\n(sum)")
    lo, hi = net_axes[0].get_ylim()
    pad = max(hi - lo, 0.02) * 0.3
    net_axes[0].set_ylim(min(lo, -0.01) - pad, max(hi, 0.01) + pad)
    handles = [plt.Rectangle((0, 0), 1, 1, color=colours[i]) for i in range(len(labels))]
    handles.append(plt.Line2D([0], [0], color="black"))
    fig.legend(handles, labels + ["net change (lower panels, own scale)"],
               loc="outside lower center", ncol=4, fontsize=8, frameon=False)
    what = "mechanism" if by == "mechanism" else "actor"
    head = (f"Why Western alignment moved: cumulative contribution of each {what} (mean over "
            "runs; above zero pulls toward the West); below each panel the net change on its own "
            "scale")
    fig.suptitle(with_note(wrap(head, max(60, 45 * ncols)), results_note(res)), fontsize=10)
    return fig
