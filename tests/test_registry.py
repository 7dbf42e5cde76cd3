"""Registry integrity: policies, mechanisms and designs name existing articles and configs."""

from __future__ import annotations

import dataclasses
import inspect
import re
from importlib import resources

import numpy as np
import pytest

import kzsim
from sim.articles import ARTICLES, check_keys
from sim.errors import ConfigError
from sim.mechanisms import MECHANISM_IDS, MECHANISMS
from sim.policies import POLICIES, policies_for, policy_class

CFG = kzsim.load_config([])
DESIGNS = sorted(p.name[:-5] for p in (resources.files("kzsim.configs") / "sanctions").iterdir()
                 if p.name.endswith(".yaml"))
ACTOR_CODES = ("KAZ", "RUS", "CHN", "USA", "EU")


# ------------------------------------------------------------------------------- policies


def test_policy_names_are_unique_and_match_the_registry_keys():
    classes = [cls for cls in POLICIES.values()]
    names = [cls.name for cls in classes]
    assert len(names) == len(set(names))
    assert len(set(classes)) == len(classes)
    assert all(key == cls.name for key, cls in POLICIES.items())


def test_every_actor_has_at_least_one_policy_and_the_default_is_valid():
    for actor in ACTOR_CODES:
        assert policies_for(actor), actor
        assert getattr(CFG.policy, actor.lower()) in policies_for(actor)


@pytest.mark.parametrize("name", list(POLICIES))
def test_policy_sources_are_known_articles(name):
    cls = POLICIES[name]
    assert cls.sources, f"{name} cites no article"
    assert all(key in ARTICLES for key in cls.sources), cls.sources
    check_keys(cls.sources, name)  # does not raise


@pytest.mark.parametrize("name", list(POLICIES))
def test_policy_has_docstring_and_params_dataclass(name):
    cls = POLICIES[name]
    assert inspect.getdoc(cls) and len(inspect.getdoc(cls)) > 20
    # the docstring is the class's own, not inherited from a base class
    assert "__doc__" in vars(cls) and vars(cls)["__doc__"]
    assert dataclasses.is_dataclass(cls.Params) and isinstance(cls.Params, type)
    assert dataclasses.fields(cls.Params)
    assert cls.actors and set(cls.actors) <= set(ACTOR_CODES)


@pytest.mark.parametrize("name", list(POLICIES))
def test_policy_docstring_names_one_of_its_sources(name):
    cls = POLICIES[name]
    doc = vars(cls)["__doc__"]
    assert any(key in doc for key in cls.sources), (name, cls.sources)


@pytest.mark.parametrize("actor", ACTOR_CODES)
def test_unknown_policy_raises_config_error_listing_choices(actor):
    with pytest.raises(ConfigError) as err:
        policy_class(actor, "nope")
    message = str(err.value)
    assert "nope" in message
    for name in policies_for(actor):
        assert name in message
    assert "\n" not in message


def test_policy_of_another_actor_is_rejected():
    with pytest.raises(ConfigError, match="valid choices: .*coercive"):
        policy_class("RUS", "multivector")


def test_unknown_policy_in_config_is_a_config_error():
    with pytest.raises(ConfigError, match="valid choices"):
        kzsim.load_config(["policy.rus=nope"])


@pytest.mark.parametrize("name", list(POLICIES))
def test_every_policy_has_params_in_default_yaml(name):
    assert hasattr(CFG.policy_params, name)
    assert isinstance(getattr(CFG.policy_params, name), POLICIES[name].Params)


def test_policy_params_yaml_has_exactly_the_registered_policies():
    import yaml

    text = (resources.files("kzsim.configs") / "policy_params" / "default.yaml").read_text()
    assert set(yaml.safe_load(text)) == set(POLICIES)


# ----------------------------------------------------------------------------- mechanisms


def test_mechanism_ids_are_m1_to_m25_in_order():
    """M1-M20 from MODEL.md; model v2 adds M21-M24 (MODEL_V2.md) and M25 (benchmark)."""
    assert MECHANISM_IDS == tuple(f"M{i}" for i in range(1, 26))
    assert all(MECHANISMS[m].id == m for m in MECHANISM_IDS)


PAPER = re.compile(r"^[A-Z][A-Za-z ,&.'-]+ \d{4}$")


@pytest.mark.parametrize("mid", MECHANISM_IDS)
def test_mechanism_cites_articles_or_papers_and_its_docs_name_one(mid):
    mech = MECHANISMS[mid]
    assert mech.title and mech.sources
    for key in mech.sources:
        assert key in ARTICLES or key == "MODEL_V2" or PAPER.match(key), key
    doc = inspect.getdoc(mech.function)
    assert doc, f"{mid}: {mech.function.__name__} has no docstring"
    assert doc.startswith(mid + " "), f"{mid}: docstring should open with its id"
    module_doc = inspect.getdoc(inspect.getmodule(mech.function)) or ""
    names = [k.split()[0].rstrip(",") for k in mech.sources]
    assert any(k in doc or k in module_doc for k in names), (mid, names)


@pytest.mark.parametrize("mid", MECHANISM_IDS)
def test_mechanism_registers_known_stage_hooks(mid):
    from sim.mechanisms import HOOKS
    mech = MECHANISMS[mid]
    assert mech.stages and set(mech.stages) <= set(HOOKS), mech.stages


@pytest.mark.parametrize("mid", MECHANISM_IDS)
def test_mechanism_attribution_names_known_actors(mid):
    who = MECHANISMS[mid].actors
    if who is None:
        return
    if callable(who):   # weights that read the turn's credit share (M17): any share in [0, 1]
        who = who(np.random.default_rng(0).uniform(0.0, 1.0, 7))
    if isinstance(who, str):
        assert who in ("WEST", "OWN")
    else:
        assert set(who) <= set(ACTOR_CODES) | {"WEST"}
        assert not {"USA", "EU"} & set(who) or "WEST" not in who   # the West once
        columns = sum(np.asarray(w, dtype=float) for w in who.values())
        assert np.allclose(columns, 1.0)   # every power column credited in full


def test_every_mechanism_has_a_switch_defaulting_on():
    for mid in MECHANISM_IDS:
        assert getattr(CFG.mechanisms, mid) is True


# -------------------------------------------------------------------------------- designs


def test_designs_are_shipped():
    assert "status_quo_2022" in DESIGNS and len(DESIGNS) >= 5


@pytest.mark.parametrize("name", DESIGNS)
def test_shipped_design_cites_known_articles(name):
    cfg = kzsim.load_config([f"sanctions={name}"])
    assert cfg.sanctions.name == name
    assert cfg.sanctions.sources
    assert all(k in ARTICLES for k in cfg.sanctions.sources), cfg.sanctions.sources


def test_unknown_design_lists_the_shipped_ones():
    with pytest.raises(ConfigError) as err:
        kzsim.load_config(["sanctions=nope"])
    for name in DESIGNS:
        assert name in str(err.value)


def test_design_citing_unknown_article_is_rejected():
    with pytest.raises(ConfigError, match="unknown article key"):
        kzsim.load_config(["sanctions.sources=[nobody2024]"])
