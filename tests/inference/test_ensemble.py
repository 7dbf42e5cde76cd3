"""sim.inference.ensemble: each run's parameter set from its seed alone (issue 12, item 4)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import chisquare

import kzsim
from sim.errors import ConfigError
from sim.inference.ensemble import Ensemble, identity_of
from sim.streams import run_seeds

CFG = kzsim.load_config(["ensemble=point"])
NAMES = ("params.M22.trade_elasticity", "params.M4.tolerance", "observation.slope")
PARTICLES = np.array([[3.5, 0.35, 1.0], [4.5, 0.45, 2.0], [5.5, 0.55, 3.0], [6.5, 0.65, 4.0],
                      [6.9, 0.69, 5.0]])
WEIGHTS = np.array([0.1, 0.2, 0.0, 0.3, 0.4])


def _ensemble(weights=WEIGHTS, names=NAMES, particles=PARTICLES) -> Ensemble:
    return Ensemble("test", names, particles, weights, "2026-11-27", "d" * 64, "p" * 64)


def test_the_draw_is_deterministic_and_depends_on_the_seed_alone():
    ens = _ensemble()
    seeds = run_seeds(3, 50)
    idx = ens.indices(seeds)
    assert np.array_equal(idx, _ensemble().indices(seeds))             # same seeds, same sets
    assert np.array_equal(ens.indices(seeds[::-1]), idx[::-1])         # order of the batch
    assert np.array_equal(ens.indices(seeds[7:9]), idx[7:9])           # batch composition
    mixed = np.concatenate([run_seeds(99, 20), seeds[:5]])
    assert np.array_equal(ens.indices(mixed)[20:], idx[:5])            # other runs beside it
    assert len(set(idx.tolist())) > 1


def test_particles_are_drawn_in_proportion_to_their_weights():
    ens = _ensemble()
    idx = ens.indices(run_seeds(5, 100_000))
    counts = np.bincount(idx, minlength=len(WEIGHTS))
    assert counts[2] == 0                                               # zero weight: never
    keep = WEIGHTS > 0
    stat, p = chisquare(counts[keep], WEIGHTS[keep] * counts.sum())
    assert p > 1e-3, (counts, stat)


def test_values_are_the_particles_of_the_drawn_indices():
    ens = _ensemble()
    seeds = run_seeds(7, 30)
    idx = ens.indices(seeds)
    values = ens.values(seeds)
    for j, name in enumerate(NAMES):
        np.testing.assert_array_equal(values[name], PARTICLES[idx, j])


def test_apply_replaces_scalars_and_keeps_per_run_arrays():
    ens = _ensemble()
    seeds = run_seeds(1, 6)
    lever = np.linspace(0.31, 0.69, 6)
    from sim.sweep.chunk import with_levers

    _, explicit = with_levers(CFG, {"params.M4.tolerance": lever})
    params, idx = ens.apply(explicit, seeds)
    np.testing.assert_array_equal(params.M22.trade_elasticity, PARTICLES[idx, 0])
    np.testing.assert_array_equal(params.M4.tolerance, lever)          # explicit values win
    assert params.M1 is CFG.params.M1                                   # the rest untouched


def test_observation_params_are_per_run():
    ens = _ensemble()
    seeds = run_seeds(2, 8)
    obs = ens.observation_params(seeds)
    np.testing.assert_array_equal(obs.slope, PARTICLES[ens.indices(seeds), 2])
    assert obs.sigma_rus == pytest.approx(0.03)


def test_without_leaves_names_out():
    ens = _ensemble().without(["params.M4.tolerance"])
    assert ens.names == ("params.M22.trade_elasticity", "observation.slope")
    assert ens.particles.shape == (5, 2)
    np.testing.assert_array_equal(ens.indices(run_seeds(1, 9)), _ensemble().indices(
        run_seeds(1, 9)))                                               # same draws


@pytest.mark.parametrize("name,fragment", [
    ("policy_params.coercive.threat", "params.* and observation.* fields only"),
    ("params.M22.nope", "params.M22 has no field 'nope'"),
    ("params.M22", "not a numeric field"),
    ("observation.intercept", "observation fields: sigma_chn"),
])
def test_names_that_map_onto_nothing_are_refused_in_one_line(name, fragment):
    with pytest.raises(ConfigError) as info:
        _ensemble(names=(name, *NAMES[1:])).check(CFG.params)
    assert fragment in str(info.value) and "\n" not in str(info.value)


def test_invalid_weights_are_refused():
    with pytest.raises(ConfigError, match="invalid weights"):
        _ensemble(weights=np.zeros(5))


def test_identity_names_the_artefact():
    ens = _ensemble()
    ident = ens.identity()
    assert ident["ensemble"] == "posterior" and ident["particles_sha256"] == "p" * 64
    assert ident["data_sha256"] == "d" * 64 and ident["fit_date"] == "2026-11-27"
    assert identity_of(CFG) == {"ensemble": "point"}
    assert identity_of(kzsim.load_config(["ensemble=point"]).replace(turns=3)) == {
        "ensemble": "point"}
