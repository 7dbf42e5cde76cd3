"""Invariants for any valid design and policy mix (hypothesis, fixed seeds per example)."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kzsim
import sim
from sim.config import from_mapping
from sim.policies import policies_for
from sim.schema import to_dict

unit = st.floats(0.0, 1.0, allow_nan=False)
design = st.fixed_dictionaries({
    "intensity": unit, "secondary_enforcement": unit, "compensation": unit, "licences": unit,
    "clarity": unit, "coalition_consistency": unit, "engagement": unit,
    "duration": st.integers(0, 36),
})
policies = st.fixed_dictionaries({
    actor.lower(): st.sampled_from(policies_for(actor))
    for actor in ("KAZ", "RUS", "CHN", "USA", "EU")
})

DEFAULT = kzsim.load_config([])
BASE = to_dict(DEFAULT)


def _config(d, pol):
    mapping = {**BASE, "sanctions": {**BASE["sanctions"], **d}, "policy": pol}
    return from_mapping(mapping).with_ensemble(DEFAULT.ensemble_data)  # the default source


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(design, policies, st.integers(0, 2**62))
def test_alignment_on_simplex_and_trade_non_negative(d, pol, seed):
    df = sim.run(_config(d, pol), [seed, seed + 1], turns=48)
    align = df[["align_rus", "align_chn", "align_usa", "align_eu"]].to_numpy()
    assert (align >= 0).all()
    np.testing.assert_allclose(align.sum(axis=1), 1.0, atol=1e-9)
    trade = df.filter(regex=r"^(exports|imports|trade)_").to_numpy()
    assert (trade >= 0).all() and np.isfinite(trade).all()
    assert df["balance_index"].between(0, 1).all()
    assert df["oil_share_via_russia"].between(0, 1).all()
    assert df["russia_capacity"].between(0, 1).all()
    assert df["stability"].between(0, 1).all()
    assert (df["evasion_usd_bn"] >= 0).all() and (df["cpc_disruption_days"] <= 30).all()


@settings(max_examples=15, deadline=None)
@given(design)
def test_contributions_explain_the_change(d):
    df = sim.run(_config(d, BASE["policy"]), [5], turns=24)
    for p in ("rus", "chn", "usa", "eu"):
        change = df[f"align_{p}"].diff().to_numpy()[1:]
        mech = df.filter(regex=rf"^contrib_(M\d+|shock)_{p}$").sum(axis=1).to_numpy()[1:]
        np.testing.assert_allclose(mech, change, atol=1e-12)
