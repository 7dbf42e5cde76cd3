"""Shared look: the Okabe-Ito colour-blind-safe palette, bloc colours, dates, saving."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

OKABE_ITO = ("#000000", "#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7",
             "#F0E442")
BLOC_COLOURS = {"rus": "#D55E00", "chn": "#E69F00", "west": "#009E73", "usa": "#0072B2",
                "eu": "#56B4E9"}
BLOC_LABELS = {"rus": "Russia", "chn": "China", "west": "West (US + EU)", "usa": "United States",
               "eu": "European Union"}
GREY = "#999999"
LINESTYLES = ("-", "--", ":", "-.")


def design_style(i: int) -> dict:
    """Colour and line style of the i-th design (colours first, then line styles)."""
    palette = OKABE_ITO[:7]
    return {"color": palette[i % len(palette)], "linestyle": LINESTYLES[(i // len(palette)) % 4]}


def month_axis(turns, start: str) -> pd.DatetimeIndex:
    """Dates of turns (turn 0 is the month before ``start``)."""
    first = pd.Period(start, freq="M") - 1
    return pd.PeriodIndex([first + int(t) for t in turns]).to_timestamp()


def png_bytes(fig) -> bytes:
    """The figure as PNG bytes; the figure is closed."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()
