"""In-sample coverage: how many observations fall inside a table's uncertainty bands.

Issue 12 ("honest intervals"): the share of training observations inside the 90% bands,
reported. With bands from a posterior ensemble, a well-calibrated model puts about 90% of
them inside; far fewer means the bands are too narrow or the model misses those quantities.
"""

from __future__ import annotations

import pandas as pd

from sim.targets import bound_column, inside_band


def band_coverage(table: pd.DataFrame, observed: pd.DataFrame, lower: str = "p05",
                  upper: str = "p95") -> pd.DataFrame:
    """One row per observation that ``table`` has a band for.

    Args:
        table: ``quantity, year, value, <lower>, <upper>`` (e.g. ``hindcast.csv``).
        observed: ``quantity, year, observed`` and optionally ``bound`` (``point``, ``lower``,
            ``upper``: :mod:`sim.targets`; ``point`` where absent).
        lower: the column of the band's lower end.
        upper: the column of the band's upper end.

    Returns:
        ``quantity, year, observed, value, lower, upper, bound, inside`` (``inside``: a point
        observation lies within the band, ends included; a lower bound is reached by its upper
        end, an upper bound by its lower end), in ``observed``'s order.

    """
    observed = observed.assign(bound=bound_column(observed))
    merged = observed[["quantity", "year", "observed", "bound"]].merge(
        table[["quantity", "year", "value", lower, upper]], on=["quantity", "year"],
        how="inner", validate="one_to_one")
    merged = merged.rename(columns={lower: "lower", upper: "upper"})
    merged["inside"] = inside_band(merged["observed"], merged["lower"], merged["upper"],
                                   merged["bound"]).astype(bool)
    return merged[["quantity", "year", "observed", "value", "lower", "upper", "bound",
                   "inside"]].reset_index(drop=True)


__all__ = ["band_coverage"]
