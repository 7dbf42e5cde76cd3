"""Per-policy tests against scripted observations (no model run: each policy's ``decide``).

Kazakhstan, Russia and China choose by logit over small menus (``sim.choice``): behaviour is
checked as a mean over many runs (one seed each, fixed) or, at temperature 0, as the best
response of every run.
"""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pytest

import kzsim
from sim.blocs import CHN, EU, RUS, USA
from sim.choice import column, grid
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
MANY = 500          # runs (one seed each) over which stochastic choices are averaged
KAZ_POLICIES = policies_for("KAZ")
RUS_POLICIES = policies_for("RUS")
CHN_POLICIES = policies_for("CHN")


def make(actor: str, name: str, params=None, n: int = N):
    """Instantiate and reset a policy the way the model does."""
    cls = policy_class(actor, name)
    data = getattr(CFG.actors, actor.lower()) if actor in ("USA", "EU") else None
    policy = cls(params if params is not None else getattr(CFG.policy_params, name), data)
    policy.reset(n)
    return policy


def params(name: str, **changes):
    """A policy's default parameters with some changed."""
    return dataclasses.replace(getattr(CFG.policy_params, name), **changes)


def state(n: int = N, **fields):
    """The 2021 state for n runs with some fields overwritten (scalars or (n,) arrays)."""
    s = initial_state(n, REFS)
    for key, value in fields.items():
        getattr(s, key)[:] = value
    return s


def obs(st=None, turn=5, active=True, months_active=3, design=DESIGN, last=None, bridge=1.0):
    return Observation(turn, active, months_active, design, st if st is not None else state(),
                       REFS, CFG.params, last, bridge)


def stream(actor: str, n: int = N, name: str | None = None) -> Stream:
    """Run seeds 1..n (SEEDS for N runs) on the actor's stream, or on another named one."""
    return Stream(np.arange(1, n + 1), name or f"actor/{actor}")


def decide(policy, observation, actor):
    return policy.decide(observation, stream(actor, observation.state.align.shape[0]))


def shifted_align(west_gain, n: int = N):
    """2021 alignment with ``west_gain`` of share moved from Russia to the US (per run)."""
    a = np.tile(REFS.align0, (n, 1))
    a[:, RUS] -= west_gain
    a[:, USA] += west_gain
    return a


def align_of(shares, n: int = MANY):
    """The same alignment (RUS, CHN, USA, EU) in every run."""
    return np.tile(np.asarray(shares, dtype=float), (n, 1))


def same(a, b) -> bool:
    """Whether two actions are equal lever by lever."""
    return all(np.array_equal(np.asarray(getattr(a, f.name)), np.asarray(getattr(b, f.name)))
               for f in dataclasses.fields(a))


# --------------------------------------------------------------------------------- Russia


def coercion(act, p):
    """The coercion level each run chose (``cpc_pressure = cpc_pressure_0 + cpc_response·g``)."""
    return np.round((np.asarray(act.cpc_pressure) - p.cpc_pressure) / p.cpc_response, 9)


def incentives(act, p):
    """The incentive level each run chose (``eaeu_offer = e_0 + (1 - e_0)·o``)."""
    return np.round((np.asarray(act.eaeu_offer) - p.eaeu_offer) / (1.0 - p.eaeu_offer), 9)


def test_coercive_coerces_more_as_grievance_rises():
    p = CFG.policy_params.coercive
    threats, levels = [], []
    for grievance in (0.0, 0.1, 0.2, 0.4):
        act = decide(make("RUS", "coercive", n=MANY), obs(state(MANY, grievance=grievance)), "RUS")
        assert isinstance(act, RusAction)
        for lever in (act.cpc_pressure, act.threat, act.retaliation):
            assert np.all((lever >= 0) & (lever <= 1))
        assert set(np.unique(coercion(act, p))) <= set(policy_class("RUS", "coercive")
                                                       .coercion_menu)
        threats.append(act.threat.mean())
        levels.append(coercion(act, p).mean())
    assert np.all(np.diff(threats) > 0)
    assert np.all(np.diff(levels) > 0)


def test_coercive_levers_clipped_at_one_for_huge_grievance():
    p = CFG.policy_params.coercive
    act = decide(make("RUS", "coercive", n=MANY), obs(state(MANY, grievance=50.0)), "RUS")
    assert np.all(coercion(act, p) == 1.0)             # full coercion in every run
    assert np.all(act.threat == 1.0) and np.all(act.retaliation == 1.0)
    assert np.allclose(act.cpc_pressure, p.cpc_pressure + p.cpc_response)


def test_courting_never_escalates():
    p = CFG.policy_params.courting
    assert policy_class("RUS", "courting").coercion_menu == (0.0,)
    for grievance in (0.0, 0.5, 50.0):
        act = decide(make("RUS", "courting", n=MANY), obs(state(MANY, grievance=grievance)),
                     "RUS")
        assert np.all(act.threat == p.threat)
        assert np.all(act.cpc_pressure == p.cpc_pressure)
        assert np.all(act.retaliation == p.retaliation)


def test_coercive_never_offers_a_gas_union_nor_full_incentives():
    p = CFG.policy_params.coercive
    assert max(policy_class("RUS", "coercive").incentive_menu) == 0.5
    # a large bridge value makes offers worth the most; courting offers a gas union here
    situation = obs(state(MANY, grievance=0.0), bridge=np.full(MANY, 3.0))
    court = decide(make("RUS", "courting", n=MANY), situation, "RUS")
    assert np.mean(court.gas_union) > 0
    act = decide(make("RUS", "coercive", n=MANY), situation, "RUS")
    assert np.all(np.asarray(act.gas_union) == 0.0)
    assert np.all(incentives(act, p) <= 0.5)
    assert np.all(np.asarray(act.eaeu_offer) <= p.eaeu_offer + 0.5 * (1.0 - p.eaeu_offer) + 1e-12)


