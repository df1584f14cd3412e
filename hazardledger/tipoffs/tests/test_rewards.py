"""Rewards: the active scheme decides, two different people, first reporter only, claim
window; the Shandong profile changes the suggestions without code."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from hazardledger.lib.workflow import ActionNotAvailable, GuardFailed
from hazardledger.policy.services import load_policy_file, parse_policy
from hazardledger.tipoffs import rules, services
from hazardledger.tipoffs.models import RewardStatus

from .conftest import PROFILES, REAL

SHANDONG = PROFILES / "shandong-2021.yaml"


def rewards_of(path: Path):
    return parse_policy(path.read_bytes()).rewards


class SchemeTestCase:
    def test_it_reads_the_document_matrix(self):
        scheme = rewards_of(PROFILES / "zhoucun-2014.yaml")
        s = rules.suggest_reward(scheme, nature="hazard", severity="major")
        assert (s.suggested, s.low, s.high) == (2000, 2000, 2000)

    @pytest.mark.parametrize(
        "facts, expected",
        [
            ({"nature": "hazard", "severity": "general"}, (500, 500, 5000)),
            ({"nature": "hazard", "severity": "major", "fine_yuan": 30000}, (15000,) * 3),
            ({"nature": "hazard", "severity": "major", "fine_yuan": 2000}, (5000,) * 3),
            (
                {"nature": "illegal_operation", "severity": "general", "fine_yuan": 2_000_000},
                (500000,) * 3,
            ),
            (
                {"nature": "hazard", "severity": "major", "fine_yuan": 30000, "insider": True},
                (18000,) * 3,
            ),
            (
                {"nature": "hazard", "severity": "major", "fine_yuan": 990000, "insider": True},
                (500000,) * 3,
            ),
            ({"nature": "hazard", "severity": "general", "insider": True}, (600, 600, 6000)),
            (
                {
                    "nature": "concealed_accident",
                    "severity": "major",
                    "deaths": 3,
                    "grade": "larger",
                },
                (120000,) * 3,
            ),
            (
                {
                    "nature": "concealed_accident",
                    "severity": "general",
                    "deaths": 12,
                    "grade": "especially_major",
                },
                (500000,) * 3,
            ),
        ],
    )
    def test_it_computes_the_shandong_rules(self, facts, expected):
        s = rules.suggest_reward(rewards_of(SHANDONG), **facts)
        assert (s.suggested, s.low, s.high) == expected

    def test_it_expresses_the_national_rule(self):
        import yaml

        data = yaml.safe_load((PROFILES / "zhoucun-2014.yaml").read_bytes())
        data["rewards"].update(
            min_yuan=0,
            max_yuan=300000,
            matrix=[],
            fine_share=[
                {"nature": n, "severity": s, "percent": 15, "floor_yuan": 3000, "cap_yuan": 300000}
                for n in ("hazard", "illegal_operation")
                for s in ("general", "major")
            ],
            per_death={
                "nature": "concealed_accident",
                "cap_yuan": 300000,
                "grades": {
                    "general": {"label": "一般事故", "amount_yuan": 30000},
                    "larger": {"label": "较大事故", "amount_yuan": 40000},
                },
            },
        )
        scheme = parse_policy(yaml.safe_dump(data, allow_unicode=True).encode()).rewards
        s = rules.suggest_reward(
            scheme, nature="illegal_operation", severity="major", fine_yuan=100000
        )
        assert s.suggested == 15000
        s = rules.suggest_reward(scheme, nature="hazard", severity="general", fine_yuan=1000)
        assert s.suggested == 3000

    def test_it_says_what_is_missing(self):
        with pytest.raises(rules.RewardRuleError) as caught:
            rules.suggest_reward(rewards_of(SHANDONG), nature="hazard", severity="major")
        assert caught.value.field == "fine_yuan"

    def test_it_describes_the_scheme_for_the_public(self):
        lines = rules.describe_scheme(rewards_of(SHANDONG))
        assert any("50%" in line and "500000" in line for line in lines)
        assert any("上浮 20%" in line for line in lines)


class RewardFlowTestCase:
    def test_it_goes_from_proposal_to_payment_by_two_people(self, kit):
        tipoff = kit.verified(**REAL)
        reward = services.reward_propose(actor=kit.d.hank, tipoff=tipoff, amount_yuan=500)
        with pytest.raises(PermissionDenied):
            services.reward_approve(actor=kit.d.hank, reward=reward)
        services.reward_approve(actor=kit.d.alice, reward=reward)
        services.reward_pay(
            actor=kit.d.hank,
            reward=reward,
            method="transfer",
            paid_on=timezone.localdate(),
            voucher_no="PZ-001",
        )
        reward.refresh_from_db()
        assert reward.status == RewardStatus.PAID and reward.voucher_no == "PZ-001"

    def test_it_refuses_the_proposer_approving_even_as_an_approver(self, kit):
        tipoff = kit.verified()
        reward = services.reward_propose(actor=kit.d.alice, tipoff=tipoff, amount_yuan=500)
        with pytest.raises(PermissionDenied):
            services.reward_approve(actor=kit.d.alice, reward=reward)
        services.reward_approve(actor=kit.d.leo, reward=reward)

    @pytest.mark.parametrize("amount", [499, 501, 3000, 5000, -1, "500", None, 10**30])
    def test_it_refuses_an_amount_outside_the_active_scheme(self, kit, amount):
        tipoff = kit.verified()
        with pytest.raises(GuardFailed) as caught:
            services.reward_propose(actor=kit.d.hank, tipoff=tipoff, amount_yuan=amount)
        assert "amount_yuan" in caught.value.fields

    def test_it_refuses_a_false_report(self, kit):
        tipoff = kit.verified(result="false")
        with pytest.raises(GuardFailed):
            services.reward_propose(actor=kit.d.hank, tipoff=tipoff, amount_yuan=500)

    def test_it_refuses_a_reporter_who_was_not_first(self, kit):
        first = kit.verified()
        later = kit.verified(**REAL)
        services.tipoff_confirm_duplicate(actor=kit.d.hank, tipoff=later, original=first)
        with pytest.raises(GuardFailed) as caught:
            services.reward_propose(actor=kit.d.hank, tipoff=later, amount_yuan=500)
        assert first.number in caught.value.messages[0]
        services.reward_propose(actor=kit.d.hank, tipoff=first, amount_yuan=500)

    def test_it_checks_the_first_reporter_again_at_approval(self, kit):
        first = kit.verified()
        later = kit.verified()
        reward = services.reward_propose(actor=kit.d.hank, tipoff=later, amount_yuan=500)
        services.tipoff_confirm_duplicate(actor=kit.d.hank, tipoff=first, original=later)
        with pytest.raises(GuardFailed):
            services.reward_approve(actor=kit.d.alice, reward=reward)

    def test_it_ignores_a_rejected_earlier_report(self, kit):
        rejected = kit.submit().tipoff
        services.tipoff_reject(actor=kit.d.hank, tipoff=rejected, reason="无具体内容")
        later = kit.verified()
        services.tipoff_confirm_duplicate(actor=kit.d.hank, tipoff=later, original=rejected)
        services.reward_propose(actor=kit.d.hank, tipoff=later, amount_yuan=500)

    def test_it_proposes_once(self, kit):
        tipoff = kit.verified()
        services.reward_propose(actor=kit.d.hank, tipoff=tipoff, amount_yuan=500)
        with pytest.raises(GuardFailed):
            services.reward_propose(actor=kit.d.hank, tipoff=tipoff, amount_yuan=500)

    def test_it_has_anonymous_reporters_claim_by_code_before_payment(self, kit):
        tipoff = kit.verified()
        reward = services.reward_propose(actor=kit.d.hank, tipoff=tipoff, amount_yuan=500)
        services.reward_approve(actor=kit.d.alice, reward=reward)
        with pytest.raises(GuardFailed):
            services.reward_pay(
                actor=kit.d.hank,
                reward=reward,
                method="cash",
                paid_on=timezone.localdate(),
                voucher_no="PZ-2",
            )
        services.reward_claim(tipoff=tipoff)
        reward.refresh_from_db()
        services.reward_pay(
            actor=kit.d.hank,
            reward=reward,
            method="cash",
            paid_on=timezone.localdate(),
            voucher_no="PZ-2",
        )

    def test_it_closes_the_claim_window_of_the_policy(self, kit):
        tipoff = kit.verified()
        reward = services.reward_propose(actor=kit.d.hank, tipoff=tipoff, amount_yuan=500)
        services.reward_approve(actor=kit.d.alice, reward=reward)
        with time_machine.travel(timezone.now() + timedelta(days=61)):
            with pytest.raises(GuardFailed) as caught:
                services.reward_claim(tipoff=tipoff)
            assert "期限" in caught.value.messages[0]

    def test_it_cannot_pay_twice(self, kit):
        tipoff = kit.verified(**REAL)
        reward = services.reward_propose(actor=kit.d.hank, tipoff=tipoff, amount_yuan=500)
        services.reward_approve(actor=kit.d.alice, reward=reward)
        kw = {"method": "cash", "paid_on": timezone.localdate(), "voucher_no": "PZ-3"}
        services.reward_pay(actor=kit.d.hank, reward=reward, **kw)
        with pytest.raises(ActionNotAvailable):
            services.reward_pay(actor=kit.d.hank, reward=reward, **kw)

    def test_it_changes_suggestions_when_the_shandong_profile_is_activated(self, kit):
        tipoff = kit.verified(severity="major", fine_yuan=40000)
        assert services.suggestion(tipoff).suggested == 2000
        load_policy_file(actor=None, path=SHANDONG, activate=True)
        assert services.suggestion(tipoff).suggested == 20000
        with pytest.raises(GuardFailed):
            services.reward_propose(actor=kit.d.hank, tipoff=tipoff, amount_yuan=2000)
        services.reward_propose(actor=kit.d.hank, tipoff=tipoff, amount_yuan=20000)
