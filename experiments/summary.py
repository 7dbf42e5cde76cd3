"""The short table ``kzsim run`` prints: final-month medians and 5-95% ranges over runs."""

from __future__ import annotations

import numpy as np
import pandas as pd

ROWS = (
    ("align_rus", "alignment with Russia", "{:.3f}"),
    ("align_chn", "alignment with China", "{:.3f}"),
    ("align_usa", "alignment with the US", "{:.3f}"),
    ("align_eu", "alignment with the EU", "{:.3f}"),
    ("balance_index", "balance index (1 = even)", "{:.3f}"),
    ("welfare", "welfare (1 = no-sanctions path)", "{:.4f}"),
    ("welfare_loss_usd_bn", "welfare loss, USD bn/yr", "{:.2f}"),
    ("pressure_on_russia_usd_bn", "pressure on Russia, USD bn/yr", "{:.1f}"),
    ("gdp_usd_bn", "GDP, USD bn/yr", "{:.0f}"),
    ("stability", "stability", "{:.3f}"),
    ("evasion_usd_bn", "re-exports to Russia, USD bn/yr", "{:.2f}"),
    ("trade_rus_usd_bn", "trade with Russia, USD bn/yr", "{:.1f}"),
    ("trade_chn_usd_bn", "trade with China, USD bn/yr", "{:.1f}"),
    ("trade_eu_usd_bn", "trade with the EU, USD bn/yr", "{:.1f}"),
    ("trade_usa_usd_bn", "trade with the US, USD bn/yr", "{:.1f}"),
    ("oil_share_via_russia", "oil exports via Russia (share)", "{:.3f}"),
    ("middle_corridor_mt", "Middle Corridor cargo, mt/yr", "{:.2f}"),
    ("russia_capacity", "Russia's capacity (2021 = 1)", "{:.3f}"),
)


def summary_table(traj: pd.DataFrame) -> str:
    """Start value, final median and 5-95% range over runs, plus capture shares."""
    last_turn = traj["turn"].max()
    start = traj[traj["turn"] == 0]
    final = traj[traj["turn"] == last_turn]
    n = len(final)
    lines = [f"{'quantity':34s} {'start':>8s} {'final median':>13s} {'5%':>8s} {'95%':>8s}"]
    for col, label, fmt in ROWS:
        q = np.quantile(final[col], [0.05, 0.5, 0.95])
        lines.append(f"{label:34s} {fmt.format(start[col].iloc[0]):>8s} {fmt.format(q[1]):>13s} "
                     f"{fmt.format(q[0]):>8s} {fmt.format(q[2]):>8s}")
    west = final["align_usa"] + final["align_eu"]
    captured = {"Russia": (final["align_rus"] > 0.5).mean(),
                "China": (final["align_chn"] > 0.5).mean(),
                "the West": (west > 0.5).mean()}
    days = traj.groupby("seed")["cpc_disruption_days"].sum()
    lines.append(f"{'CPC outage days (total, median)':34s} {'':>8s} {np.median(days):>13.0f}")
    lines.append("share of runs captured at the end (bloc > 0.5): "
                 + ", ".join(f"{k} {v:.0%}" for k, v in captured.items()))
    lines.append(f"{n} run(s), {last_turn} months to {final['date'].iloc[0]}")
    return "\n".join(lines)
