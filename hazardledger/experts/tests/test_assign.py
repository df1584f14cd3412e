"""expert_assign / expert_release: conflicts of interest, availability, the policy's rules."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hazardledger.audit.models import AuditEvent
from hazardledger.enterprises.models import ServiceKind, ServiceRecord
from hazardledger.experts.models import (
    EngagementKind,
    ExpertAssignment,
    ExpertEngagement,
    Unavailability,
)
from hazardledger.experts.rules import months_before
from hazardledger.experts.selectors import (
    assignments_for,
    experts_suggested,
    is_assigned,
)
from hazardledger.experts.services import expert_assign, expert_release
from hazardledger.policy.services import parse_policy, policy_store

from .conftest import PROFILES


def load_experts_policy(**overrides) -> None:
    content = yaml.safe_load((PROFILES / "zhoucun-demo.yaml").read_bytes())
    content["experts"].update(overrides)
    content["code"] = "test-experts"
    raw = yaml.safe_dump(content, allow_unicode=True).encode()
    policy_store(actor=None, data=parse_policy(raw), source=raw, activate=True)


def refusal(pool, expert, enterprise=None, target=None) -> str:
    with pytest.raises(ValidationError) as exc:
        expert_assign(
            actor=pool.district.tom,
            expert=expert,
            target=target or enterprise or pool.ent_a,
            enterprise=enterprise or pool.ent_a,
        )
    return " ".join(exc.value.messages)


class AssignTestCase:
    def test_it_assigns_and_audits_once(self, pool):
        before = AuditEvent.objects.count()
        a = expert_assign(
            actor=pool.district.tom, expert=pool.xena, target=pool.ent_a, enterprise=pool.ent_a
        )
        assert a.is_open and a.target == pool.ent_a and a.assigned_by == pool.district.tom
        assert AuditEvent.objects.count() == before + 1
        event = AuditEvent.objects.latest("pk")
        assert event.action == "expert.assign" and event.role == "territory_officer"
        assert is_assigned(pool.district.xena, pool.ent_a)
        assert not is_assigned(pool.district.xena, pool.ent_b)
        assert list(assignments_for(pool.district.xena)) == [a]

    def test_it_refuses_an_expert_employed_by_the_enterprise(self, pool):
        yuri = pool.expert(pool.person("yuri", "王建国"), employer_enterprise=pool.ent_a)
        assert "受雇于甲镇建筑公司" in refusal(pool, yuri)
        assert not ExpertAssignment.objects.exists()

    def test_it_refuses_by_employer_name_too(self, pool):
        yuri = pool.expert(pool.person("yuri", "王建国"), employer="甲镇 建筑公司")
        assert "受雇于" in refusal(pool, yuri)

    def test_it_refuses_an_engagement_within_the_policy_period(self, pool):
        today = timezone.localdate()
        ExpertEngagement.objects.create(
            expert=pool.xena,
            enterprise=pool.ent_a,
            kind=EngagementKind.CONSULTING,
            started_on=today - timedelta(days=900),
            ended_on=today - timedelta(days=400),
        )
        message = refusal(pool, pool.xena)
        assert "曾受聘于甲镇建筑公司" in message and "36个月" in message
        # The other enterprise is no conflict.
        expert_assign(
            actor=pool.district.tom, expert=pool.xena, target=pool.ent_b, enterprise=pool.ent_b
        )

    def test_it_allows_an_engagement_that_ended_before_the_period(self, pool):
        today = timezone.localdate()
        ExpertEngagement.objects.create(
            expert=pool.xena,
            enterprise=pool.ent_a,
            kind=EngagementKind.PART_TIME,
            started_on=months_before(today, 60),
            ended_on=months_before(today, 36) - timedelta(days=1),
        )
        expert_assign(
            actor=pool.district.tom, expert=pool.xena, target=pool.ent_a, enterprise=pool.ent_a
        )

    def test_it_reads_the_lookback_from_the_policy(self, pool):
        today = timezone.localdate()
        ExpertEngagement.objects.create(
            expert=pool.xena,
            enterprise=pool.ent_a,
            kind=EngagementKind.TRAINING,
            started_on=months_before(today, 14),
            ended_on=months_before(today, 13),
        )
        assert "回避期" in refusal(pool, pool.xena)
        load_experts_policy(conflict_lookback_months=12)
        expert_assign(
            actor=pool.district.tom, expert=pool.xena, target=pool.ent_a, enterprise=pool.ent_a
        )

    def test_it_treats_an_open_engagement_as_a_conflict(self, pool):
        ExpertEngagement.objects.create(
            expert=pool.xena,
            enterprise=pool.ent_a,
            kind=EngagementKind.PART_TIME,
            started_on=date(2001, 1, 1),
        )
        assert "兼职/顾问" in refusal(pool, pool.xena)

    def test_it_refuses_an_expert_named_in_the_enterprises_service_records(self, pool):
        yuri = pool.expert(pool.person("yuri", "王建国"))
        ServiceRecord.objects.create(
            enterprise=pool.ent_a,
            kind=ServiceKind.EXPERT,
            provider="王建国（注册安全工程师）",
            performed_on=timezone.localdate() - timedelta(days=30),
        )
        assert "技术服务/专家诊断记录中有该专家" in refusal(pool, yuri)

    def test_it_ignores_old_service_records(self, pool):
        yuri = pool.expert(pool.person("yuri", "王建国"))
        ServiceRecord.objects.create(
            enterprise=pool.ent_a,
            kind=ServiceKind.EXPERT,
            provider="王建国",
            performed_on=months_before(timezone.localdate(), 37),
        )
        expert_assign(
            actor=pool.district.tom, expert=yuri, target=pool.ent_a, enterprise=pool.ent_a
        )

    def test_it_refuses_an_inactive_expert(self, pool):
        pool.xena.is_active = False
        pool.xena.save()
        assert "不在库" in refusal(pool, pool.xena)

    def test_it_refuses_an_unavailable_expert(self, pool):
        today = timezone.localdate()
        Unavailability.objects.create(
            expert=pool.xena, starts_on=today, ends_on=today + timedelta(days=3), reason="出差"
        )
        assert "不可用（出差）" in refusal(pool, pool.xena)

    def test_it_refuses_an_expired_certificate_when_the_policy_says_so(self, pool):
        yuri = pool.expert(pool.person("yuri", "王建国"), certificate_days=-1)
        assert "证书" in refusal(pool, yuri)
        load_experts_policy(certificate_must_be_valid=False)
        expert_assign(
            actor=pool.district.tom, expert=yuri, target=pool.ent_a, enterprise=pool.ent_a
        )

    def test_it_refuses_beyond_the_policys_open_assignment_limit(self, pool):
        load_experts_policy(max_open_assignments=1)
        expert_assign(
            actor=pool.district.tom, expert=pool.xena, target=pool.ent_b, enterprise=pool.ent_b
        )
        assert "达到政策上限" in refusal(pool, pool.xena)

    def test_it_refuses_the_same_expert_twice_on_one_target(self, pool):
        expert_assign(
            actor=pool.district.tom, expert=pool.xena, target=pool.ent_a, enterprise=pool.ent_a
        )
        assert "已被指派到此事项" in refusal(pool, pool.xena)
        assert ExpertAssignment.objects.count() == 1

    def test_it_refuses_those_who_may_not_assign(self, pool):
        for person in (
            pool.district.eve,
            pool.district.xena,
            pool.district.leo,
            pool.district.nobody,
        ):
            with pytest.raises(PermissionDenied):
                expert_assign(
                    actor=person, expert=pool.xena, target=pool.ent_a, enterprise=pool.ent_a
                )
        assert not ExpertAssignment.objects.exists()


class ReleaseTestCase:
    def test_it_releases_once_and_the_expert_no_longer_sees_it(self, pool):
        a = expert_assign(
            actor=pool.district.tom, expert=pool.xena, target=pool.ent_a, enterprise=pool.ent_a
        )
        before = AuditEvent.objects.count()
        expert_release(actor=pool.district.tom, assignment=a)
        assert AuditEvent.objects.count() == before + 1
        assert not is_assigned(pool.district.xena, pool.ent_a)
        assert not assignments_for(pool.district.xena).exists()
        with pytest.raises(ValidationError, match="已解除"):
            expert_release(actor=pool.district.tom, assignment=a)
        assert AuditEvent.objects.count() == before + 1
        # Released, the same expert may be assigned again.
        expert_assign(
            actor=pool.district.tom, expert=pool.xena, target=pool.ent_a, enterprise=pool.ent_a
        )

    def test_it_refuses_release_to_those_who_may_not_assign(self, pool):
        a = expert_assign(
            actor=pool.district.tom, expert=pool.xena, target=pool.ent_a, enterprise=pool.ent_a
        )
        with pytest.raises(PermissionDenied):
            expert_release(actor=pool.district.xena, assignment=a)
        assert is_assigned(pool.district.xena, pool.ent_a)


class SuggestedTestCase:
    def test_it_orders_by_specialty_then_load_and_leaves_out_the_refused(self, pool):
        d = pool.district
        builder = pool.expert(pool.person("b1", "李建"), [pool.construction])
        chemist = pool.expert(pool.person("c1", "赵化"), [pool.hazchem])
        employed = pool.expert(
            pool.person("e1", "钱雇"), [pool.construction], employer_enterprise=pool.ent_a
        )
        expired = pool.expert(pool.person("x1", "孙过"), [pool.construction], certificate_days=-5)
        away = pool.expert(pool.person("a1", "周离"), [pool.construction])
        Unavailability.objects.create(
            expert=away, starts_on=timezone.localdate(), ends_on=timezone.localdate()
        )
        # xena (construction) has one open assignment elsewhere: builder comes first.
        expert_assign(actor=d.tom, expert=pool.xena, target=pool.ent_b, enterprise=pool.ent_b)
        names = experts_suggested(enterprise=pool.ent_a, specialty=pool.construction)
        assert names == [builder, pool.xena, chemist]
        assert employed not in names and expired not in names and away not in names
        # The specialty may be given by code; without one, load decides.
        assert experts_suggested(enterprise=pool.ent_a, specialty="hazchem")[0] == chemist
        assert experts_suggested(enterprise=pool.ent_a)[-1] == pool.xena

    def test_it_leaves_out_named_service_providers(self, pool):
        yuri = pool.expert(pool.person("yuri", "王建国"))
        ServiceRecord.objects.create(
            enterprise=pool.ent_a,
            kind=ServiceKind.EXPERT,
            provider="王建国",
            performed_on=timezone.localdate(),
        )
        assert yuri not in experts_suggested(enterprise=pool.ent_a)
        assert yuri in experts_suggested(enterprise=pool.ent_b)
