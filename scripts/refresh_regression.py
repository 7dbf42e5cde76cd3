"""Refresh the fixed-seed regression baseline ON PURPOSE, after an intended behaviour change.

    python scripts/refresh_regression.py

Writes tests/regression/baseline.csv; review its diff in the commit that changes behaviour.
The cases here are the ones tests/test_regression.py compares against.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import kzsim  # noqa: E402
import sim  # noqa: E402

TARGET = ROOT / "tests" / "regression" / "baseline.csv"
SEEDS = [11, 12, 13]
TURNS = 36
KEEP_TURNS = (0, 6, 12, 24, 36)
COLUMNS = ["align_rus", "align_chn", "align_usa", "align_eu", "balance_index", "welfare",
           "stability", "evasion_usd_bn", "trade_rus_usd_bn", "trade_chn_usd_bn",
           "trade_eu_usd_bn", "trade_usa_usd_bn", "oil_share_via_russia", "middle_corridor_mt",
           "russia_capacity", "cpc_disruption_days", "contrib_M4_usa", "contrib_M7_rus",
           "contrib_M16_eu", "contrib_RUS_rus"]
CASES = {
    "default": [],
    "calibrated_tit_for_tat": ["sanctions=calibrated", "policy.rus=tit_for_tat"],
    "crackdown_coercive_bandwagon": ["sanctions=secondary_crackdown", "policy.rus=coercive",
                                     "policy.kaz=bandwagon", "policy.chn=vacuum_filler"],
    "engaged_ratchet_pivot": ["sanctions=engaged_partner", "policy.usa=ratchet",
                              "policy.eu=adaptive", "policy.kaz=westward_pivot"],
}


POINT = ["ensemble=point"]
"""The baseline pins the point-value path (issue 12, item 4: the posterior ensemble became the
default parameter source; ``ensemble=point`` must stay bit-identical to the code before it)."""


def compute() -> pd.DataFrame:
    """The baseline table: selected columns at selected turns for every case."""
    frames = []
    for case, overrides in CASES.items():
        df = sim.run(kzsim.load_config([*POINT, *overrides]), SEEDS, turns=TURNS)
        df = df[df["turn"].isin(KEEP_TURNS)][["seed", "turn", *COLUMNS]]
        frames.append(df.assign(case=case))
    return pd.concat(frames, ignore_index=True)[["case", "seed", "turn", *COLUMNS]]


if __name__ == "__main__":
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    compute().to_csv(TARGET, index=False, float_format="%.17g")
    print(f"wrote {TARGET}")
