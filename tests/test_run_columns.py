"""sim.run(columns=...): a subset of the trajectory columns, with the same values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import kzsim
import sim
from sim.hindcast import yearly, yearly_columns
from sim.model import KazakhstanModel
from sim.record import TrajectoryRecorder, column_names
from sim.streams import run_seeds

SEEDS = run_seeds(41, 6)
LEADING = ["run", "seed", "turn", "date", "posterior_particle"]


@pytest.fixture(scope="module")
def full():
    return sim.run(kzsim.load_config([]), SEEDS, turns=14)


def test_a_subset_has_the_same_values_in_the_canonical_order(full):
    wanted = ["contrib_M4_eu", "stability", "align_rus", "act_kaz_compliance"]
    part = sim.run(kzsim.load_config([]), SEEDS, turns=14, columns=wanted)
    assert list(part.columns) == LEADING + [c for c in full.columns if c in wanted]
    pd.testing.assert_frame_equal(part, full[list(part.columns)], check_exact=True)


def test_without_contributions_the_pushes_are_not_kept_and_nothing_else_changes(full):
    part = sim.run(kzsim.load_config([]), SEEDS, turns=14, columns=yearly_columns())
    pd.testing.assert_frame_equal(part, full[list(part.columns)], check_exact=True)
    model = KazakhstanModel(kzsim.load_config([]), SEEDS[:2])
    try:
        assert len(column_names(model.state)) == 192
        recorder = TrajectoryRecorder(model.state, 2, ["align_usa", "gdp_usd_bn"])
        handed = []
        model.observers += [recorder, lambda turn, previous, result: handed.append(
            result.pushes)]
        model.observers[-1].reads_pushes = False
        assert not model.reads_pushes()
        model.run_turns(2)
        assert handed == [{}, {}]
        assert recorder.names == ["align_usa", "gdp_usd_bn"]
        assert np.isfinite(recorder.data).all()
    finally:
        model.release()


def test_the_frames_own_columns_may_be_named_and_a_string_is_refused(full):
    part = sim.run(kzsim.load_config([]), SEEDS, turns=14, columns=[*LEADING, "welfare"])
    assert list(part.columns) == [*LEADING, "welfare"]
    with pytest.raises(TypeError, match="not the string 'welfare'"):
        sim.run(kzsim.load_config([]), SEEDS[:1], turns=1, columns="welfare")


def test_an_unknown_column_is_named_with_the_valid_ones():
    with pytest.raises(ValueError, match=r"unknown trajectory column\(s\) align_moon; the "
                                         r"columns are align_rus, align_chn"):
        sim.run(kzsim.load_config([]), SEEDS[:1], turns=1, columns=["align_moon", "welfare"])


def test_yearly_reads_the_same_from_a_full_or_a_fit_sized_trajectory(full):
    """yearly selects its columns first, so its means do not depend on what else a frame has."""
    part = full[[*LEADING, *yearly_columns()]]
    wide = yearly(full, [2022, 2023])
    narrow = yearly(part, [2022, 2023])
    pd.testing.assert_frame_equal(wide, narrow, check_exact=True)
    assert np.isfinite(wide.to_numpy(float)).all() and len(wide) == 2 * len(SEEDS)
