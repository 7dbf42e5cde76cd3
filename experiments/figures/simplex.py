"""The Russia / China / West simplex (ternary plot), drawn in one place for every figure.

Corners: Russia bottom left, China bottom right, the West (US + EU) at the top. A point's
shares are read along the grid lines: China share on the bottom edge, West share on the right
edge, Russia share on the left edge; tick values are coloured like the power they measure.
Shaded corners are where one bloc holds more than half (captured).
"""

from __future__ import annotations

import numpy as np

from kzsim.figures.style import BLOC_COLOURS, BLOC_LABELS, GREY, plt

BLOCS = ("rus", "chn", "west")
CORNERS = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, np.sqrt(3) / 2]])  # Russia, China, West
_OUTWARD = {"rus": "left", "chn": "bottom", "west": "right"}


def to_xy(rus, chn, west) -> tuple[np.ndarray, np.ndarray]:
    """(Russia, China, West) shares, normalised to sum to one, as x, y in the triangle."""
    r, c, w = (np.asarray(v, dtype=float) for v in (rus, chn, west))
    total = r + c + w
    xy = (np.outer(r / total, CORNERS[0]) + np.outer(c / total, CORNERS[1])
          + np.outer(w / total, CORNERS[2]))
    return xy[:, 0], xy[:, 1]


def _gridline(i: int, v: float) -> tuple[np.ndarray, np.ndarray]:
    """End points of the line where corner i's share is v; the second lies on the labelled edge."""
    a, b, c = CORNERS[i], CORNERS[(i + 1) % 3], CORNERS[(i + 2) % 3]
    return a * v + b * (1 - v), a * v + c * (1 - v)


def _shade(ax) -> None:
    for i, bloc in enumerate(BLOCS):
        region = np.array([CORNERS[i], (CORNERS[i] + CORNERS[(i + 1) % 3]) / 2,
                           (CORNERS[i] + CORNERS[(i + 2) % 3]) / 2])
        ax.fill(region[:, 0], region[:, 1], color=BLOC_COLOURS[bloc], alpha=0.1, lw=0)


def _outline(ax) -> None:
    tri = np.vstack([CORNERS, CORNERS[:1]])
    ax.plot(tri[:, 0], tri[:, 1], color="black", lw=1)


def draw_simplex(ax, step: float = 0.2, fontsize: float = 8) -> None:
    """Draw the whole triangle: capture shading, grid, tick values, edge titles, corners.

    The grid runs every ``step``; tick values are on all three edges.
    """
    _shade(ax)
    _outline(ax)
    levels = np.round(np.arange(step, 1 - 1e-9, step), 6)
    for i, bloc in enumerate(BLOCS):
        for v in levels:
            p, q = _gridline(i, v)
            ax.plot([p[0], q[0]], [p[1], q[1]], color=GREY, lw=0.5, alpha=0.6)
            d = (q - p) / np.linalg.norm(q - p)
            ax.plot([q[0], q[0] + 0.02 * d[0]], [q[1], q[1] + 0.02 * d[1]], color="black", lw=0.8)
            t = q + 0.05 * d
            ax.text(t[0], t[1], f"{v:.1f}", ha="center", va="center", fontsize=fontsize,
                    color=BLOC_COLOURS[bloc])
    h = np.sqrt(3) / 2
    titles = {"chn": ((0.5, -0.15), 0, f"share with {BLOC_LABELS['chn']} \u2192"),
              "west": ((0.75 + 0.14 * np.cos(np.pi / 6), h / 2 + 0.14 * np.sin(np.pi / 6)), -60,
                       f"\u2190 share with the {BLOC_LABELS['west']}"),
              "rus": ((0.25 - 0.14 * np.cos(np.pi / 6), h / 2 + 0.14 * np.sin(np.pi / 6)), 60,
                      f"\u2190 share with {BLOC_LABELS['rus']}")}
    for bloc, ((x, y), rot, text) in titles.items():
        ax.text(x, y, text, rotation=rot, ha="center", va="center", fontsize=fontsize + 1,
                color=BLOC_COLOURS[bloc], rotation_mode="anchor")
    ax.text(-0.03, -0.03, "Russia", ha="right", va="top", fontsize=fontsize + 3, fontweight="bold")
    ax.text(1.03, -0.03, "China", ha="left", va="top", fontsize=fontsize + 3, fontweight="bold")
    ax.text(0.5, h + 0.03, BLOC_LABELS["west"], ha="center", va="bottom", fontsize=fontsize + 3,
            fontweight="bold")
    ax.set_xlim(-0.2, 1.2)
    ax.set_ylim(-0.22, h + 0.1)
    ax.set_aspect("equal")
    ax.axis("off")


