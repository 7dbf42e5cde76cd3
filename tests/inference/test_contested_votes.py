"""Contested UN votes (the Ukraine resolutions) enter the observation model as recorded."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from sim.observation import (
    CONTESTED,
    OBSERVED,
    PARTNERS,
    ROLL_CALLS,
    VoteObservationParams,
    contested_share,
    expected_agreement,
    with_contested_votes,
)
from sim.state import refs_from

DATA = Path(__file__).resolve().parents[2] / "data"


def test_contested_counts_are_the_vote_file():
    rows = list(csv.DictReader((DATA / "unga_ukraine_votes.csv").open()))
    for year, (count, same) in CONTESTED.items():
        votes = [r for r in rows if int(r["year"]) == year]
        assert len(votes) == count
        # the EU column is absent: its members are counted as voting as the US did
        expected = [sum(r["KAZ"] == r[col] for r in votes) for col in ("RUS", "CHN", "USA", "USA")]
        assert list(same) == expected
    assert set(int(r["year"]) for r in rows) == set(CONTESTED)


def test_roll_calls_are_the_n_votes_of_the_agreement_rows():
    rows = {(int(r["year"]), r["partner"]): int(r["n_votes"])
            for r in csv.DictReader((DATA / "unga_agreement.csv").open())
            if r["method"] == "agree_share"}
    for year, counts in ROLL_CALLS.items():
        assert counts == tuple(rows[(year, p)] for p in PARTNERS)


def test_mixture_is_routine_votes_plus_the_recorded_ones():
    routine = np.array([[0.7, 0.8, 0.2, 0.5], [0.7, 0.8, 0.2, 0.5]])
    mixed = with_contested_votes(routine, [2021, 2022])
    np.testing.assert_array_equal(mixed[0], routine[0])          # no contested votes in 2021
    c = 6 / np.array([79, 78, 79, 79])
    np.testing.assert_allclose(mixed[1], (1 - c) * routine[1] + c * np.array([2, 5, 0, 0]) / 6)
    share, match = contested_share(np.array([2023, 2014]))
    assert (share[0] == 0).all() and (match[0] == 0).all()      # predictions: routine only
    np.testing.assert_allclose(share[1], 1 / np.array([76, 76, 77, 78]))


def test_abstaining_lowers_agreement_with_russia_and_the_eu_at_once(config):
    """The 2022 pattern a latent share alone cannot give: both fall at the 2021 alignment."""
    align0 = refs_from(config().baseline).align0
    at_2021 = np.stack([align0, align0])
    got = expected_agreement(at_2021, VoteObservationParams(), align0, years=[2021, 2022])
    np.testing.assert_allclose(got[0], OBSERVED[2021])
    rus, chn, usa, eu = got[1] - got[0]
    assert rus < 0 and eu < 0 and usa < 0
    assert chn == pytest.approx(6 / 78 * (5 / 6 - OBSERVED[2021][1]))


def test_without_years_the_expectation_is_the_routine_votes(config):
    align0 = refs_from(config().baseline).align0
    p = VoteObservationParams()
    a = np.stack([align0 + [0.05, -0.05, 0, 0]])
    np.testing.assert_array_equal(expected_agreement(a, p, align0),
                                  expected_agreement(a, p, align0, years=[2021]))