def test_courting_offers_more_than_coercive_and_threatens_less():
    st = state(MANY, grievance=0.3)
    court = decide(make("RUS", "courting", n=MANY), obs(st), "RUS")
    coerce = decide(make("RUS", "coercive", n=MANY), obs(st), "RUS")
    assert np.mean(court.eaeu_offer) > np.mean(coerce.eaeu_offer)
    assert np.mean(court.security_offer) > np.mean(coerce.security_offer)
    assert np.mean(court.gas_union) > np.mean(coerce.gas_union)
    assert np.all(court.threat < coerce.threat)
    assert np.all(court.cpc_pressure < coerce.cpc_pressure)


@pytest.mark.parametrize("name", RUS_POLICIES)
def test_russian_levers_follow_the_chosen_levels(name):
    """Every lever is its 2021 level moved by the chosen coercion g and incentive o.

    The incentive level may be negative (a cut below 2021); a gas union is offered only above 0.
    """
    p = getattr(CFG.policy_params, name)
    cls = policy_class("RUS", name)
    act = decide(make("RUS", name, n=MANY), obs(state(MANY, grievance=0.3)), "RUS")
    g, o = coercion(act, p), incentives(act, p)
    assert set(np.unique(g)) <= set(cls.coercion_menu)
    assert set(np.unique(o)) <= set(cls.incentive_menu)
    assert np.allclose(act.threat, np.minimum(1.0, p.threat + g))
    assert np.allclose(act.retaliation, np.minimum(1.0, p.retaliation + g))
    assert np.allclose(act.security_offer, p.security_offer + (1.0 - p.security_offer) * o)
    assert np.allclose(act.gas_union, p.gas_union * np.maximum(o, 0.0))


@pytest.mark.parametrize("name", RUS_POLICIES)
@pytest.mark.parametrize("capacity", [0.5, 0.2])
def test_russia_never_chooses_options_beyond_its_budget(name, capacity):
    """An option costing more than budget × capacity (M10) is out of reach."""
    p = getattr(CFG.policy_params, name)

    def cost(cap):
        # a strong grievance and a large bridge value make every lever tempting
        st = state(MANY, grievance=0.5, capacity=cap)
        act = decide(make("RUS", name, n=MANY), obs(st, bridge=np.full(MANY, 3.0)), "RUS")
        return p.coercion_cost * coercion(act, p) + p.offer_cost * incentives(act, p)

    assert np.all(cost(capacity) <= p.budget * capacity + 1e-9)
    assert np.any(cost(1.0) > p.budget * capacity)     # at full capacity it does spend more


@pytest.mark.parametrize("name", RUS_POLICIES)
def test_russia_with_no_capacity_neither_coerces_nor_offers_more(name):
    p = getattr(CFG.policy_params, name)
    st = state(MANY, grievance=0.5, capacity=0.0)
    act = decide(make("RUS", name, n=MANY), obs(st, bridge=np.full(MANY, 3.0)), "RUS")
    # nothing above the 2021 level is within the budget; a cut below it (o < 0) spends nothing
    assert np.all(coercion(act, p) == 0.0) and np.all(incentives(act, p) <= 0.0)


@pytest.mark.parametrize("name", RUS_POLICIES)
def test_russia_at_temperature_zero_takes_its_best_option_in_every_run(name):
    cool = params(name, temperature=0.0)
    cls = policy_class("RUS", name)
    situation = obs(state(grievance=0.3))
    act = make("RUS", name, cool).decide(situation, stream("RUS"))
    other = make("RUS", name, cool).decide(situation, stream("RUS", name="another stream"))
    assert same(act, other)                             # the draws are not read
    # the option with the highest utility, from a fresh instance (no memory used)
    options = list(itertools.product(cls.coercion_menu, cls.incentive_menu))
    ref = make("RUS", name, cool)
    u = ref.utility(situation, column([g for g, _ in options]), column([o for _, o in options]),
                    ref.aggrieved(situation, stream("RUS")))
    best = options[int(np.broadcast_to(u, (len(options), N))[:, 0].argmax())]
    assert np.all(coercion(act, cool) == best[0])
    assert np.all(incentives(act, cool) == best[1])


@pytest.mark.parametrize("name", RUS_POLICIES)
def test_russia_utility_is_the_same_on_the_grid_and_on_options_in_any_order(name):
    # each part is evaluated once per distinct lever level and expanded (sim.choice.distinct):
    # the utilities must be those of the options one by one, bit for bit, in any order
    cls = policy_class("RUS", name)
    situation = obs(state(MANY, grievance=0.4, capacity=0.8), bridge=np.full(MANY, 1.3))
    g, o = grid(cls.coercion_menu, cls.incentive_menu)
    order = np.random.default_rng(3).permutation(len(g))
    ref = make("RUS", name, n=MANY)
    aggrieved = ref.aggrieved(situation, stream("RUS"))
    on_grid = make("RUS", name, n=MANY).utility(situation, g, o, aggrieved)
    shuffled = make("RUS", name, n=MANY).utility(situation, g[order], o[order], aggrieved)
    assert np.array_equal(np.broadcast_to(shuffled, on_grid.shape), on_grid[order])


def _tft_levels(policy, aligns, signals=None, n=N):
    """Feed consecutive observations; return the coercion level chosen each turn (turns, runs)."""
    levels = []
    for t, align in enumerate(aligns, start=1):
        st = state(n, align=align, signal=0.0 if signals is None else signals[t - 1])
        levels.append(coercion(decide(policy, obs(st, turn=t), "RUS"), policy.params))
    return np.array(levels)


