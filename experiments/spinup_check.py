"""How far the unfitted 2014-2021 spin-up lands from the pre-war data (issue 12).

Runs :func:`sim.spinup.spinup` on the spin-up configuration (:data:`sim.spinup.OVERRIDES`,
point parameters of ``configs/params/default.yaml``) for ``runs`` seeds and prints, per
observed statistic of :func:`sim.prewar.observed_prewar`, the observed value next to the mean
and the 5-95% range over runs; then the yearly means of total and partner turnover and UN
agreement, and the 2021 values against the 2021 baseline (``configs/baseline/kz2021.yaml``).

Run: ``.venv/bin/python -m kzsim.spinup_check [runs]`` (default 50). Not wired into the
command line; the numbers are reported in docs/EVIDENCE_PLAN.md ("Spin-up 2014-2021").
"""

from __future__ import annotations

import sys
import time

import pandas as pd

import kzsim
from sim.prewar import observed_prewar
from sim.spinup import OVERRIDES, compare, spinup
from sim.streams import run_seeds

YEARLY = ("trade_usd_bn.TOTAL", "exports_usd_bn.TOTAL", "imports_usd_bn.TOTAL",
          "trade_usd_bn.RUS", "trade_usd_bn.CHN", "trade_usd_bn.EU", "trade_usd_bn.USA",
          "oil_price", "unga_agreement.RUS", "unga_agreement.CHN", "unga_agreement.USA",
          "unga_agreement.EU", "alignment.RUS", "alignment.CHN", "alignment.USA",
          "alignment.EU")


def baseline_2021() -> dict[str, float]:
    """Turnover by partner and in total, and alignment, of the 2021 baseline."""
    b = kzsim.load_config([]).baseline
    x, m = b.exports_usd_bn, b.imports_usd_bn
    out = {f"trade_usd_bn.{p.upper()}": getattr(x, p).value + getattr(m, p).value
           for p in ("rus", "chn", "eu", "usa")}
    out["trade_usd_bn.TOTAL"] = x.array().sum() + m.array().sum()
    out["exports_usd_bn.TOTAL"], out["imports_usd_bn.TOTAL"] = x.array().sum(), m.array().sum()
    out.update({f"alignment.{p.upper()}": getattr(b.alignment, p).value
                for p in ("rus", "chn", "usa", "eu")})
    return out


def main(runs: int = 50) -> None:
    """Print the spin-up against the observed pre-war statistics."""
    cfg = kzsim.load_config(list(OVERRIDES))
    t0 = time.perf_counter()
    per_run = spinup(cfg, run_seeds(0, runs))
    seconds = time.perf_counter() - t0
    pd.set_option("display.width", 200)
    pd.set_option("display.max_rows", 200)
    table = compare(per_run, observed_prewar())
    print(f"spin-up 2014-01..2021-12, {runs} runs in {seconds:.2f} s (point parameters)\n")
    print(table.drop(columns=["source"]).round(3).to_string(index=False))
    means = per_run.groupby(level="year")[list(YEARLY)].mean().T
    means["kz2021"] = pd.Series(baseline_2021())
    print("\nyearly means over runs (2013 = kz2013; kz2021 = the 2021 baseline)")
    print(means.round(3).to_string())


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:2]))
