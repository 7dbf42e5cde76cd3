"""Fixed-seed regression: behaviour changes must be made on purpose.

If this fails after an intended change, run ``python scripts/refresh_regression.py`` and
commit the new tests/regression/baseline.csv with the change that explains it.
"""

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("refresh", ROOT / "scripts" / "refresh_regression.py")
refresh = importlib.util.module_from_spec(spec)
spec.loader.exec_module(refresh)


def test_matches_stored_baseline():
    stored = pd.read_csv(refresh.TARGET)
    now = refresh.compute()
    assert list(stored.columns) == list(now.columns) and len(stored) == len(now)
    assert (stored["case"] == now["case"]).all() and (stored["turn"] == now["turn"]).all()
    for col in refresh.COLUMNS:
        np.testing.assert_allclose(now[col].to_numpy(), stored[col].to_numpy(), rtol=1e-9,
                                   atol=1e-12, err_msg=f"column {col} drifted from the baseline")
