"""The 2021-2025 replay: yearly quantities of MODEL.md's History section, with uncertainty.

Aggregation per calendar year (turn 0 is December 2021 and stands for 2021):
- flows (``trade_usd_bn``, ``exports_usd_bn``, ``imports_usd_bn``, ``reexports_to_russia_usd_bn``,
  ``middle_corridor_mt``): yearly totals, i.e. the mean of the year's annualised monthly rates;
- ``import_share``: a partner's yearly imports over all yearly imports;
- ``oil_share_via_russia`` and ``oil_price`` (2021 = 1): the yearly mean of monthly values;
- GDP, pressure on Russia and the welfare loss (USD bn/yr), re-exports by origin and oil by
  route (mt/yr) are flows;
- ``alignment`` and ``balance_index``: the year-end (December) value.
``value`` is the mean over replications, ``p05``/``p95`` their 5% and 95% quantiles.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.api import run
from sim.design import month_index

POWERS = ("RUS", "CHN", "EU", "USA")
FLOW = "flow"


def quantity_specs() -> list[tuple[str, str, str]]:
    """(quantity, source column or rule, aggregation) for every reported quantity."""
    specs = []
    for kind, col in (("trade_usd_bn", "trade"), ("exports_usd_bn", "exports"),
                      ("imports_usd_bn", "imports")):
        specs += [(f"{kind}.{p}", f"{col}_{p.lower()}_usd_bn", FLOW) for p in POWERS]
    specs += [(f"import_share.{p}", f"imports_{p.lower()}_usd_bn", "share") for p in POWERS]
    specs += [("oil_share_via_russia", "oil_share_via_russia", "mean"),
              ("middle_corridor_mt", "middle_corridor_mt", FLOW),
              ("reexports_to_russia_usd_bn", "evasion_usd_bn", FLOW),
              ("reexports_to_russia_usd_bn.WEST_ORIGIN", "reexports_west_usd_bn", FLOW),
              ("reexports_to_russia_usd_bn.CHN_ORIGIN", "reexports_chn_usd_bn", FLOW),
              ("trade_usd_bn.ROW", "trade_row_usd_bn", FLOW),
              ("gdp_usd_bn", "gdp_usd_bn", FLOW),
              ("oil_price", "oil_price", "mean"),
              ("pressure_on_russia_usd_bn", "pressure_on_russia_usd_bn", FLOW),
              ("welfare_loss_usd_bn", "welfare_loss_usd_bn", FLOW)]
    specs += [(f"oil_route_mt.{r.upper()}", f"oil_{r}_mt", FLOW)
              for r in ("cpc", "atyrau_samara", "caspian", "rail")]
    specs += [(f"alignment.{p}", f"align_{p.lower()}", "end") for p in ("RUS", "CHN", "USA", "EU")]
    specs += [("balance_index", "balance_index", "end"),
              ("exports_usd_bn.TOTAL", "exports_total", FLOW),
              ("imports_usd_bn.TOTAL", "imports_total", FLOW)]
    return specs


def yearly(traj: pd.DataFrame, years) -> pd.DataFrame:
    """Per run and year, every quantity (wide: one column per quantity)."""
    traj = traj.copy()
    traj["year"] = traj["date"].str[:4].astype(int)
    traj.loc[traj["turn"] == 0, "year"] = 2021
    traj["exports_total"] = traj.filter(regex=r"^exports_\w+_usd_bn$").sum(axis=1)
    traj["imports_total"] = traj.filter(regex=r"^imports_\w+_usd_bn$").sum(axis=1)
    traj = traj[traj["year"].isin(years)]
    months = traj[(traj["turn"] > 0) | (traj["year"] == 2021)]
    grouped = months.groupby(["run", "year"])
    means = grouped.mean(numeric_only=True)
    ends = months.sort_values("turn").groupby(["run", "year"]).last(numeric_only=True)
    out = {}
    for name, col, how in quantity_specs():
        if how in (FLOW, "mean"):
            out[name] = means[col]
        elif how == "end":
            out[name] = ends[col]
        else:
            out[name] = means[col] / means["imports_total"]
    return pd.DataFrame(out)


def summarise(per_run: pd.DataFrame) -> pd.DataFrame:
    """Long table ``quantity,year,value,p05,p95`` over replications."""
    g = per_run.groupby(level="year")
    rows = []
    for q in per_run.columns:
        mean, lo, hi = g[q].mean(), g[q].quantile(0.05), g[q].quantile(0.95)
        rows += [{"quantity": q, "year": int(y), "value": mean[y], "p05": lo[y], "p95": hi[y]}
                 for y in mean.index]
    return pd.DataFrame(rows)


def replay(config, seeds, last_year: int = 2025, params=None) -> pd.DataFrame:
    """Run the replay from ``config.start`` through December of ``last_year``; per run, per year."""
    turns = month_index(f"{last_year}-12", "end") - month_index(config.start, "start") + 1
    traj = run(config, seeds, turns=turns, params=params)
    return yearly(traj, range(2021, last_year + 1))


def hindcast_table(config, seeds, last_year: int = 2025) -> pd.DataFrame:
    """``quantity,year,value,p05,p95`` for 2021..last_year (the issue's hindcast.csv)."""
    table = summarise(replay(config, seeds, last_year))
    return table[~table["quantity"].str.endswith(".TOTAL")].reset_index(drop=True)


def simulated_targets(per_run: pd.DataFrame, targets, groups: int = 1) -> np.ndarray:
    """Mean over runs of each (quantity, year) target.

    With ``groups`` > 1, runs are split into that many consecutive equal groups (candidates)
    and the result is (groups, targets).
    """
    runs = per_run.index.get_level_values("run")
    group = runs // (runs.max() // groups + 1) if groups > 1 else np.zeros(len(runs), int)
    g = per_run.groupby([group, per_run.index.get_level_values("year")]).mean()
    out = np.array([[g.loc[(k, t["year"]), t["quantity"]] for t in targets] for k in range(groups)])
    return out if groups > 1 else out[0]
