import numpy as np
import pytest

from kzsim.configuration import compose_mapping
from kzsim.sweep_command import prepare
from sim.errors import ConfigError
from sim.sweep.sampling import sample_points

from .helpers import SMALL


@pytest.mark.parametrize("overrides,fragment", [
    (["sweep.design=fancy"],
     "unknown sweep design 'fancy' for sweep.design; valid choices: grid, lhs, sobol"),
    (["sweep.replications=0"], "sweep.replications=0 is out of range"),
    (["sweep.chunk_size=0"], "sweep.chunk_size=0 is out of range"),
    (["sweep.shard=3", "sweep.shards=3"], "sweep.shard=3 must be below sweep.shards=3"),
    (["sweep.workers=0"], "sweep.workers=0 is out of range"),
    (["experiment=nope"],
     "unknown experiment 'nope'; valid choices: sanctions_grid, sanctions_lhs"),
    (["sweep.replicationz=3"], "unknown key 'sweep.replicationz'"),
])
def test_bad_sweep_settings(overrides, fragment):
    with pytest.raises(ConfigError) as info:
        prepare(compose_mapping([*SMALL, *overrides]))
    assert fragment in str(info.value)


@pytest.mark.parametrize("overrides,fragment", [
    (["sweep.ranges.sanctions.intensity=[0,2]"],
     "sweep.ranges.sanctions.intensity: sanctions.intensity=2.0 is out of range"),
    (["sweep.ranges.sanctions.intensity=[0.5,0.2]"], "must be [low, high] with low < high"),
    (["+sweep.ranges.sanctions.name=[0,1]"], "is not sweepable"),
    (["+sweep.ranges.params.M4.nothing=[0,1]"], "does not name a numeric field"),
])
def test_bad_levers(overrides, fragment):
    model, settings, _ = prepare(compose_mapping([*SMALL, *overrides]))
    with pytest.raises(ConfigError) as info:
        sample_points(settings, model, 0)
    assert fragment in str(info.value)


def _points(*overrides):
    model, settings, _ = prepare(compose_mapping(list(overrides)))
    return sample_points(settings, model, model["seed"])


def test_grid_is_the_full_product():
    pts = _points("experiment=sanctions_grid")
    assert len(pts) == 6 ** 3 and len(pts.drop_duplicates()) == 216
    assert set(pts["sanctions__intensity"]) == {0.0, 0.2, 0.4, 0.6, 0.8, 1.0}


def test_lhs_is_stratified_within_bounds_and_seeded():
    pts = _points("experiment=sanctions_lhs", "sweep.samples=50")
    assert len(pts) == 50
    x = pts["sanctions__intensity"].to_numpy()
    assert ((x >= 0) & (x <= 1)).all()
    assert sorted(np.floor(x * 50).astype(int)) == list(range(50))  # one point per stratum
    assert pts["sanctions__duration"].dtype.kind == "i"
    assert pts.equals(_points("experiment=sanctions_lhs", "sweep.samples=50"))
    assert not pts.equals(_points("experiment=sanctions_lhs", "sweep.samples=50", "seed=1"))


def test_sobol_has_saltelli_size():
    pts = _points("experiment=sanctions_lhs", "sweep.design=sobol", "sweep.samples=16")
    assert len(pts) == 16 * (8 + 2)
