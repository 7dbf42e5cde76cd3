"""Robust objectives (sim.search.objectives): directions, percentiles, regret, names."""

import numpy as np
import pandas as pd
import pytest

from sim.errors import ConfigError
from sim.search.objectives import OBJECTIVES, by_replication, natural, objectives_named, robust


def runs_table():
    # 2 designs x 3 replications, design-major
    return pd.DataFrame({"mean_pressure_on_russia": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6],
                         "welfare_loss_pct_gdp": [1.0, 2.0, 3.0, 0.5, 0.5, 0.5],
                         "final_captured_rus": [False, True, False, False, False, False],
                         "final_captured_chn": [False, False, True, False, False, False]})


def test_values_are_to_minimise_and_design_major():
    runs = runs_table()
    pressure = by_replication(OBJECTIVES["pressure"], runs, 2, 3)
    np.testing.assert_allclose(pressure, -np.array([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]))
    capture = by_replication(OBJECTIVES["capture"], runs, 2, 3)
    np.testing.assert_array_equal(capture, [[0, 1, 1], [0, 0, 0]])


def test_mean_percentile_and_regret():
    values = np.array([[1.0, 2.0, 3.0, 4.0, 5.0], [3.0, 3.0, 3.0, 3.0, 3.0]])
    np.testing.assert_allclose(robust(values, "mean"), [3.0, 3.0])
    # the 20th-worst percentile of a value to minimise is its 80th percentile
    np.testing.assert_allclose(robust(values, "percentile", 20.0), [4.2, 3.0])
    reference = np.array([[2.0, 2.0, 2.0, 2.0, 2.0], [0.0, 5.0, 5.0, 5.0, 5.0]])
    # best reference per replication: 0, 2, 2, 2, 2; shortfalls averaged (never negative)
    np.testing.assert_allclose(robust(values, "regret", reference=reference),
                               [(1 + 0 + 1 + 2 + 3) / 5, (3 + 1 + 1 + 1 + 1) / 5])
    with pytest.raises(ConfigError, match="valid choices: mean, percentile, regret"):
        robust(values, "best")


def test_natural_units_and_names():
    pressure = OBJECTIVES["pressure"]
    assert natural(pressure, -0.05, "mean") == 0.05 and natural(pressure, 0.01, "regret") == 0.01
    assert [o.name for o in objectives_named(["west", "capture"])] == ["west", "capture"]
    with pytest.raises(ConfigError, match="unknown objective 'x' in optimize.objectives; "
                                          "valid choices: pressure, welfare_loss, capture"):
        objectives_named(["x"])
    with pytest.raises(ConfigError, match="each once"):
        objectives_named(["west", "west"])
