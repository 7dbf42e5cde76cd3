import numpy as np
import pandas as pd
import pytest

from sim.analysis.discovery import boxes_table, discover, target_mask
from sim.errors import ConfigError


def test_finds_a_planted_box():
    rng = np.random.default_rng(3)
    x = pd.DataFrame(rng.uniform(size=(5000, 4)), columns=["sanctions.a", "sanctions.b", "c", "d"])
    y = ((x["sanctions.a"] > 0.6) & (x["sanctions.b"] < 0.3)).to_numpy()
    noise = rng.uniform(size=len(y)) < 0.02
    boxes, rules = discover(x, y ^ noise)
    best = boxes[0]
    assert set(best.limits) == {"sanctions.a", "sanctions.b"}
    assert best.limits["sanctions.a"][0] == pytest.approx(0.6, abs=0.03)
    assert best.limits["sanctions.b"][1] == pytest.approx(0.3, abs=0.03)
    # 2% label noise: ~90 noise positives lie outside the box, so coverage is ~0.85 at best
    assert best.coverage > 0.8 and best.density > 0.95
    assert len({tuple(sorted(b.limits)) for b in boxes}) == len(boxes) or len(boxes) == 1
    table = boxes_table(boxes)
    assert {"box", "lever", "low", "high", "coverage", "density", "runs"} <= set(table.columns)
    assert "sanctions.a" in rules


def test_target_conditions():
    runs = pd.DataFrame({"final_captured_rus": [True, False, False],
                         "final_captured_chn": [False, True, False],
                         "welfare_loss_pct_gdp": [0.5, 1.5, 2.0],
                         "final_align_west": [0.2, 0.5, 0.3]})
    assert target_mask(runs, "captured_east").tolist() == [True, True, False]
    both = target_mask(runs, "welfare_loss_pct_gdp > 1.2 and final_align_west < 0.4")
    assert both.tolist() == [False, False, True]
    with pytest.raises(ConfigError, match="unknown column"):
        target_mask(runs, "nonsense > 1")
    with pytest.raises(ConfigError, match="must be a condition"):
        target_mask(runs, "welfare_loss_pct_gdp + 1")
    with pytest.raises(ConfigError, match="holds in 0% of runs"):
        discover(runs[["welfare_loss_pct_gdp"]], np.zeros(3, bool))
