"""Every effect size (``sim.schema.effect``) of the registry (M1-M24) and of the economy's
accounting cites a source and has a prior inside its valid range; defaults lie in the priors."""

from __future__ import annotations

import dataclasses

import pytest

import kzsim
from sim.economy.income import IncomeParams
from sim.economy.russia_trade import RussiaTradeParams
from sim.mechanisms import MECHANISMS

PARAMS = kzsim.load_config([]).params
GROUPS = {m: mech.params for m, mech in MECHANISMS.items() if mech.params is not None}
GROUPS.update(russia=RussiaTradeParams, income=IncomeParams)
EFFECTS = [(group, f) for group, cls in GROUPS.items() for f in dataclasses.fields(cls)
           if f.metadata.get("prior") is not None]


def test_every_economy_mechanism_has_effect_sizes():
    groups = {group for group, _ in EFFECTS}
    assert {"M21", "M22", "M23", "M24", "M3", "russia", "income"} <= groups
    assert len(EFFECTS) > 50


@pytest.mark.parametrize(("group", "f"), EFFECTS, ids=[f"{g}.{f.name}" for g, f in EFFECTS])
def test_effect_has_source_and_prior_inside_range(group, f):
    lo, hi = f.metadata["range"]
    p_lo, p_hi = f.metadata["prior"]
    assert f.metadata["source"].strip()
    assert lo <= p_lo <= p_hi <= hi


@pytest.mark.parametrize(("group", "f"), EFFECTS, ids=[f"{g}.{f.name}" for g, f in EFFECTS])
def test_default_value_inside_prior(group, f):
    value = getattr(getattr(PARAMS, group), f.name)
    p_lo, p_hi = f.metadata["prior"]
    assert p_lo <= value <= p_hi, f"params.{group}.{f.name}={value} outside ({p_lo}, {p_hi})"
