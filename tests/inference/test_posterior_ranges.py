"""Uncertainty ranges shipped in configs contain the fitted values and the posterior's bulk.

Issue 12: "Sensitivity and ``compare.uncertainty`` ranges contain the fitted values". Every
``params.*`` range in ``compare.uncertainty``, ``sensitivity.ranges`` and ``sweep.ranges`` of
the shipped configs must contain the point value of ``configs/params/default.yaml`` and, for a
parameter the shipped posterior fits, its 90% credible interval.
"""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

import kzsim
from sim.inference.posterior_store import load_posterior
from sim.sweep.settings import flatten

CONFIGS = resources.files("kzsim.configs")


def _ranges():
    files = ["compare/default.yaml", "sensitivity/default.yaml", "sweep/default.yaml",
             *(f"experiment/{p.name}" for p in (CONFIGS / "experiment").iterdir()
               if p.name.endswith(".yaml"))]
    for name in files:
        data = yaml.safe_load((CONFIGS / name).read_text()) or {}
        for group in (data, data.get("sensitivity") or {}, data.get("sweep") or {},
                      data.get("compare") or {}):
            for key in ("uncertainty", "ranges"):
                for lever, rng in flatten(group.get(key) or {}).items():
                    if lever.startswith("params."):
                        yield name, lever, rng


RANGES = sorted(set((n, lever, tuple(r)) for n, lever, r in _ranges()))


def _value(cfg, dotted):
    node = cfg
    for part in dotted.split("."):
        node = getattr(node, part)
    return node


def test_there_are_ranges_to_check():
    assert len(RANGES) >= 15
    assert {n for n, _, _ in RANGES} >= {"compare/default.yaml", "experiment/sobol_sanctions.yaml"}


SHIPPED = sorted(p.name for p in (CONFIGS / "posteriors").iterdir() if p.is_dir())


def test_the_shipped_posteriors():
    assert SHIPPED == ["kz2014_2022", "kz2022"]


@pytest.mark.parametrize(("config", "lever", "rng"), RANGES)
def test_range_contains_the_point_value_and_the_posterior(config, lever, rng):
    cfg = kzsim.load_config(["ensemble=point"])
    low, high = rng
    assert low <= _value(cfg, lever) <= high
    for name in SHIPPED:
        post = load_posterior(CONFIGS / "posteriors" / name)
        if lever in post.names:
            lo, hi = post.interval(0.9)[post.names.index(lever)]
            assert low <= lo and hi <= high, (name, lever, (lo, hi), rng)
