"""Per-policy tests against scripted observations (no model run: each policy's ``decide``)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import kzsim
from sim.blocs import CHN, EU, RUS, USA
from sim.policies import POLICIES, policies_for, policy_class
from sim.policies.base import (
    ChnAction,
    KazAction,
    Observation,
    RusAction,
    WestAction,
    west_share,
)
from sim.state import initial_state, refs_from
from sim.streams import Stream

CFG = kzsim.load_config([])
REFS = refs_from(CFG.baseline)
DESIGN = CFG.sanctions
N = 3
SEEDS = np.array([1, 2, 3])
KAZ_POLICIES = policies_for("KAZ")


def make(actor: str, name: str, params=None):
    """Instantiate and reset a policy the way the model does."""
    cls = policy_class(actor, name)
    data = getattr(CFG.actors, actor.lower()) if actor in ("USA", "EU") else None
    policy = cls(params if params is not None else getattr(CFG.policy_params, name), data)
    policy.reset(N)
    return policy


def state(**fields):
    """The 2021 state for N runs with some fields overwritten (scalars or (N,) arrays)."""
    s = initial_state(N, REFS)
    for key, value in fields.items():
        getattr(s, key)[:] = value
    return s


def obs(st=None, turn=5, active=True, months_active=3, design=DESIGN, last=None, bridge=1.0):
    return Observation(turn, active, months_active, design, st if st is not None else state(),
                       REFS, CFG.params, last, bridge)


def stream(actor: str) -> Stream:
    return Stream(SEEDS, f"actor/{actor}")


def decide(policy, observation, actor):
    return policy.decide(observation, stream(actor))


def shifted_align(west_gain):
    """2021 alignment with ``west_gain`` of share moved from Russia to the US (per run)."""
    a = np.tile(REFS.align0, (N, 1))
    a[:, RUS] -= west_gain
    a[:, USA] += west_gain
    return a


# --------------------------------------------------------------------------------- Russia


def test_coercive_pressure_and_threat_rise_with_grievance():
    p = CFG.policy_params.coercive
    act = decide(make("RUS", "coercive"), obs(state(grievance=np.array([0.0, 0.2, 0.5]))), "RUS")
    assert isinstance(act, RusAction)
    assert np.all(np.diff(act.cpc_pressure) > 0)
    assert np.all(np.diff(act.threat) > 0)
    assert np.all(np.diff(act.retaliation) > 0)
    assert act.cpc_pressure[0] == pytest.approx(p.cpc_pressure)
    assert act.threat[0] == pytest.approx(p.threat)
    assert act.threat[2] == pytest.approx(p.threat + p.grievance_response * 0.5)
    for lever in (act.cpc_pressure, act.threat, act.retaliation):
        assert np.all((lever >= 0) & (lever <= 1))


def test_coercive_levers_clipped_at_one_for_huge_grievance():
    act = decide(make("RUS", "coercive"), obs(state(grievance=50.0)), "RUS")
    assert np.all(act.threat == 1.0) and np.all(act.retaliation == 1.0)
    assert np.all(act.cpc_pressure == 1.0)


def test_courting_offers_more_than_coercive_and_threatens_less():
    st = state(grievance=0.3)
    court = decide(make("RUS", "courting"), obs(st), "RUS")
    coerce = decide(make("RUS", "coercive"), obs(st), "RUS")
    assert court.eaeu_offer > coerce.eaeu_offer
    assert court.security_offer > coerce.security_offer
    assert court.gas_union > coerce.gas_union
    assert np.all(court.threat < coerce.threat)
    assert np.all(court.cpc_pressure < coerce.cpc_pressure)


def _tft_run(policy, aligns, signals=None):
    """Feed consecutive observations; return the threat chosen each turn."""
    threats = []
    for t, align in enumerate(aligns, start=1):
        st = state(align=align, signal=0.0 if signals is None else signals[t - 1])
        threats.append(decide(policy, obs(st, turn=t), "RUS").threat.copy())
    return np.array(threats)


def test_tit_for_tat_retaliates_one_turn_after_a_westward_move():
    p = CFG.policy_params.tit_for_tat
    assert p.lag_months == 1
    a0, moved = shifted_align(0.0), shifted_align(0.01)
    threats = _tft_run(make("RUS", "tit_for_tat"), [a0, moved, moved, moved])
    base = p.threat
    assert np.allclose(threats[0], base)                          # nothing happened
    assert np.allclose(threats[1], base)                          # move seen, not yet answered
    assert np.allclose(threats[2], base + p.align_weight * 0.01)  # answered after the lag
    assert np.allclose(threats[3], base)                          # no new move, no retaliation


def test_tit_for_tat_ignores_eastward_moves():
    p = CFG.policy_params.tit_for_tat
    a0, east = shifted_align(0.0), shifted_align(-0.02)
    threats = _tft_run(make("RUS", "tit_for_tat"), [a0, east, east, east])
    assert np.allclose(threats, p.threat)


def test_tit_for_tat_lag_months_delays_retaliation():
    p = dataclasses.replace(CFG.policy_params.tit_for_tat, lag_months=3)
    a0, moved = shifted_align(0.0), shifted_align(0.01)
    threats = _tft_run(make("RUS", "tit_for_tat", p), [a0, moved] + [moved] * 4)
    # the move is seen at turn 2; answered at turn 2 + 3 = 5 and only then
    assert np.allclose(threats[:4], p.threat)
    assert np.allclose(threats[4], p.threat + p.align_weight * 0.01)
    assert np.allclose(threats[5], p.threat)


def test_tit_for_tat_lag_zero_retaliates_at_once():
    p = dataclasses.replace(CFG.policy_params.tit_for_tat, lag_months=0)
    a0, moved = shifted_align(0.0), shifted_align(0.01)
    threats = _tft_run(make("RUS", "tit_for_tat", p), [a0, moved, moved])
    assert np.allclose(threats[0], p.threat)
    assert np.allclose(threats[1], p.threat + p.align_weight * 0.01)
    assert np.allclose(threats[2], p.threat)


def test_tit_for_tat_answers_westward_signals_per_run():
    p = CFG.policy_params.tit_for_tat
    a0 = shifted_align(0.0)
    signals = [np.zeros(N), np.array([0.5, 0.0, -0.5]), np.zeros(N)]
    threats = _tft_run(make("RUS", "tit_for_tat"), [a0, a0, a0], signals)
    assert np.allclose(threats[1], p.threat)
    assert threats[2] == pytest.approx([p.threat + p.signal_weight * 0.5, p.threat, p.threat])


def test_tit_for_tat_reset_forgets_moves():
    p = CFG.policy_params.tit_for_tat
    pol = make("RUS", "tit_for_tat")
    _tft_run(pol, [shifted_align(0.0), shifted_align(0.01)])
    pol.reset(N)
    threats = _tft_run(pol, [shifted_align(0.01), shifted_align(0.01)])
    assert np.allclose(threats, p.threat)


def test_russian_offers_are_the_policy_levels():
    for name in policies_for("RUS"):
        p = getattr(CFG.policy_params, name)
        act = decide(make("RUS", name), obs(state(grievance=0.4)), "RUS")
        assert (act.eaeu_offer, act.security_offer, act.gas_union) == (
            p.eaeu_offer, p.security_offer, p.gas_union)


# ---------------------------------------------------------------------------------- China


def test_vacuum_filler_invests_more_than_steady_when_russia_weakens():
    st = state(capacity=np.array([1.0, 0.8, 0.5]))
    engaged = dataclasses.replace(DESIGN, engagement=1.0)   # no Western vacuum to fill
    steady = decide(make("CHN", "steady_courtship"), obs(st, design=engaged), "CHN")
    filler = decide(make("CHN", "vacuum_filler"), obs(st, design=engaged), "CHN")
    assert isinstance(filler, ChnAction)
    assert filler.investment_bn[0] == pytest.approx(steady.investment_bn[0])
    assert np.all(filler.investment_bn[1:] > steady.investment_bn[1:])
    assert np.all(np.diff(filler.investment_bn) > 0)
    assert np.all(filler.trade_push[1:] > steady.trade_push[1:])
    # steady courtship ignores Russia's capacity
    assert np.allclose(steady.investment_bn, steady.investment_bn[0])


def test_steady_courtship_investment_grows_with_time():
    pol = make("CHN", "steady_courtship")
    p = CFG.policy_params.steady_courtship
    first = decide(pol, obs(turn=0), "CHN").investment_bn
    later = decide(pol, obs(turn=24), "CHN").investment_bn
    assert np.allclose(first, REFS.investment_chn)
    assert np.allclose(later, REFS.investment_chn * (1 + p.investment_growth) ** 2)


# ------------------------------------------------------------------------------- The West


@pytest.mark.parametrize("actor", ["USA", "EU"])
@pytest.mark.parametrize("name", ["follow_design", "ratchet", "adaptive"])
def test_west_applies_nothing_before_the_regime(actor, name):
    act = decide(make(actor, name), obs(active=False, months_active=0, turn=1), actor)
    assert isinstance(act, WestAction)
    assert np.all(np.asarray(act.sanctions) == 0.0)
    assert np.all(np.asarray(act.secondary) == 0.0)
    assert np.all(np.asarray(act.engagement_bn) == 0.0)
    assert np.all(np.asarray(act.energy_demand) == 0.0)


@pytest.mark.parametrize("actor", ["USA", "EU"])
def test_follow_design_applies_exactly_the_design_once_active(actor):
    data = getattr(CFG.actors, actor.lower())
    act = decide(make(actor, "follow_design"), obs(), actor)
    assert act.sanctions == pytest.approx(DESIGN.intensity)
    assert act.secondary == pytest.approx(DESIGN.secondary_enforcement)
    assert act.compensation == DESIGN.compensation
    assert (act.licences, act.clarity) == (DESIGN.licences, DESIGN.clarity)
    assert act.engagement_bn == pytest.approx(
        DESIGN.engagement * CFG.policy_params.follow_design.engagement_scale_bn
        * data.engagement_share)
    assert act.conditionality == data.conditionality
    assert act.energy_demand == pytest.approx(DESIGN.intensity * data.energy_buyer)


def test_follow_design_us_and_eu_differ_only_by_actor_data():
    us = decide(make("USA", "follow_design"), obs(), "USA")
    eu = decide(make("EU", "follow_design"), obs(), "EU")
    assert us.sanctions == eu.sanctions and us.secondary == eu.secondary
    assert eu.energy_demand > us.energy_demand == 0.0     # the EU buys Kazakh oil
    assert eu.engagement_bn > us.engagement_bn             # the EU is the larger investor


def test_follow_design_accepts_per_run_design_arrays():
    design = dataclasses.replace(DESIGN, intensity=np.array([0.2, 0.5, 0.9]))
    act = decide(make("USA", "follow_design"), obs(design=design), "USA")
    assert np.allclose(act.sanctions, [0.2, 0.5, 0.9])


def test_ratchet_intensity_rises_with_months_active():
    pol = make("USA", "ratchet")
    p = CFG.policy_params.ratchet
    levels = [decide(pol, obs(months_active=m), "USA").sanctions for m in (1, 6, 12, 24)]
    levels = np.array(levels)[:, 0]
    assert np.all(np.diff(levels) > 0)
    assert levels[2] == pytest.approx(min(1.0, DESIGN.intensity + p.ramp))
    assert np.all(levels <= 1.0)
    # ratchet escalates beyond the plain design
    plain = decide(make("USA", "follow_design"), obs(months_active=24), "USA").sanctions
    assert levels[-1] > plain


def test_ratchet_escalation_scales_with_russian_capacity_and_evasion():
    pol = make("USA", "ratchet")
    by_cap = decide(pol, obs(state(capacity=np.array([0.0, 0.5, 1.0])), months_active=12), "USA")
    assert by_cap.sanctions[0] == pytest.approx(DESIGN.intensity)
    assert np.all(np.diff(by_cap.sanctions) > 0)
    by_evasion = decide(pol, obs(state(reexports=np.array([0.0, 1.0, 3.0]))), "USA")
    assert by_evasion.secondary[0] == pytest.approx(DESIGN.secondary_enforcement)
    assert np.all(np.diff(by_evasion.secondary) > 0)


def test_ratchet_clips_intensity_at_one():
    act = decide(make("USA", "ratchet"), obs(months_active=600), "USA")
    assert np.all(act.sanctions == 1.0)


def test_adaptive_eases_secondary_pressure_when_west_alignment_falls():
    pol = make("USA", "adaptive")
    loss = np.array([0.0, 0.02, 0.05])
    a = shifted_align(-loss)      # West share below 2021 by ``loss`` (moved to Russia)
    assert np.allclose(west_share(a), west_share(REFS.align0[None, :]) - loss)
    act = decide(pol, obs(state(align=a)), "USA")
    assert act.secondary[0] == pytest.approx(DESIGN.secondary_enforcement)
    assert np.all(np.diff(act.secondary) < 0)
    # a West share above 2021 is not eased
    up = decide(pol, obs(state(align=shifted_align(0.05))), "USA")
    assert np.allclose(up.secondary, DESIGN.secondary_enforcement)


def test_adaptive_compensates_income_losses():
    act = decide(make("EU", "adaptive"), obs(state(loss_share=np.array([0.0, 0.01, 0.03]))), "EU")
    assert act.compensation[0] == pytest.approx(DESIGN.compensation)
    assert np.all(np.diff(act.compensation) > 0)
    assert np.all(act.compensation <= 1.0)


# ---------------------------------------------------------------------------- Kazakhstan


def test_multivector_enforcement_rises_with_west_pressure():
    act = decide(make("KAZ", "multivector"), obs(state(west_pressure=np.array([0.0, 0.4, 0.8]))),
                 "KAZ")
    assert isinstance(act, KazAction)
    assert np.all(np.diff(act.enforcement) > 0)
    assert act.enforcement[0] == pytest.approx(CFG.policy_params.multivector.enforcement)
    assert np.all((act.enforcement >= 0) & (act.enforcement <= 1))


def test_multivector_compliance_and_effort_fall_with_unfairness():
    st = state(unfairness=np.array([0.0, 0.3, 0.6]), west_pressure=0.5)
    act = decide(make("KAZ", "multivector"), obs(st), "KAZ")
    assert np.all(np.diff(act.compliance) < 0)
    assert np.all(np.diff(act.enforcement) < 0)
    assert act.compliance[0] == pytest.approx(CFG.policy_params.multivector.compliance)


def test_multivector_steers_to_2021_with_no_lean():
    act = decide(make("KAZ", "multivector"), obs(), "KAZ")
    assert np.allclose(act.target, REFS.align0)
    assert np.all(np.asarray(act.lean) == 0.0)


def test_westward_pivot_target_is_more_western_and_on_the_simplex():
    pivot = decide(make("KAZ", "westward_pivot"), obs(), "KAZ").target
    multi = decide(make("KAZ", "multivector"), obs(), "KAZ").target
    assert pivot.sum() == pytest.approx(1.0)
    assert np.all(pivot > 0)
    assert pivot[USA] + pivot[EU] > multi[USA] + multi[EU]
    assert pivot[USA] + pivot[EU] == pytest.approx(
        multi[USA] + multi[EU] + CFG.policy_params.westward_pivot.pivot)
    assert pivot[RUS] < multi[RUS] and pivot[CHN] < multi[CHN]


def test_westward_pivot_caps_an_extreme_pivot_and_stays_positive():
    p = dataclasses.replace(CFG.policy_params.westward_pivot, pivot=0.9)
    target = decide(make("KAZ", "westward_pivot", p), obs(), "KAZ").target
    assert target.sum() == pytest.approx(1.0)
    assert np.all(target > 0)


def test_bandwagon_lean_follows_last_push():
    p = CFG.policy_params.bandwagon
    push = np.array([[0.02, -0.01, 0.0, -0.01], [0.0, 0.0, 0.0, 0.0], [-0.03, 0.0, 0.01, 0.02]])
    act = decide(make("KAZ", "bandwagon"), obs(state(last_push=push)), "KAZ")
    assert np.allclose(act.lean, p.momentum * push)
    assert act.doctrine_weight == 0.0


def test_status_quo_weighs_doctrine_more_and_pushes_less_than_multivector():
    sq = decide(make("KAZ", "status_quo"), obs(), "KAZ")
    mv = decide(make("KAZ", "multivector"), obs(), "KAZ")
    assert sq.doctrine_weight > mv.doctrine_weight
    assert sq.responsiveness < mv.responsiveness


@pytest.mark.parametrize("name", KAZ_POLICIES)
def test_kazakh_policies_reproducible_for_same_stream_and_turn(name):
    st = state(west_pressure=0.5, unfairness=0.1, last_push=0.01)
    for turn in (1, 7, 30):
        a = make("KAZ", name).decide(obs(st, turn=turn), stream("KAZ"))
        b = make("KAZ", name).decide(obs(st, turn=turn), Stream(SEEDS.copy(), "actor/KAZ"))
        for f in dataclasses.fields(a):
            np.testing.assert_array_equal(np.asarray(getattr(a, f.name)),
                                          np.asarray(getattr(b, f.name)))


@pytest.mark.parametrize("name", KAZ_POLICIES)
def test_kazakh_signals_are_policy_sized_and_at_policy_rate(name):
    p = getattr(CFG.policy_params, name)
    pol = make("KAZ", name)
    signals = np.array([decide(pol, obs(turn=t), "KAZ").signal for t in range(1, 601)])
    assert set(np.unique(signals)) <= {0.0, p.signal_size}
    rate = (signals != 0).mean()
    assert rate == pytest.approx(p.signal_rate, abs=0.03)


def test_kazakh_signals_differ_across_runs_and_turns():
    pol = make("KAZ", "westward_pivot")     # highest signal rate
    signals = np.array([decide(pol, obs(turn=t), "KAZ").signal for t in range(1, 61)])
    assert signals.any()
    assert not (signals == signals[:, :1]).all()     # runs do not move in lock-step


def test_every_policy_decides_with_a_fresh_state():
    """Smoke over the registry: every policy returns its actor's action type."""
    kinds = {"KAZ": KazAction, "RUS": RusAction, "CHN": ChnAction, "USA": WestAction,
             "EU": WestAction}
    for name, cls in POLICIES.items():
        for actor in cls.actors:
            act = decide(make(actor, name), obs(), actor)
            assert isinstance(act, kinds[actor]), (name, actor)