def _tft_grievances(policy, aligns, signals=None):
    """Feed consecutive observations; return what tit-for-tat wants to punish each turn."""
    out = []
    for t, align in enumerate(aligns, start=1):
        st = state(align=align, signal=0.0 if signals is None else signals[t - 1])
        out.append(policy.aggrieved(obs(st, turn=t), stream("RUS")).copy())
    return np.array(out)


@pytest.mark.parametrize("lag", [0, 1, 3])
def test_tit_for_tat_punishes_a_westward_move_after_lag_months(lag):
    p = params("tit_for_tat", lag_months=lag)
    a0, moved = shifted_align(0.0, MANY), shifted_align(0.02, MANY)
    levels = _tft_levels(make("RUS", "tit_for_tat", p, MANY), [a0, moved] + [moved] * 4, n=MANY)
    # the move is seen at turn 2 (index 1) and answered lag months later, then only
    answer = 1 + lag
    means = levels.mean(axis=1)
    others = np.delete(means, answer)
    assert means[answer] > others.max() + 0.1


@pytest.mark.parametrize("lag", [0, 1, 3])
def test_tit_for_tat_best_response_coerces_only_in_the_answering_month(lag):
    p = params("tit_for_tat", lag_months=lag, temperature=0.0)
    a0, moved = shifted_align(0.0), shifted_align(0.05)
    levels = _tft_levels(make("RUS", "tit_for_tat", p), [a0, moved] + [moved] * 4)
    answer = 1 + lag
    assert np.all(levels[answer] > levels[0])
    assert np.all(np.delete(levels, answer, axis=0) == levels[0])


def test_tit_for_tat_remembers_a_westward_move_for_lag_months():
    for lag in (0, 1, 3):
        p = params("tit_for_tat", lag_months=lag)
        a0, moved = shifted_align(0.0), shifted_align(0.01)
        seen = _tft_grievances(make("RUS", "tit_for_tat", p), [a0, moved] + [moved] * 4)
        expected = np.zeros((6, N))
        expected[1 + lag] = p.move_weight * 0.01
        assert np.allclose(seen, expected)


def test_tit_for_tat_ignores_eastward_moves():
    a0, east = shifted_align(0.0), shifted_align(-0.02)
    seen = _tft_grievances(make("RUS", "tit_for_tat"), [a0, east, east, east])
    assert np.all(seen == 0.0)
    cool = params("tit_for_tat", temperature=0.0)
    levels = _tft_levels(make("RUS", "tit_for_tat", cool), [a0, east, east, east])
    assert np.all(levels == levels[0])


def test_tit_for_tat_answers_westward_signals_per_run():
    p = CFG.policy_params.tit_for_tat
    a0 = shifted_align(0.0)
    signals = [np.zeros(N), np.array([0.5, 0.0, -0.5]), np.zeros(N)]
    seen = _tft_grievances(make("RUS", "tit_for_tat"), [a0, a0, a0], signals)
    assert np.all(seen[:2] == 0.0)
    assert seen[2] == pytest.approx([p.signal_weight * 0.5, 0.0, 0.0])
    cool = params("tit_for_tat", temperature=0.0)
    levels = _tft_levels(make("RUS", "tit_for_tat", cool), [a0, a0, a0], signals)
    assert levels[2, 0] > levels[2, 1] == levels[2, 2] == levels[0, 0]


def test_tit_for_tat_reset_forgets_moves():
    pol = make("RUS", "tit_for_tat")
    _tft_grievances(pol, [shifted_align(0.0), shifted_align(0.01)])
    pol.reset(N)
    seen = _tft_grievances(pol, [shifted_align(0.01), shifted_align(0.01), shifted_align(0.01)])
    assert np.all(seen == 0.0)


def test_tit_for_tat_ignores_accumulated_grievance():
    """It punishes lagged westward moves only, not the grievance of M2 and M20."""
    actions = []
    for grievance in (0.0, 0.5, 5.0):
        pol = make("RUS", "tit_for_tat", n=MANY)
        actions.append(decide(pol, obs(state(MANY, grievance=grievance), turn=1), "RUS"))
    assert same(actions[0], actions[1]) and same(actions[0], actions[2])
    # whereas a coercive Russia, on the same draws, answers it
    coerce = [decide(make("RUS", "coercive", n=MANY), obs(state(MANY, grievance=g), turn=1),
                     "RUS") for g in (0.0, 0.5)]
    assert np.mean(coerce[1].threat) > np.mean(coerce[0].threat)


# ---------------------------------------------------------------------------------- China


def chn_align(share, n: int = MANY):
    """2021 alignment with China's share set to ``share``, the difference taken from Russia."""
    a = np.tile(REFS.align0, (n, 1))
    a[:, RUS] -= share - a[:, CHN]
    a[:, CHN] = share
    return a


def test_vacuum_filler_invests_more_than_steady_when_russia_weakens():
    engaged = dataclasses.replace(DESIGN, engagement=1.0)   # no Western vacuum to fill
    steady, filler = [], []
    for capacity in (1.0, 0.9, 0.8):
        st = state(MANY, capacity=capacity)
        steady.append(decide(make("CHN", "steady_courtship", n=MANY), obs(st, design=engaged),
                             "CHN"))
        filler.append(decide(make("CHN", "vacuum_filler", n=MANY), obs(st, design=engaged),
                             "CHN"))
    assert isinstance(filler[0], ChnAction)
    # at full Russian capacity there is no vacuum: the two policies choose alike
    assert same(filler[0], steady[0])
    invest = [a.investment_bn.mean() for a in filler]
    assert np.all(np.diff(invest) > 0)
    assert all(f.investment_bn.mean() > s.investment_bn.mean()
               for f, s in zip(filler[1:], steady[1:], strict=True))
    assert np.all(np.diff([a.trade_push.mean() for a in filler]) > 0)
    # steady courtship ignores Russia's capacity
    assert same(steady[0], steady[1]) and same(steady[0], steady[2])


