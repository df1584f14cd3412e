"""The listing's lifecycle through the services: the acceptance points of the issue."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from hazardledger.audit.models import AuditEvent
from hazardledger.blacklist import selectors
from hazardledger.blacklist.models import Entry, EntryStatus, Ground, RemovalReason
from hazardledger.blacklist.services import entry_perform, entry_propose
from hazardledger.hazards.models import Hazard
from hazardledger.lib.workflow import ActionForbidden, ActionNotAvailable, GuardFailed

S = EntryStatus
pytestmark = pytest.mark.django_db


def _propose(kit, actor=None, **kwargs):
    return entry_propose(
        actor=actor or kit.district.alice,
        enterprise=kit.ent_a,
        grounds="拒不执行停产整顿指令",
        legal_basis="令11号第六条",
        restrictions=["bank_loans", "land_approval"],
        **kwargs,
    )


class ProposeTestCase:
    def test_it_proposes_with_restrictions_in_catalogue_order_and_one_audit_event(self, kit):
        before = AuditEvent.objects.count()
        entry = _propose(kit)
        assert entry.status == S.PROPOSED
        assert entry.credit_code == kit.ent_a.credit_code
        catalogue = kit.policy.restrictions
        chosen = [code for code in catalogue if code in ("bank_loans", "land_approval")]
        assert entry.restrictions == chosen
        assert entry.restriction_labels == [catalogue[code] for code in chosen]
        assert set(entry.restriction_labels) == {"用地审批", "银行贷款"}
        assert AuditEvent.objects.count() == before + 1

    def test_it_links_any_record_as_grounds_and_shows_it_by_its_str(self, kit):
        card = Hazard.objects.create(
            card_no="370306-YH-2026-000001",
            enterprise=kit.ent_a,
            location="车间",
            description="配电箱未接地",
            category="site_management",
            nature="thing",
            level="general",
            source="government_inspection",
            found_by="检查组",
            found_on=timezone.localdate(),
            stage_started_at=timezone.now(),
            registered_at=timezone.now(),
        )
        entry = _propose(kit, records=[card])
        ground = Ground.objects.get(entry=entry)
        assert ground.target == card
        assert str(ground) == str(card)

    def test_it_refuses_an_unknown_restriction_and_creates_nothing(self, kit):
        with pytest.raises(GuardFailed) as exc:
            entry_propose(
                actor=kit.district.alice,
                enterprise=kit.ent_a,
                grounds="x",
                legal_basis="y",
                restrictions=["no_such"],
            )
        assert "restrictions" in exc.value.fields
        assert not Entry.objects.exists()

    def test_it_refuses_a_nul_byte_with_a_field_message(self, kit):
        with pytest.raises(GuardFailed) as exc:
            entry_propose(
                actor=kit.district.alice,
                enterprise=kit.ent_a,
                grounds="bad\x00",
                legal_basis="y",
                restrictions=["bank_loans"],
            )
        assert "grounds" in exc.value.fields

    def test_it_refuses_an_enterprise_outside_the_proposers_town(self, kit):
        with pytest.raises(PermissionDenied):
            entry_propose(
                actor=kit.district.tom,
                enterprise=kit.ent_b,
                grounds="x",
                legal_basis="y",
                restrictions=["bank_loans"],
            )

    def test_it_refuses_a_role_that_may_not_propose(self, kit):
        with pytest.raises(PermissionDenied):
            _propose(kit, actor=kit.district.leo)


class ApprovalTestCase:
    def test_it_does_not_let_the_proposer_approve(self, kit, district):
        # A leader who proposes (as admin too) cannot approve their own proposal.
        from hazardledger.org.models import RoleGrant

        RoleGrant.objects.create(user=district.leo, role="district_admin")
        entry = _propose(kit, actor=district.leo)
        entry_perform(
            actor=district.leo, entry=entry, action="notify", data={"channel": "document"}
        )
        later = timezone.localdate() + timedelta(days=kit.policy.objection_window_days + 1)
        with pytest.raises(GuardFailed) as exc:
            entry_perform(
                actor=district.leo,
                entry=entry,
                action="approve",
                data={"decision_no": "1号"},
                today=later,
            )
        assert "提出人不能批准" in exc.value.messages[0]
        entry.refresh_from_db()
        assert entry.status == S.NOTIFIED
        entry_perform(
            actor=kit.lena, entry=entry, action="approve", data={"decision_no": "1号"}, today=later
        )
        assert entry.status == S.APPROVED and entry.approved_by == kit.lena

    def test_it_keeps_everything_off_the_public_register_until_the_window_ends(self, kit, district):
        entry = _propose(kit)
        entry_perform(actor=district.alice, entry=entry, action="notify", data={"channel": "post"})
        deadline = entry.objection_deadline
        assert deadline == timezone.localdate() + timedelta(days=kit.policy.objection_window_days)
        with pytest.raises(GuardFailed):
            entry_perform(
                actor=district.leo,
                entry=entry,
                action="approve",
                data={"decision_no": "1号"},
                today=deadline,
            )
        assert selectors.public_rows() == []
        assert not selectors.check(kit.ent_a.credit_code, official=False)["restricted"]
        after = deadline + timedelta(days=1)
        with time_machine.travel(after, tick=False):
            entry_perform(
                actor=district.leo, entry=entry, action="approve", data={"decision_no": "1号"}
            )
            # Decided but not yet published: officials see it, the public does not.
            assert selectors.check(kit.ent_a.credit_code, official=True)["restricted"]
            assert not selectors.check(kit.ent_a.credit_code, official=False)["restricted"]
            assert selectors.public_rows() == []
            entry_perform(actor=district.alice, entry=entry, action="publish")
            assert [r["id"] for r in selectors.public_rows()] == [entry.pk]

    def test_it_refuses_an_objection_after_the_window(self, kit, district):
        entry = kit.entry(S.NOTIFIED)
        with pytest.raises(GuardFailed):
            entry_perform(actor=district.eve, entry=entry, action="object", data={"text": "不服"})

    def test_an_objection_hides_a_published_entry_until_it_is_dismissed(self, kit, district):
        entry = kit.entry(S.PUBLISHED)
        assert selectors.public_rows()
        entry_perform(actor=district.eve, entry=entry, action="object", data={"text": "事实有误"})
        assert entry.status == S.OBJECTION and selectors.public_rows() == []
        entry_perform(actor=district.alice, entry=entry, action="dismiss", data={"note": "不成立"})
        assert entry.status == S.PUBLISHED and selectors.public_rows()

    def test_a_correction_changes_the_restrictions_and_returns_to_the_earlier_state(
        self, kit, district
    ):
        entry = kit.entry(S.OBJECTION, listed_on=timezone.localdate() - timedelta(days=5))
        entry_perform(
            actor=district.leo,
            entry=entry,
            action="correct",
            data={"note": "部分成立", "restrictions": ["honours"]},
        )
        assert entry.status == S.PUBLISHED
        assert entry.restriction_labels == ["评优评先和荣誉称号"]

    def test_a_concurrent_second_click_is_refused(self, kit, district):
        entry = kit.entry(S.APPROVED)
        stale = Entry.objects.get(pk=entry.pk)
        entry_perform(actor=district.alice, entry=entry, action="publish")
        with pytest.raises(Exception) as exc:
            entry_perform(actor=district.alice, entry=stale, action="publish")
        assert getattr(exc.value, "status_code", None) == 409


class RemovalTestCase:
    def test_credit_repair_needs_the_minimum_period(self, kit, district):
        entry = kit.entry(S.PUBLISHED, listed_on=timezone.localdate() - timedelta(days=100))
        with pytest.raises(GuardFailed):
            entry_perform(
                actor=district.eve,
                entry=entry,
                action="apply_repair",
                data={"reason": "已整改", "evidence": "验收报告"},
            )

    def test_removal_by_repair_needs_a_second_person(self, kit, district):
        entry = kit.entry(S.PUBLISHED, listed_on=timezone.localdate() - timedelta(days=400))
        entry_perform(
            actor=district.eve,
            entry=entry,
            action="apply_repair",
            data={"reason": "已整改", "evidence": "验收报告"},
        )
        # The leader cannot approve before a first review.
        with pytest.raises(GuardFailed):
            entry_perform(
                actor=district.leo, entry=entry, action="approve_repair", data={"note": "同意"}
            )
        entry_perform(
            actor=district.alice, entry=entry, action="review_repair", data={"note": "材料齐全"}
        )
        # The reviewer holding the leader's role too still cannot approve alone.
        from hazardledger.org.models import RoleGrant

        RoleGrant.objects.create(user=district.alice, role="district_leader")
        district.alice._role_codes = None
        with pytest.raises(GuardFailed) as exc:
            entry_perform(
                actor=district.alice, entry=entry, action="approve_repair", data={"note": "同意"}
            )
        assert "第二人" in exc.value.messages[0]
        entry_perform(
            actor=district.leo, entry=entry, action="approve_repair", data={"note": "同意"}
        )
        entry.refresh_from_db()
        assert entry.status == S.REMOVED and entry.removal_reason == RemovalReason.REPAIRED
        assert entry.removed_by == district.leo and entry.repair_reviewed_by == district.alice
        assert selectors.public_rows() == []

    def test_revocation_is_not_for_the_proposer_or_approver(self, kit, district):
        entry = kit.entry(S.PUBLISHED)
        with pytest.raises(GuardFailed):
            entry_perform(actor=district.leo, entry=entry, action="revoke", data={"note": "错列"})
        entry_perform(actor=kit.lena, entry=entry, action="revoke", data={"note": "错列"})
        assert entry.status == S.REMOVED and entry.removal_reason == RemovalReason.REVOKED

    def test_an_expired_entry_is_no_longer_restricted_the_day_after_expiry(self, kit):
        entry = kit.entry(S.PUBLISHED, listed_on=timezone.localdate() - timedelta(days=1200))
        last_day = entry.expires_on
        code = kit.ent_a.credit_code
        for official in (True, False):
            assert selectors.check(code, official=official, on=last_day)["restricted"]
            assert not selectors.check(code, official=official, on=last_day + timedelta(days=1))[
                "restricted"
            ]
        assert [r["id"] for r in selectors.public_rows(last_day)] == [entry.pk]
        assert selectors.public_rows(last_day + timedelta(days=1)) == []
        assert selectors.is_vetoed(kit.ent_a, last_day)
        assert not selectors.is_vetoed(kit.ent_a, last_day + timedelta(days=1))
        entry.refresh_from_db()
        assert entry.status == S.PUBLISHED  # no job ran: the dates alone decided

    def test_only_the_system_records_expiry(self, kit, district):
        entry = kit.entry(S.PUBLISHED, listed_on=timezone.localdate() - timedelta(days=1200))
        with pytest.raises(ActionForbidden):
            entry_perform(actor=district.alice, entry=entry, action="expire")

    def test_a_removed_entry_accepts_no_action(self, kit, district):
        entry = kit.entry(S.REMOVED, removal_reason=RemovalReason.REVOKED)
        with pytest.raises(ActionNotAvailable):
            entry_perform(actor=district.alice, entry=entry, action="publish")
