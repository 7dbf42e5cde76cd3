"""The posterior artefact: round trip, metadata, refusals with one line, weighted draws."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from sim.errors import ConfigError
from sim.files import sha256_file
from sim.inference.abc import ABCSettings, Prior, abc_smc
from sim.inference.posterior_store import (
    FORMAT,
    KIND,
    as_levers,
    data_version,
    draw,
    load_posterior,
    save_posterior,
)

DATA = Path(__file__).resolve().parents[2] / "data"
FILES = [DATA / "unga_agreement.csv", DATA / "kz_observed.csv"]


def _simulate(theta, rng):
    return theta + 0.1 * rng.standard_normal(theta.shape)


@pytest.fixture(scope="module")
def post():
    prior = Prior.uniform({"params.M1.friction": (0.05, 0.25), "observation.slope": (0.5, 6.0)},
                          log=["observation.slope"])
    return abc_smc(_simulate, [0.1, 2.0], prior,
                   ABCSettings(n_particles=200, max_generations=3, seed=1))


def _one_line(err):
    assert "\n" not in str(err.value)


def test_round_trip_keeps_everything(post, tmp_path):
    meta_path = save_posterior(post, tmp_path / "fit", FILES, fit_date="2026-11-25",
                               settings={"targets": "kz2022", "replications": 1})
    back = load_posterior(tmp_path / "fit")
    np.testing.assert_array_equal(back.particles, post.particles)
    np.testing.assert_array_equal(back.weights, post.weights)
    np.testing.assert_array_equal(back.distances, post.distances)
    assert back.names == post.names and back.log.tolist() == [False, True]
    np.testing.assert_array_equal(back.low, post.low)
    assert back.generations == post.generations and back.stopped == post.stopped
    np.testing.assert_allclose(back.width_ratio(), post.width_ratio())
    meta = json.loads(meta_path.read_text())
    assert meta["kind"] == KIND and meta["format"] == FORMAT
    assert meta["fit_date"] == "2026-11-25"
    assert meta["data_version"]["files"]["unga_agreement.csv"] == sha256_file(FILES[0])
    assert meta["data_version"] == data_version(FILES)
    assert meta["model_version"]["sim_sources"] and "git_commit" in meta["model_version"]
    assert meta["settings"]["fit"]["targets"] == "kz2022"
    assert meta["settings"]["abc"]["n_particles"] == 200
    assert [p["name"] for p in meta["parameters"]] == list(post.names)
    assert load_posterior(meta_path).names == post.names  # the JSON's path works too


def test_data_version_changes_with_the_data(tmp_path):
    a = tmp_path / "a.csv"
    a.write_text("x\n1\n")
    v1 = data_version([a])
    a.write_text("x\n2\n")
    assert data_version([a])["sha256"] != v1["sha256"]
    with pytest.raises(ConfigError) as err:
        data_version([tmp_path / "missing.csv"])
    _one_line(err)


def _saved(post, tmp_path) -> Path:
    out = tmp_path / "fit"
    save_posterior(post, out, FILES, fit_date="2026-11-25")
    return out


@pytest.mark.parametrize("damage", ["flip_particles", "truncate_particles", "truncate_json",
                                    "delete_particles", "foreign_json", "wrong_format",
                                    "not_a_dict", "missing_key", "no_json"])
def test_refuses_damaged_foreign_and_other_version_files(post, tmp_path, damage):
    out = _saved(post, tmp_path)
    parts, meta_path = out / "particles.parquet", out / "posterior.json"
    meta = json.loads(meta_path.read_text())
    if damage == "flip_particles":
        data = bytearray(parts.read_bytes())
        data[len(data) // 2] ^= 0xFF
        parts.write_bytes(bytes(data))
    elif damage == "truncate_particles":
        parts.write_bytes(parts.read_bytes()[:100])
    elif damage == "truncate_json":
        meta_path.write_text(meta_path.read_text()[:200])
    elif damage == "delete_particles":
        parts.unlink()
    elif damage == "foreign_json":
        meta_path.write_text(json.dumps({"format": 2, "kind": "run", "files": {}}))
    elif damage == "wrong_format":
        meta_path.write_text(json.dumps({**meta, "format": FORMAT + 1}))
    elif damage == "not_a_dict":
        meta_path.write_text("[1, 2, 3]")
    elif damage == "missing_key":
        del meta["generations"]
        meta_path.write_text(json.dumps(meta))
    else:
        meta_path.unlink()
    with pytest.raises(ConfigError) as err:
        load_posterior(out)
    _one_line(err)


def test_refuses_folders_that_are_not_its_own(post, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    with pytest.raises(ConfigError, match="holds other files") as err:
        save_posterior(post, other, FILES)
    _one_line(err)
    assert sorted(p.name for p in other.iterdir()) == ["notes.txt"]
    out = _saved(post, tmp_path)
    with pytest.raises(ConfigError, match="already holds a posterior"):
        save_posterior(post, out, FILES)
    save_posterior(post, out, FILES, overwrite=True)
    a_file = tmp_path / "file"
    a_file.write_text("x")
    with pytest.raises(ConfigError):
        save_posterior(post, a_file, FILES)
    with pytest.raises(ConfigError):
        load_posterior(tmp_path / "nowhere")


def test_save_leaves_no_temporaries(post, tmp_path):
    out = _saved(post, tmp_path)
    assert sorted(p.name for p in out.iterdir()) == ["particles.parquet", "posterior.json"]


def test_draw_resamples_by_weight(post):
    theta = draw(post, 5000, np.random.default_rng(0))
    assert theta.shape == (5000, 2)
    np.testing.assert_array_equal(theta, draw(post, 5000, np.random.default_rng(0)))
    rows = {tuple(r) for r in post.particles}
    assert all(tuple(r) in rows for r in theta[:50])
    np.testing.assert_allclose(theta.mean(axis=0), post.mean(), rtol=0.05)
    skewed = type(post)(**{**post.__dict__, "weights": np.eye(len(post.weights))[3]})
    assert (draw(skewed, 20, np.random.default_rng(1)) == post.particles[3]).all()
    levers = as_levers(post, theta[:4])
    assert list(levers) == list(post.names) and levers["params.M1.friction"].shape == (4,)