@pytest.mark.parametrize("name", CHN_POLICIES)
def test_chinese_investment_is_a_menu_share_of_a_budget_set_by_gdp(name):
    p = getattr(CFG.policy_params, name)
    cls = policy_class("CHN", name)
    gdp = REFS.gdp * np.linspace(0.8, 1.5, MANY)
    act = decide(make("CHN", name, n=MANY), obs(state(MANY, gdp=gdp)), "CHN")
    shares = np.round(act.investment_bn / (p.budget_share * gdp), 9)
    assert set(np.unique(shares)) <= set(cls.investment_menu)
    assert set(np.unique(act.trade_push)) <= set(cls.trade_menu)


@pytest.mark.parametrize("name", CHN_POLICIES)
def test_chinese_investment_never_exceeds_the_budget(name):
    """However tempting Kazakhstan (a weak Russia, no West, a large bridge value)."""
    p = getattr(CFG.policy_params, name)
    st = state(MANY, capacity=0.0)
    disengaged = dataclasses.replace(DESIGN, engagement=0.0)
    act = decide(make("CHN", name, n=MANY),
                 obs(st, design=disengaged, bridge=np.full(MANY, 5.0)), "CHN")
    assert np.all(act.investment_bn <= p.budget_share * st.gdp + 1e-12)


@pytest.mark.parametrize("name", CHN_POLICIES)
def test_discontent_lowers_chinese_courtship(name):
    """M12: above its threshold, China's share costs it visible courtship; below, nothing."""
    threshold = CFG.params.M12.threshold
    calm = params(name, discontent_weight=0.0)
    above = obs(state(MANY, align=chn_align(threshold + 0.1)))
    heeds = decide(make("CHN", name, n=MANY), above, "CHN")
    ignores = decide(make("CHN", name, calm, MANY), above, "CHN")
    assert heeds.investment_bn.mean() < ignores.investment_bn.mean()
    assert heeds.trade_push.mean() < ignores.trade_push.mean()
    below = obs(state(MANY, align=chn_align(threshold - 0.05)))
    assert same(decide(make("CHN", name, n=MANY), below, "CHN"),
                decide(make("CHN", name, calm, MANY), below, "CHN"))
    # the further above the threshold, the less the trade push (its value is the same)
    pushes = [decide(make("CHN", name, n=MANY), obs(state(MANY, align=chn_align(s))),
                     "CHN").trade_push.mean() for s in (threshold, threshold + 0.1,
                                                        threshold + 0.2)]
    assert np.all(np.diff(pushes) < 0)


@pytest.mark.parametrize("name", CHN_POLICIES)
def test_china_at_temperature_zero_is_deterministic(name):
    cool = params(name, temperature=0.0)
    act = make("CHN", name, cool).decide(obs(), stream("CHN"))
    other = make("CHN", name, cool).decide(obs(), stream("CHN", name="another stream"))
    assert same(act, other)
    assert np.all(act.investment_bn == act.investment_bn[0])     # every run the same best


# ------------------------------------------------------------------------------- The West

WEST_POLICIES = ["weigh_instruments", "follow_design", "ratchet", "adaptive"]
CHOOSING = ["weigh_instruments", "ratchet", "adaptive"]


@pytest.mark.parametrize("actor", ["USA", "EU"])
@pytest.mark.parametrize("name", WEST_POLICIES)
def test_west_applies_nothing_before_the_regime(actor, name):
    act = decide(make(actor, name), obs(active=False, months_active=0, turn=1), actor)
    assert isinstance(act, WestAction)
    for lever in ("sanctions", "secondary", "engagement_bn", "energy_demand", "designations",
                  "anti_circumvention", "export_controls"):
        assert np.all(np.asarray(getattr(act, lever)) == 0.0), lever


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
    assert act.diplomacy == pytest.approx(DESIGN.engagement)
    assert np.all(np.asarray(act.anti_circumvention) == 0.0)      # never lists


def test_follow_design_us_and_eu_differ_only_by_actor_data():
    us = decide(make("USA", "follow_design"), obs(), "USA")
    eu = decide(make("EU", "follow_design"), obs(), "EU")
    assert us.sanctions == eu.sanctions and us.secondary == eu.secondary
    assert eu.energy_demand > us.energy_demand == 0.0     # the EU buys Kazakh oil
    assert eu.engagement_bn > us.engagement_bn             # the EU is the larger investor
    assert us.designations == us.secondary and eu.designations == 0.0   # held by the US
    assert eu.export_controls == eu.sanctions and us.export_controls == 0.0


def test_follow_design_accepts_per_run_design_arrays():
    design = dataclasses.replace(DESIGN, intensity=np.array([0.2, 0.5, 0.9]))
    act = decide(make("USA", "follow_design"), obs(design=design), "USA")
    assert np.allclose(act.sanctions, [0.2, 0.5, 0.9])


def test_ratchet_stance_intensity_rises_with_months_active():
    pol = make("USA", "ratchet")
    p = CFG.policy_params.ratchet
    levels = np.array([pol.levels(obs(months_active=m))[0] for m in (1, 6, 12, 24)])[:, 0]
    assert np.all(np.diff(levels) > 0)
    assert levels[2] == pytest.approx(min(1.0, DESIGN.intensity + p.ramp))
    assert np.all(levels <= 1.0)
    # the choice happens around the escalated stance: Russia is hit at its intensity
    act = decide(pol, obs(months_active=24), "USA")
    assert np.allclose(act.sanctions, levels[-1])
    assert np.all(act.sanctions > DESIGN.intensity)


