"""Message details: readable numbers, the bad override alone, the lever key as written, notes."""

from __future__ import annotations

import warnings

import pytest

from kzsim.configuration import check_syntax, compose_mapping
from kzsim.sweep_command import prepare
from sim.analysis.sensitivity import problem_of, sobol_points
from sim.errors import ConfigError
from sim.schema import show_number
from sim.sweep.sampling import check_levers, sample_points


@pytest.mark.parametrize("value,shown", [
    (10**308, "1e+308"), (2**63 - 1, "9.22337e+18"), (0.5, "0.5"), (2.0, "2.0"), (1200, "1200"),
    (-3, "-3"), (0.1 + 0.2, "0.3"),
])
def test_numbers_are_shown_readably(value, shown):
    assert show_number(value) == shown


@pytest.mark.parametrize("overrides,quoted", [
    (["turns=12", "sanctions..intensity=0.5", "runs=2"], "'sanctions..intensity=0.5'"),
    (["turns=12", "sanctions.intensity=[0.5", "runs=2"], "'sanctions.intensity=[0.5'"),
    (["runs=2", "=0.5"], "'=0.5'"),
    (["turns=12", "--help"], "'--help'"),
])
def test_only_the_bad_override_is_quoted(overrides, quoted):
    with pytest.raises(ConfigError) as info:
        check_syntax(overrides)
    msg = str(info.value)
    assert quoted in msg
    assert "turns=12" not in msg and "runs=2" not in msg and "Exception" not in msg


def test_good_overrides_pass_the_syntax_check():
    check_syntax(["sanctions=calibrated", "+sweep.ranges.params.M4.tolerance=[0.3,0.7]",
                  "~history", "designs=[status_quo_2022,{name:x,intensity:0.9}]", "out=/tmp/a b"])


@pytest.mark.parametrize("prefix", ["sweep.ranges", "compare.uncertainty", "sensitivity.ranges"])
def test_lever_messages_name_the_setting_as_written(prefix):
    model = prepare(compose_mapping(["experiment=sanctions_lhs"]))[0]
    with pytest.raises(ConfigError) as info:
        check_levers(model, {"sanctions.intensity": [1, 0]}, "lhs", prefix)
    assert str(info.value).startswith(f"{prefix}.sanctions.intensity must be [low, high]")
    with pytest.raises(ConfigError) as info:
        check_levers(model, {"params.M1.resentment": ["a", 2]}, "lhs", prefix)
    assert str(info.value).startswith(f"{prefix}.params.M1.resentment values must be numbers")


def test_sobol_sample_size_must_be_a_power_of_two(capsys):
    model, settings, _ = prepare(compose_mapping(
        ["experiment=sanctions_lhs", "sweep.design=sobol", "sweep.samples=3", "turns=12"]))
    with pytest.raises(ConfigError) as info:
        sample_points(settings, model, 0)
    assert str(info.value) == ("sweep.samples=3 is not a power of 2; Sobol' points are balanced "
                               "only in powers of 2: use sweep.samples=2 or 4")
    with pytest.raises(ConfigError) as info:
        sobol_points(problem_of({"a": [0, 1], "b": [0, 1]}), 1000, 0)
    assert str(info.value).startswith("sensitivity.samples=1,000 is not a power of 2")
    assert str(info.value).endswith("use sensitivity.samples=512 or 1,024")
    with warnings.catch_warnings():
        warnings.simplefilter("error")           # a raw SALib warning would fail the test
        model, settings, _ = prepare(compose_mapping(
            ["experiment=sanctions_lhs", "sweep.design=sobol", "sweep.samples=4", "turns=12"]))
        assert len(sample_points(settings, model, 0)) == 4 * (len(settings.space()) + 2)
        sobol_points(problem_of({"a": [0, 1], "b": [0, 1]}), 4, 0)
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("name,ok", [
    ("run", True), ("sobol_sanctions", True), ("v1.2-b", True), ("A" * 100, True),
    ("../../escape_run", False), (".hidden", False), ("a/b", False), ("A" * 101, False),
    ("", False), ("with space", False),
])
def test_name_must_be_a_plain_folder_name(name, ok, config):
    if ok:
        assert config(f"name={name}").name == name
    else:
        with pytest.raises(ConfigError, match="is not a plain folder name"):
            config(f"name='{name}'")