def test_tit_for_tat_also_answers_accumulated_grievance():
    cfg = kzsim.load_config([])
    refs = refs_from(cfg.baseline)
    cls = policy_class("RUS", "tit_for_tat")
    actions = []
    for grievance in (0.0, 0.5):
        pol = cls(cfg.policy_params.tit_for_tat, None)
        pol.reset(2)
        st = initial_state(2, refs)
        st.grievance[:] = grievance
        obs = Observation(1, True, 1, cfg.sanctions, st, refs)
        actions.append(pol.decide(obs, Stream(np.array([1, 2]), "actor/RUS")))
    assert np.all(actions[1].threat > actions[0].threat)
    assert np.all(actions[1].cpc_pressure > actions[0].cpc_pressure)


def test_china_invests_within_its_budget():
    """Investment never exceeds budget_share of Kazakh GDP, however long or hard it courts."""
    policy = make("CHN", "vacuum_filler")
    late = obs(state(capacity=0.1), turn=600)
    action = decide(policy, late, "CHN")
    cap = CFG.policy_params.vacuum_filler.budget_share * late.state.gdp
    assert np.all(action.investment_bn <= cap + 1e-12)
    assert np.allclose(action.investment_bn, cap)          # the budget binds here


def test_vacuum_filler_invests_more_when_the_west_disengages():
    policy = make("CHN", "vacuum_filler")
    engaged = dataclasses.replace(DESIGN, engagement=1.0)
    disengaged = dataclasses.replace(DESIGN, engagement=0.0)
    more = decide(policy, obs(design=disengaged), "CHN").investment_bn
    less = decide(policy, obs(design=engaged), "CHN").investment_bn
    assert np.all(more > less)