def test_ratchet_stance_scales_with_russian_capacity_and_observed_evasion():
    pol = make("USA", "ratchet")
    by_cap = pol.levels(obs(state(capacity=np.array([0.0, 0.5, 1.0])), months_active=12))[0]
    assert by_cap[0] == pytest.approx(DESIGN.intensity)
    assert np.all(np.diff(by_cap) > 0)
    by_evasion = pol.levels(obs(state(reexports=np.array([0.0, 1.0, 3.0]))))[1]
    assert by_evasion[0] == pytest.approx(DESIGN.secondary_enforcement)
    assert np.all(np.diff(by_evasion) > 0)
    # the designations it chooses sit on its tempo menu around that stance
    act = decide(make("USA", "ratchet", n=N), obs(state(reexports=np.array([0.0, 1.0, 3.0]))),
                 "USA")
    tempo = np.round(act.designations / by_evasion, 9)
    assert set(np.unique(tempo)) <= set(policy_class("USA", "ratchet").tempo_menu)


def test_ratchet_clips_intensity_at_one():
    act = decide(make("USA", "ratchet"), obs(months_active=600), "USA")
    assert np.all(act.sanctions == 1.0)


def test_adaptive_eases_the_stance_when_west_alignment_falls():
    pol = make("USA", "adaptive")
    loss = np.array([0.0, 0.02, 0.05])
    a = shifted_align(-loss)      # West share below 2021 by ``loss`` (moved to Russia)
    assert np.allclose(west_share(a), west_share(REFS.align0[None, :]) - loss)
    secondary = pol.levels(obs(state(align=a)))[1]
    assert secondary[0] == pytest.approx(DESIGN.secondary_enforcement)
    assert np.all(np.diff(secondary) < 0)
    # a West share above 2021 is not eased
    up = pol.levels(obs(state(align=shifted_align(0.05))))[1]
    assert np.allclose(up, DESIGN.secondary_enforcement)


def test_ratchet_and_adaptive_differ_in_code_not_only_in_numbers():
    """On the same observation, the ratchet presses harder on evasion, adaptive eases on loss."""
    st = state(reexports=3.0, align=shifted_align(-0.05))
    ratchet = make("USA", "ratchet").levels(obs(st))[1]
    adaptive = make("USA", "adaptive").levels(obs(st))[1]
    plain = make("USA", "weigh_instruments").levels(obs(st))[1]
    assert np.all(ratchet > plain) and np.all(adaptive < plain)


def test_adaptive_compensates_income_losses():
    act = decide(make("EU", "adaptive"), obs(state(loss_share=np.array([0.0, 0.01, 0.03]))), "EU")
    assert act.compensation[0] == pytest.approx(DESIGN.compensation)
    assert np.all(np.diff(act.compensation) > 0)
    assert np.all(act.compensation <= 1.0)


@pytest.mark.parametrize("actor", ["USA", "EU"])
def test_follow_design_engagement_money_scales_with_the_bridge_value(actor):
    """M18: a more balanced Kazakhstan is offered more money; the sanctions do not change."""
    bridge = np.array([0.5, 1.0, 2.0])
    act = decide(make(actor, "follow_design"), obs(bridge=bridge), actor)
    plain = decide(make(actor, "follow_design"), obs(), actor)
    assert np.all(np.asarray(plain.engagement_bn) > 0)
    assert np.allclose(act.engagement_bn, plain.engagement_bn * bridge)
    assert np.allclose(act.sanctions, plain.sanctions)
    assert np.allclose(act.secondary, plain.secondary)
    assert np.allclose(act.diplomacy, plain.diplomacy)


@pytest.mark.parametrize("actor", ["USA", "EU"])
@pytest.mark.parametrize("name", CHOOSING)
def test_chosen_engagement_is_a_menu_level_of_the_stance_money_times_the_bridge(actor, name):
    data = getattr(CFG.actors, actor.lower())
    p = getattr(CFG.policy_params, name)
    bridge = np.linspace(0.5, 2.0, MANY)
    act = decide(make(actor, name, n=MANY), obs(state(MANY), bridge=bridge), actor)
    stance = DESIGN.engagement * p.engagement_scale_bn * data.engagement_share * bridge
    level = np.round(act.engagement_bn / stance, 9)
    assert set(np.unique(level)) <= set(policy_class(actor, name).engagement_menu)


@pytest.mark.parametrize("name", CHOOSING)
def test_each_actor_uses_only_the_instruments_it_holds(name):
    us = decide(make("USA", name, n=MANY), obs(state(MANY)), "USA")
    eu = decide(make("EU", name, n=MANY), obs(state(MANY)), "EU")
    assert np.all(np.asarray(us.anti_circumvention) == 0.0)     # the US holds no listing
    assert np.all(np.asarray(eu.designations) == 0.0)           # the EU designates no firms
    stance = make("EU", name).levels(obs(state(MANY)))[1]
    assert np.allclose(eu.secondary, stance)                    # its packages' pressure
    assert np.all(np.asarray(eu.diplomacy) == 0.0)              # C5+1 is the US's
    assert np.allclose(us.diplomacy, DESIGN.engagement)
    assert len(np.unique(us.designations)) > 1                  # the US does choose


# ---------------------------------------------------------------------------- Kazakhstan


def coercion_seen(level: float) -> dict:
    """Last month's actions with a coercive Russia at coercion ``level`` (no incentives)."""
    return {"RUS": RusAction(**make("RUS", "coercive").levers(level, 0.0))}


