"""Real income: GDP less import-price, export-access, oil and penalty losses, plus margins and
compensation (the quantity whose paired difference is the welfare loss)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import kzsim
from sim.economy.income import IncomeParams, real_income

P = kzsim.load_config([]).params.income
GDP = 197.0


def _income(**terms):
    args = {"import_price_loss": 0.0, "export_access_loss": 0.0, "oil_shortfall": 0.0,
            "margin": 0.0, "penalties": 0.0, "compensation": 0.0, **terms}
    return real_income(GDP, p=P, **args)


def test_no_losses_no_gains_income_is_gdp():
    assert isinstance(P, IncomeParams)
    assert _income() == GDP


@pytest.mark.parametrize("term", ["import_price_loss", "export_access_loss", "oil_shortfall",
                                  "penalties"])
def test_each_loss_lowers_income(term):
    out = _income(**{term: np.array([0.0, 1.0, 2.0])})
    assert out[0] == GDP and np.all(np.diff(out) < 0)


@pytest.mark.parametrize("term", ["margin", "compensation"])
def test_margins_and_compensation_raise_income(term):
    out = _income(**{term: np.array([0.0, 1.0, 2.0])})
    assert np.allclose(np.diff(out), 1.0)


def test_value_added_shares_scale_export_and_oil_losses():
    assert GDP - _income(export_access_loss=1.0) == pytest.approx(P.value_added)
    assert GDP - _income(oil_shortfall=1.0) == pytest.approx(P.oil_value_added)
    assert GDP - _income(import_price_loss=1.0) == pytest.approx(1.0)
    none = dataclasses.replace(P, value_added=0.0, oil_value_added=0.0)
    assert real_income(GDP, 0.0, 5.0, 5.0, 0.0, 0.0, 0.0, none) == GDP


def test_compensation_can_offset_a_loss_exactly():
    loss = _income(penalties=2.0, import_price_loss=1.0)
    assert _income(penalties=2.0, import_price_loss=1.0, compensation=3.0) == pytest.approx(GDP)
    assert loss < GDP
