"""Shared fixtures: configurations are composed once per session (Hydra compose is slow-ish)."""

from __future__ import annotations

import functools

import pytest

import kzsim


@functools.lru_cache(maxsize=None)
def _config(*overrides: str):
    return kzsim.load_config(list(overrides))


@pytest.fixture(scope="session")
def config():
    """``config(*overrides)`` -> a cached SimConfig."""
    return _config