def enforcing(wp, intensity=0.6, reexports=2.0, n=MANY, **fields):
    """A month of an active regime with re-exports flowing and Western pressure ``wp``."""
    return state(n, intensity=intensity, west_pressure=wp, reexports=reexports, **fields)


@pytest.mark.parametrize("name", KAZ_POLICIES)
def test_kazakhstan_complies_more_as_the_west_presses_harder(name):
    levels = []
    for wp in (0.0, 0.5, 1.0):
        act = decide(make("KAZ", name, n=MANY), obs(enforcing(wp)), "KAZ")
        assert isinstance(act, KazAction)
        assert np.all((act.enforcement >= 0) & (act.enforcement <= 1))
        levels.append(act.compliance.mean())
    assert np.all(np.diff(levels) > 0)


def test_western_penalties_make_kazakhstan_enforce_more():
    """Enforcement costs the intermediaries' margin and spares penalties (M3).

    With the route still closed (re-exports at their pre-war level) and an intense regime,
    a Kazakhstan that fears no penalties enforces least.
    """
    closed = CFG.params.M3.baseline_flow
    means = [decide(make("KAZ", "multivector", n=MANY),
                    obs(enforcing(wp, intensity=1.0, reexports=closed)), "KAZ").enforcement.mean()
             for wp in (0.0, 0.5, 1.0)]
    assert means[0] < means[1] and means[0] < means[2]


@pytest.mark.parametrize("name", KAZ_POLICIES)
def test_with_nothing_to_fear_the_best_response_is_the_least_enforcement(name):
    """No Western pressure: enforcing only loses the margin on re-exports (M3)."""
    cls = policy_class("KAZ", name)
    cool = params(name, temperature=0.0)
    act = make("KAZ", name, cool).decide(obs(enforcing(0.0, n=N)), stream("KAZ"))
    assert np.all(act.enforcement == min(cls.enforcement_menu))


@pytest.mark.parametrize("name", KAZ_POLICIES)
def test_kazakhstan_at_temperature_zero_chooses_alike_whatever_the_draws(name):
    """Only the occasion to signal stays random at temperature 0."""
    cool = params(name, temperature=0.0)
    situation = obs(enforcing(0.5, n=N), last=coercion_seen(0.5))
    a = make("KAZ", name, cool).decide(situation, stream("KAZ"))
    b = make("KAZ", name, cool).decide(situation, stream("KAZ", name="another stream"))
    for lever in ("compliance", "enforcement", "coordination", "route_investment_bn"):
        assert np.array_equal(getattr(a, lever), getattr(b, lever)), lever
        assert np.all(getattr(a, lever) == getattr(a, lever)[0]), lever   # every run alike
    made = (a.signal != 0) & (b.signal != 0)
    assert np.all(a.signal[made] == b.signal[made])


def test_kazakhstan_complies_less_after_russian_coercion():
    """Compliance adds to Moscow's grievance (M2), which last month's coercion makes costly."""
    calm = decide(make("KAZ", "multivector", n=MANY), obs(enforcing(0.5), last=coercion_seen(0.0)),
                  "KAZ")
    coerced = decide(make("KAZ", "multivector", n=MANY),
                     obs(enforcing(0.5), last=coercion_seen(1.0)), "KAZ")
    assert coerced.compliance.mean() < calm.compliance.mean()
    assert coerced.route_investment_bn.mean() > calm.route_investment_bn.mean()


def test_russian_coercion_counts_only_with_russian_capacity():
    """What Kazakhstan expects of Moscow's coercion is scaled by Russia's capacity (M10)."""
    st = enforcing(0.5, capacity=0.0)
    calm = decide(make("KAZ", "multivector", n=MANY), obs(st, last=coercion_seen(0.0)), "KAZ")
    coerced = decide(make("KAZ", "multivector", n=MANY), obs(st, last=coercion_seen(1.0)), "KAZ")
    assert same(calm, coerced)


@pytest.mark.parametrize("name", [n for n in KAZ_POLICIES
                                  if max(policy_class("KAZ", n).route_menu_bn) > 0])
def test_kazakhstan_invests_in_routes_after_cpc_outages(name):
    means = [decide(make("KAZ", name, n=MANY), obs(state(MANY, cpc_days=days)),
                    "KAZ").route_investment_bn.mean() for days in (0.0, 5.0, 15.0)]
    assert np.all(np.diff(means) > 0)


def test_kazakhstan_coordinates_more_the_more_sanctions_cost_it():
    """M19: a joint regional position spares part of the loss; the effort costs the same."""
    means = [decide(make("KAZ", "multivector", n=MANY), obs(state(MANY, loss_share=loss)),
                    "KAZ").coordination.mean() for loss in (0.0, 0.01, 0.03)]
    assert np.all(np.diff(means) > 0)


def test_multivector_has_a_doctrine_and_no_lean():
    p = CFG.policy_params.multivector
    act = decide(make("KAZ", "multivector"), obs(), "KAZ")
    assert np.all(np.asarray(act.lean) == 0.0)
    assert act.doctrine_weight == p.doctrine_weight > 0
    assert act.responsiveness == p.responsiveness


def test_the_doctrine_favours_options_that_move_away_from_the_dominant_power():
    """Compliance pushes away from Russia (M2): worth more the more Russia dominates.

    The middle portfolio is the doctrine's least concentrated one (a third per bloc).
    """
    strong = params("multivector", doctrine_weight=10.0)
    means = []
    for shares in ([0.7, 0.1, 0.05, 0.15], [1 / 3, 1 / 3, 1 / 6, 1 / 6],
                   [0.05, 0.35, 0.25, 0.35]):
        st = enforcing(0.5, reexports=1.0, align=align_of(shares))
        means.append(decide(make("KAZ", "multivector", strong, MANY), obs(st),
                            "KAZ").compliance.mean())
    assert means[0] > means[1] > means[2]


