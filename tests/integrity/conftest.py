"""A finished small sweep, made once, that fault tests copy and damage."""

from __future__ import annotations

import shutil

import pytest

from tests.sweep.helpers import sweep


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    """A complete 24-point x 5-replication sweep in 6 chunks (workers=1)."""
    out = tmp_path_factory.mktemp("finished") / "s"
    sweep(out, workers=1)
    return out


@pytest.fixture
def damaged_copy(finished, tmp_path):
    """A fresh copy of the finished sweep to damage."""
    copy = tmp_path / "copy"
    shutil.copytree(finished, copy)
    return copy
