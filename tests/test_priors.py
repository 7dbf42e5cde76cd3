"""Every numeric parameter (structural, policy, actor data) cites a source and has a prior
inside its valid range; every default lies in its prior; the priors can be sampled."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
import yaml

import kzsim
from kzsim.compare_command import designs_of
from kzsim.configuration import compose_mapping, split
from kzsim.ensemble import load_ensemble
from sim.comparison import CompareSettings, make_compare_plan
from sim.priors import prior_space, priors
from sim.schema import build, spec
from sim.sweep.sampling import check_levers
from sim.sweep.settings import column_name, flatten

ROOT = Path(__file__).resolve().parents[1]
CFG = kzsim.load_config([])
GROUPS = ("params", "policy_params", "actors")


def _numeric_fields(obj, prefix):
    """(dotted key, field, value) of every numeric field below a dataclass instance."""
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        key = f"{prefix}.{f.name}"
        if dataclasses.is_dataclass(value):
            yield from _numeric_fields(value, key)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            yield key, f, value


FIELDS = [row for group in GROUPS for row in _numeric_fields(getattr(CFG, group), group)]
IDS = [key for key, _, _ in FIELDS]
VALUES = {key: value for key, _, value in FIELDS}


def test_every_group_is_walked():
    keys = {key.split(".")[1] for key in IDS if key.startswith("params.")}
    assert {"alignment", "noise", "replay", "russia", "income", "M1", "M7", "M24"} <= keys
    policies = {key.split(".")[1] for key in IDS if key.startswith("policy_params.")}
    assert {"multivector", "tit_for_tat", "vacuum_filler", "adaptive"} <= policies
    assert len(FIELDS) > 150


@pytest.mark.parametrize(("key", "f", "value"), FIELDS, ids=IDS)
def test_field_has_source_and_prior_inside_range(key, f, value):
    source, prior = f.metadata.get("source", ""), f.metadata.get("prior")
    assert source.strip(), f"{key} cites no source"
    assert prior is not None, f"{key} has no prior"
    lo, hi = f.metadata["range"]
    assert lo <= prior[0] <= prior[1] <= hi, f"{key} prior {prior} outside [{lo}, {hi}]"


@pytest.mark.parametrize(("key", "f", "value"), FIELDS, ids=IDS)
def test_default_value_inside_prior(key, f, value):
    low, high = f.metadata["prior"]
    assert low <= value <= high, f"{key}={value} outside its prior ({low}, {high})"


def test_priors_lists_every_numeric_field_of_params_and_policy_params():
    table = priors(CFG)
    expected = [key for key in IDS if not key.startswith("actors.")]
    assert list(table) == expected
    for key, (low, high, source) in table.items():
        assert low < high and source, key
    assert table["params.M1.resentment"][:2] == (1.5, 4.5)
    assert table["policy_params.multivector.russia_weight"][2].startswith("assumption")
    assert list(priors(CFG, ("actors",))) == [k for k in IDS if k.startswith("actors.")]


def test_priors_refuses_a_field_without_prior():
    @dataclasses.dataclass(frozen=True)
    class Group:
        x: float = dataclasses.field(metadata=spec(0, 1, "", "no source, no prior"))

    @dataclasses.dataclass(frozen=True)
    class Config:
        params: Group

    with pytest.raises(ValueError, match=r"params\.x has no prior"):
        priors(Config(Group(0.5)))


def test_prior_space_names_real_fields_and_passes_the_lever_checks():
    space = prior_space(CFG)
    assert set(space) == {"params"}
    assert space["params"]["M1"]["resentment"] == [1.5, 4.5]
    flat = flatten(space)
    assert set(flat) == {k for k in IDS if k.startswith("params.")}
    model, _ = split(compose_mapping([]))
    check_levers(model, flat, "lhs", "compare.uncertainty")  # every low and high is valid
    assert flatten(prior_space(CFG, "policy_params")) == {
        k: [lo, hi] for k, (lo, hi, _) in priors(CFG, ("policy_params",)).items()}
    with pytest.raises(ValueError, match="unknown group"):
        prior_space(CFG, "sanctions")


def test_prior_space_is_a_compare_uncertainty():
    mapping = compose_mapping(["compare.uncertainty_samples=2", "compare.replications=2"])
    model, edge = split(mapping)
    edge["compare"]["uncertainty"] = prior_space(CFG)
    settings = build(CompareSettings, edge["compare"], "compare")
    designs = designs_of(["status_quo_2022", "calibrated"], model["sanctions"])
    plan = make_compare_plan(model, designs, settings, load_ensemble(model))  # samples every prior
    space = {column_name(k): v for k, v in flatten(prior_space(CFG)).items()}
    draws = plan.rep_levers
    assert len(draws) == 4 and set(space) <= set(draws.columns)
    for key, (low, high) in space.items():
        assert draws[key].between(low, high).all(), key


def test_compare_samples_a_subset_of_the_priors():
    full = prior_space(CFG)["params"]
    subset = {"params": {"M7": {"severity": full["M7"]["severity"]},
                         "M17": {"unrest": full["M17"]["unrest"]}}}
    mapping = compose_mapping(["compare.uncertainty_samples=2", "compare.replications=2",
                               "compare.workers=1", "turns=3", "quiet=true"])
    mapping["compare"]["uncertainty"] = subset
    res = kzsim.compare(["status_quo_2022", "calibrated"], mapping)
    for name, (low, high) in (("params__M7__severity", full["M7"]["severity"]),
                              ("params__M17__unrest", full["M17"]["unrest"])):
        assert res.runs[name].between(low, high).all()
        assert res.runs.groupby("uncertainty_sample")[name].nunique().eq(1).all()


def _fitted_in_defaults():
    """``params.<group>.<name>`` of every value marked ``# fitted`` in the default params."""
    keys, group = [], None
    for line in (ROOT / "configs/params/default.yaml").read_text(encoding="utf-8").splitlines():
        top = re.match(r"^(\w+):", line)
        if top:
            group = top.group(1)
        item = re.match(r"^\s+(\w+):[^#]*#\s*fitted", line)
        if item:
            keys.append(f"params.{group}.{item.group(1)}")
    return keys


def test_fitted_priors_are_the_calibration_ranges():
    targets = yaml.safe_load((ROOT / "configs/targets/kz2022.yaml").read_text(encoding="utf-8"))
    ranges = flatten({"params": targets["parameters"]["params"]})
    fitted = _fitted_in_defaults()
    assert fitted and set(fitted) <= set(ranges)
    table = priors(CFG)
    for key, (low, high) in ranges.items():
        assert table[key][:2] == (low, high), f"{key}: prior {table[key][:2]} != {low, high}"
    for key in fitted:
        assert ranges[key][0] <= VALUES[key] <= ranges[key][1], key