def test_bandwagon_has_no_doctrine():
    """With no doctrine and no last push, its choices do not read the alignment at all."""
    concentrated = enforcing(0.5, reexports=1.0, align=align_of([0.7, 0.1, 0.05, 0.15]))
    balanced = enforcing(0.5, reexports=1.0, align=align_of([0.25, 0.25, 0.25, 0.25]))
    act = decide(make("KAZ", "bandwagon", n=MANY), obs(concentrated), "KAZ")
    assert act.doctrine_weight == 0.0
    assert same(act, decide(make("KAZ", "bandwagon", n=MANY), obs(balanced), "KAZ"))
    # the multivector doctrine does read it
    assert not same(decide(make("KAZ", "multivector", n=MANY), obs(concentrated), "KAZ"),
                    decide(make("KAZ", "multivector", n=MANY), obs(balanced), "KAZ"))


def test_westward_pivot_leans_west_from_russia_and_china():
    d = CFG.policy_params.westward_pivot.pivot
    lean = decide(make("KAZ", "westward_pivot"), obs(), "KAZ").lean
    assert lean.shape == (N, 4)
    assert np.allclose(lean[:, [RUS, CHN]], -d) and np.allclose(lean[:, [USA, EU]], d)


def _provocations(name, p=None, turns=12):
    """Many runs and months with an occasion to signal every month, under Russian coercion."""
    p = dataclasses.replace(p or getattr(CFG.policy_params, name), signal_rate=1.0)
    pol = make("KAZ", name, p, MANY)
    st = enforcing(0.5, cpc_days=15.0)
    return [decide(pol, obs(st, turn=t, last=coercion_seen(1.0)), "KAZ") for t in range(1, turns)]


def test_westward_pivot_never_votes_against_the_west_and_never_complies_below_three_quarters():
    acts = _provocations("westward_pivot")
    assert all(np.all(a.signal >= 0) for a in acts)
    assert all(np.all(a.compliance >= 0.75) for a in acts)
    # a multivector Kazakhstan does both in the same months
    multi = _provocations("multivector")
    assert any(np.any(a.signal < 0) for a in multi)
    assert any(np.any(a.compliance < 0.75) for a in multi)


def test_status_quo_never_signals_never_invests_in_routes_never_complies_fully():
    acts = _provocations("status_quo")
    assert all(np.all(a.signal == 0) for a in acts)
    assert all(np.all(a.route_investment_bn == 0) for a in acts)
    assert all(np.all(a.compliance < 1.0) for a in acts)
    multi = _provocations("multivector")
    assert any(np.any(a.signal != 0) for a in multi)
    assert any(np.any(a.route_investment_bn > 0) for a in multi)
    assert any(np.any(a.compliance == 1.0) for a in multi)


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


SIGNALLERS = [n for n in KAZ_POLICIES if any(policy_class("KAZ", n).signal_menu)]


@pytest.mark.parametrize("name", SIGNALLERS)
def test_kazakh_signals_are_policy_sized_and_made_only_on_occasions(name):
    """The signal is chosen every month but made only on an occasion (rate ``signal_rate``)."""
    p = getattr(CFG.policy_params, name)
    menu = policy_class("KAZ", name).signal_menu
    always = dataclasses.replace(p, signal_rate=1.0)
    pol, every = make("KAZ", name, n=MANY), make("KAZ", name, always, MANY)
    st = state(MANY)
    signals = np.array([decide(pol, obs(st, turn=t), "KAZ").signal for t in range(1, 41)])
    chosen = np.array([decide(every, obs(st, turn=t), "KAZ").signal for t in range(1, 41)])
    assert set(np.unique(chosen)) <= {s * p.signal_size for s in menu}
    made = signals != 0
    assert np.all(signals[made] == chosen[made])         # the same choice, when made
    assert made.sum() / (chosen != 0).sum() == pytest.approx(p.signal_rate, abs=0.03)


def test_status_quo_never_signals_even_with_an_occasion_every_month():
    pol = make("KAZ", "status_quo", params("status_quo", signal_rate=1.0), MANY)
    signals = np.array([decide(pol, obs(state(MANY), turn=t), "KAZ").signal for t in range(1, 13)])
    assert np.all(signals == 0.0)


def test_kazakh_signals_differ_across_runs_and_turns():
    pol = make("KAZ", "westward_pivot")     # the largest signal size
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


# ------------------------------------------- Russia's price of incentives, revealed by 2021


@pytest.mark.parametrize("name", RUS_POLICIES)
def test_russias_first_month_expected_offer_is_its_2021_level(name):
    """The revealed price makes the 2021 level (o = 0) Russia's choice in expectation.

    At the 2021 state, with a budget that does not bind (at budget 1, full offers with any
    coercion are out of reach, which lowers tit_for_tat's mean level by about 0.06), the mean
    level over many runs is 0 within the logit's noise (4 standard errors), and EAEU access is
    at its 2021 level. Before the price was revealed the mean EAEU offer was 0.92-0.94.
    """
    n = 4000
    p = params(name, budget=5.0)
    policy = make("RUS", name, p, n)
    act = decide(policy, obs(state(n)), "RUS")
    o = incentives(act, p)
    assert abs(o.mean()) < 4 * o.std() / np.sqrt(n) + 1e-12
    assert abs(np.mean(act.eaeu_offer) - p.eaeu_offer) < 4 * np.std(act.eaeu_offer) / np.sqrt(n)
    # the price is revealed once, per run, and kept: a changed state does not move it
    price = policy.incentive_price(obs(state(n))).copy()
    assert np.all(np.isfinite(price)) and np.all(price > 0)
    later = obs(state(n, align=align_of([0.4, 0.2, 0.15, 0.25], n)), turn=6)
    assert np.array_equal(policy.incentive_price(later), price)


