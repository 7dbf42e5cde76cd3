"""In-sample coverage of uncertainty bands."""

import pandas as pd
import pytest

from sim.analysis.coverage import band_coverage

TABLE = pd.DataFrame({"quantity": ["a", "a", "b", "c"], "year": [2022, 2023, 2022, 2022],
                      "value": [1.0, 2.0, 5.0, 0.5], "p05": [0.5, 1.0, 4.0, 0.4],
                      "p95": [1.5, 3.0, 6.0, 0.6]})


def test_inside_outside_and_bounds_included():
    observed = pd.DataFrame({"quantity": ["b", "a", "c"], "year": [2022, 2022, 2022],
                             "observed": [7.0, 1.5, 0.4]})
    cov = band_coverage(TABLE, observed)
    assert list(cov.columns) == ["quantity", "year", "observed", "value", "lower", "upper",
                                 "bound", "inside"]
    assert set(cov["bound"]) == {"point"}                         # no bound column: points
    assert cov["quantity"].tolist() == ["b", "a", "c"]          # the observations' order
    assert cov["inside"].tolist() == [False, True, True]          # both bounds count as inside


def test_observations_without_a_band_are_left_out_and_duplicates_refused():
    observed = pd.DataFrame({"quantity": ["a", "z"], "year": [2023, 2022],
                             "observed": [2.5, 1.0]})
    cov = band_coverage(TABLE, observed)
    assert cov[["quantity", "year"]].values.tolist() == [["a", 2023]]
    doubled = pd.concat([TABLE, TABLE.iloc[:1]])
    with pytest.raises(pd.errors.MergeError):
        band_coverage(doubled, observed)


def test_a_lower_bound_is_inside_when_the_band_reaches_it():
    # b's band is [4, 6]: at least 5.5 and at least 6 are reached, at least 7 is not; a's
    # band [0.5, 1.5] reaches "at least 0.1" although 0.1 lies below the band
    observed = pd.DataFrame({"quantity": ["b", "a", "c"], "year": [2022] * 3,
                             "observed": [7.0, 0.1, 0.6], "bound": ["lower", "lower", None]})
    cov = band_coverage(TABLE, observed)
    assert cov["bound"].tolist() == ["lower", "lower", "point"]
    assert cov["inside"].tolist() == [False, True, True]
