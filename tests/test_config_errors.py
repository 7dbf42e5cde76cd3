"""Bad input: one readable ConfigError naming the problem and the valid choices."""

import pytest

import kzsim
from sim.errors import ConfigError

CASES = [
    (["sanctions.intensityy=0.5"],
     ["unknown key 'sanctions.intensityy'", "intensity, secondary_enforcement"]),
    (["sanctions.intensity=abc"], ["sanctions.intensity must be a number"]),
    (["sanctions.intensity=1.5"], ["out of range", "[0, 1]"]),
    (["policy.rus=nice"], ["unknown policy 'nice'", "coercive, courting, tit_for_tat"]),
    (["policy.usa=coercive"], ["unknown policy 'coercive' for policy.usa", "follow_design"]),
    (["sanctions=foo"], ["unknown sanctions design 'foo'", "calibrated", "engaged_partner"]),
    (["turnz=5"], ["unknown key 'turnz'", "turns"]),
    (["turns=0"], ["turns=0 is out of range"]),
    (["runs=2.5"], ["runs must be a whole number"]),
    (["mechanisms.M26=false"], ["unknown key 'mechanisms.M26'", "M25"]),
    (["mechanisms.M4=maybe"], ["mechanisms.M4 must be true or false"]),
    (["foo"], ["cannot read override 'foo'"]),
    (["policy_params.coercive.threat=2"], ["policy_params.coercive.threat=2.0 is out of range"]),
    (["policy_params.nope.x=1"], ["unknown key 'policy_params.nope'", "tit_for_tat"]),
    (["start=2022-13"], ["start must be a month written YYYY-MM"]),
    (["sanctions.sources=[nope]"], ["unknown article key 'nope'", "bokhari2023_hill"]),
    (["baseline.alignment.rus.value=0.9"], ["alignment must be positive shares summing to 1"]),
    (["params.M7.min_days=20", "params.M7.max_days=10"], ["min_days must not exceed"]),
    (["actors.usa.weight=0", "actors.eu.weight=0"],
     ["actors.usa.weight + actors.eu.weight must be 1"]),
    (["actors.usa.weight=1", "actors.eu.weight=1"], ["must be 1, got 2"]),
]


@pytest.mark.parametrize("overrides,fragments", CASES)
def test_bad_input_gives_one_clear_line(overrides, fragments):
    with pytest.raises(ConfigError) as info:
        kzsim.load_config(overrides)
    message = str(info.value)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message


def test_good_overrides_are_applied():
    cfg = kzsim.load_config(["sanctions=calibrated", "sanctions.intensity=0.8",
                             "policy.rus=tit_for_tat", "mechanisms.M4=false",
                             "policy_params.tit_for_tat.lag_months=3"])
    assert cfg.sanctions.name == "calibrated" and cfg.sanctions.intensity == 0.8
    assert cfg.policy.rus == "tit_for_tat" and cfg.mechanisms.M4 is False
    assert cfg.policy_parameters("RUS").lag_months == 3