@pytest.mark.parametrize("name", RUS_POLICIES)
def test_russias_revealed_price_lies_between_its_one_sided_gains(name):
    """The price is between the gains per unit of one step down and one step up (or is their
    midpoint's chord where the gas union makes the upper step steeper), and above the
    assumed offer_cost that made Russia buy full incentives at the 2021 state."""
    policy = make("RUS", name, n=N)
    situation = obs(state(N))
    menu = np.asarray(policy.incentive_menu)
    lo, hi = menu[menu < 0].max(), menu[menu > 0].min()
    o = column((lo, 0.0, hi))
    g = (policy.value_of_push(situation, policy.params) * situation.bridge
         * policy.offer_push(policy.levers(0.0, o), situation.params))
    down, up = (g[1] - g[0]) / (0.0 - lo), (g[2] - g[1]) / hi
    price = policy.incentive_price(situation)
    assert np.all(price >= np.minimum(down, up) - 1e-12)
    assert np.all(price <= np.maximum(down, up) + 1e-12)
    assert np.all(price > policy.params.offer_cost)


def test_russia_offers_less_as_its_alignment_falls_after_the_first_month():
    """Kept price: with less Kazakh alignment to win, Russia's incentives fall below 2021."""
    n = MANY
    policy = make("RUS", "courting", n=n)
    decide(policy, obs(state(n)), "RUS")                       # month one reveals the price
    lower = align_of([0.15, 0.25, 0.2, 0.4], n)
    act = decide(policy, obs(state(n, align=lower), turn=6), "RUS")
    assert incentives(act, CFG.policy_params.courting).mean() < -0.3


def _numpy_russia_utility(policy, situation, g, o, aggrieved):
    """Russia's utility as the NumPy expression that sim.kernels.russia_utility replaced."""
    from sim.mechanisms.russia import security_leverage, threat_push
    p, st, mp = policy.params, situation.state, situation.params
    coercion_lv = policy.coercion_levers(g)
    cpc = coercion_lv["cpc_pressure"]
    coerce = threat_push(cpc, st.oil_share, mp.M7)
    resented = np.multiply(mp.M7.resentment * cpc, st.oil_share)
    resented *= mp.M7.min_days + mp.M7.max_days
    resented /= 60.0
    coerce = coerce - resented
    coerce += security_leverage(coercion_lv["threat"], mp.M8.guarantee_ref, mp.M8)
    u = coerce + np.multiply(policy.offer_push(policy.incentive_levers(o), mp), situation.bridge)
    u *= policy.value_of_push(situation, p)
    u += np.multiply(p.punish_weight * aggrieved, g)
    u -= p.coercion_cost * g
    u -= policy.incentive_price(situation) * o
    u -= p.adjust_cost * np.square(o)
    spent = p.coercion_cost * g + p.offer_cost * np.maximum(o, 0.0)
    out_of_reach = (spent > p.budget * st.capacity + 1e-12) & ((g > 0) | (o > 0))
    np.subtract(u, 1e6, out=u, where=out_of_reach)
    return u


@pytest.mark.parametrize("name", RUS_POLICIES)
@pytest.mark.parametrize("capacity", [0.8, 0.05])   # 0.05: some options out of reach
def test_russia_compiled_utility_equals_the_numpy_formula(name, capacity):
    cls = policy_class("RUS", name)
    rng = np.random.default_rng(11)
    situation = obs(state(MANY, grievance=rng.uniform(0.0, 1.0, MANY), capacity=capacity),
                    bridge=rng.uniform(0.8, 1.5, MANY))
    g, o = grid(cls.coercion_menu, cls.incentive_menu)
    ref = make("RUS", name, n=MANY)
    aggrieved = ref.aggrieved(situation, stream("RUS"))
    got = make("RUS", name, n=MANY).utility(situation, g, o, aggrieved)
    expected = _numpy_russia_utility(make("RUS", name, n=MANY), situation, g, o, aggrieved)
    assert np.array_equal(got, np.broadcast_to(expected, got.shape))
    assert (capacity > 0.5) or (got < -1e5).any()


@pytest.mark.parametrize("name", KAZ_POLICIES)
def test_kazakh_doctrine_weights_equal_the_numpy_formula(name):
    # the compiled weights (sim.kernels.doctrine_weights) against the NumPy expression they
    # replaced, on scattered portfolios (some blocs above the cap, some powers below the floor)
    from sim.blocs import row_sum
    from sim.mechanisms.domestic import concentration_gradient
    from sim.mechanisms.push import per_run
    from sim.policies.kazakhstan import _View
    rng = np.random.default_rng(5)
    align = rng.dirichlet(np.full(4, 0.6), MANY)
    st = state(MANY, align=align, last_push=rng.normal(0.0, 0.01, (MANY, 4)))
    policy = make("KAZ", name, n=MANY)
    situation = obs(st)
    p, mp = policy.params, situation.params
    lean = policy.lean(situation)
    got = _View(situation, p, lean).doctrine(rus=1.0, chn=1.0, usa=1.0, eu=1.0)
    grad = -p.doctrine_weight * concentration_gradient(align, mp.M16) + lean
    mean = row_sum(grad * align)[:, None]
    scale = per_run(mp.alignment.rate * p.responsiveness * p.horizon_months)
    w = (scale * align * (grad - mean)).T.copy()
    assert np.array_equal(got, ((w[RUS] * 1.0 + w[CHN] * 1.0) + w[USA] * 1.0) + w[EU] * 1.0)