def zoom_window(xs, ys, pad: float = 0.25, min_span: float = 0.06) -> tuple[float, ...]:
    """Return a square window (x0, x1, y0, y1) around the points, padded."""
    xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    cx, cy = (np.nanmin(xs) + np.nanmax(xs)) / 2, (np.nanmin(ys) + np.nanmax(ys)) / 2
    span = max(np.nanmax(xs) - np.nanmin(xs), np.nanmax(ys) - np.nanmin(ys), min_span)
    span *= 1 + 2 * pad
    return cx - span / 2, cx + span / 2, cy - span / 2, cy + span / 2


def draw_zoom(ax, window, fontsize: float = 7.5) -> float:
    """Draw a close-up of the simplex and return its grid step.

    Grid lines are labelled with their share, in the colour of the power they measure: Russia
    along the top, China along the bottom, the West on the right.
    """
    x0, x1, y0, y1 = window
    span = max(x1 - x0, y1 - y0)
    step = next(s for s, limit in ((0.01, 0.08), (0.02, 0.2), (0.05, 0.5), (0.1, 9))
                if span < limit)
    _shade(ax)
    _outline(ax)
    edges = {"rus": (1, y1, "center", "bottom"), "chn": (1, y0, "center", "top"),
             "west": (0, x1, "left", "center")}
    for i, bloc in enumerate(BLOCS):
        axis, at, ha, va = edges[bloc]
        for v in np.round(np.arange(step, 1 - 1e-9, step), 6):
            p, q = _gridline(i, v)
            ax.plot([p[0], q[0]], [p[1], q[1]], color=GREY, lw=0.5, alpha=0.7)
            if q[axis] == p[axis]:
                continue
            t = (at - p[axis]) / (q[axis] - p[axis])
            e = p + t * (q - p)
            if 0 <= t <= 1 and x0 - 1e-9 <= e[0] <= x1 + 1e-9 and y0 - 1e-9 <= e[1] <= y1 + 1e-9:
                ax.text(e[0], e[1], f" {v:.2f} ", ha=ha, va=va, fontsize=fontsize,
                        color=BLOC_COLOURS[bloc], clip_on=False)
    for bloc, (x, y, rot, text) in {
            "rus": (0.5, 1.065, 0, f"\u2190 share with {BLOC_LABELS['rus']}"),
            "chn": (0.5, -0.07, 0, f"share with {BLOC_LABELS['chn']} \u2192"),
            "west": (1.1, 0.5, -90, f"\u2190 share with the {BLOC_LABELS['west']}")}.items():
        ax.text(x, y, text, transform=ax.transAxes, ha="center", va="center", rotation=rot,
                fontsize=fontsize + 1, color=BLOC_COLOURS[bloc])
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    return step


def mark_window(ax, window) -> None:
    """Outline the close-up's window on the whole triangle."""
    x0, x1, y0, y1 = window
    ax.add_patch(plt.Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, ec="black", lw=0.8, ls="--"))


def zoom_title(step: float) -> str:
    """Title of the close-up panel."""
    return f"close-up of the dashed box, grid every {step:g}"
