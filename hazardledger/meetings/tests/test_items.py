"""Follow-up items: scope (owner and convener see them, others 404), the lifecycle table for
every (state, action, role), closing with evidence, reopening, links within scope."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hazardledger.audit.models import AuditEvent
from hazardledger.enterprises.models import Enterprise
from hazardledger.lib.workflow import (
    ActionForbidden,
    ActionNotAvailable,
    ConcurrentChange,
    GuardFailed,
)
from hazardledger.meetings import selectors, services
from hazardledger.meetings.models import FollowUpItem, ItemStatus
from hazardledger.meetings.workflow import ACTIONS, ITEM_WORKFLOW
from hazardledger.org.models import Role

GOOD_CONTEXT = {
    "is_owner": True,
    "is_convener": True,
    "is_admin": False,
    "evidence": "已完成",
    "reason": "不实",
}


@pytest.mark.parametrize("state", ItemStatus.values)
@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("role", Role.values)
def test_every_state_action_role(state, action, role):
    transition = ITEM_WORKFLOW.find(state, action)
    if transition is None:
        with pytest.raises(ActionNotAvailable):
            ITEM_WORKFLOW.check(state, action, {role}, None, GOOD_CONTEXT)
    elif role not in transition.roles:
        with pytest.raises(ActionForbidden):
            ITEM_WORKFLOW.check(state, action, {role}, None, GOOD_CONTEXT)
    else:
        assert ITEM_WORKFLOW.check(state, action, {role}, None, GOOD_CONTEXT) is transition


@pytest.fixture
def meeting(district, rec, weekly):
    today = timezone.localdate()
    return rec.meeting(
        district.town_a,
        today - timedelta(days=3),
        actor=district.tom,
        decisions=["督促住建局对临边防护开展专项检查", "甲镇组织复查"],
    )


def make_item(district, meeting, *, owner=None, person=None, due=None, **links):
    data = services.ItemInput(
        decision=meeting.decisions.first(),
        title="临边防护专项检查",
        owner_unit=owner or district.dept_a,
        owner_person=person,
        due_on=due or timezone.localdate() + timedelta(days=7),
        **links,
    )
    return services.item_create(actor=district.tom, data=data)


class ItemScopeTestCase:
    def test_it_shows_items_to_owner_convener_and_district_only(self, district, meeting):
        item = make_item(district, meeting, person=district.dora)
        seen = {
            name
            for name in ["alice", "leo", "sam", "tom", "tina", "dora", "carl", "fred", "xena"]
            if selectors.items_visible_to(getattr(district, name)).filter(pk=item.pk).exists()
        }
        # dora owns it, fred is of the owner unit, tom convened it; tina and carl did not.
        assert seen == {"alice", "leo", "sam", "tom", "dora", "fred"}

    def test_it_answers_404_to_others_and_200_to_the_owner(self, district, meeting, client_for):
        item = make_item(district, meeting, person=district.dora)
        url = f"/meetings/items/{item.pk}/"
        assert client_for(district.tina).get(url).status_code == 404
        assert client_for(district.carl).get(url).status_code == 404
        assert client_for(district.dora).get(url).status_code == 200
        assert client_for(district.tom).get(url).status_code == 200
        assert client_for(district.eve).get(url).status_code == 403

    def test_it_shows_overdue_items_in_the_owners_list_and_on_the_conveners(
        self, district, meeting, client_for
    ):
        item = make_item(district, meeting, person=district.dora)
        FollowUpItem.objects.filter(pk=item.pk).update(due_on=date(2000, 1, 1))
        owner_page = client_for(district.dora).get("/meetings/items/").content.decode()
        assert "临边防护专项检查" in owner_page and "逾期" in owner_page
        convener_page = client_for(district.tom).get("/meetings/items/").content.decode()
        assert convener_page.count("临边防护专项检查") == 1 and "逾期" in convener_page
        assert selectors.my_overdue_count(district.dora) == 1
        assert selectors.my_overdue_count(district.tom) == 0  # convener, not owner
        tina_page = client_for(district.tina).get("/meetings/items/").content.decode()
        assert "临边防护专项检查" not in tina_page


class ItemLifecycleTestCase:
    def test_it_closes_with_evidence_and_a_file_in_one_audit_event(self, district, meeting):
        item = make_item(district, meeting, person=district.dora)
        before = AuditEvent.objects.count()
        upload = SimpleUploadedFile("proof.pdf", b"%PDF-1.4 proof", content_type="application/pdf")
        services.item_close(
            actor=district.dora, item=item, evidence="已检查 12 处工地", evidence_file=upload
        )
        item.refresh_from_db()
        assert item.status == ItemStatus.CLOSED and item.closed_by == district.dora
        assert item.evidence_file.name.endswith(".pdf")
        assert AuditEvent.objects.count() == before + 1

    def test_it_refuses_to_close_without_evidence_or_by_another_unit(self, district, meeting):
        item = make_item(district, meeting, person=district.dora)
        with pytest.raises(GuardFailed) as exc:
            services.item_close(actor=district.dora, item=item, evidence="  ")
        assert exc.value.fields == {"evidence": "请填写办结情况"}
        with pytest.raises(GuardFailed):
            services.item_close(actor=district.tina, item=item, evidence="完成")
        with pytest.raises(PermissionDenied):
            services.item_close(actor=district.leo, item=item, evidence="完成")
        item.refresh_from_db()
        assert item.status == ItemStatus.OPEN

    def test_it_lets_one_of_two_concurrent_closes_win(self, district, meeting):
        item = make_item(district, meeting, person=district.dora)
        stale = FollowUpItem.objects.get(pk=item.pk)
        services.item_close(actor=district.dora, item=item, evidence="完成")
        with pytest.raises(ConcurrentChange):
            services.item_close(actor=district.fred, item=stale, evidence="也完成")

    def test_it_lets_the_convener_reopen_with_a_reason(self, district, meeting):
        item = make_item(district, meeting, person=district.dora)
        services.item_close(actor=district.dora, item=item, evidence="完成")
        with pytest.raises(PermissionDenied):
            services.item_reopen(actor=district.dora, item=item, reason="x")  # no reopen role
        with pytest.raises(GuardFailed):
            services.item_reopen(actor=district.tina, item=item, reason="x")  # not convener
        services.item_reopen(actor=district.tom, item=item, reason="现场复查仍未整改")
        item.refresh_from_db()
        assert item.status == ItemStatus.OPEN and item.closed_at is None

    def test_it_only_lets_the_convener_create_items(self, district, meeting):
        data = services.ItemInput(
            decision=meeting.decisions.first(),
            title="x",
            owner_unit=district.dept_a,
            due_on=timezone.localdate(),
        )
        with pytest.raises(PermissionDenied):
            services.item_create(actor=district.tina, data=data)

    def test_it_checks_owner_person_and_due_date(self, district, meeting):
        with pytest.raises(ValidationError) as exc:
            make_item(
                district, meeting, person=district.tina, due=meeting.held_on - timedelta(days=1)
            )
        assert set(exc.value.message_dict) == {"owner_person", "due_on"}
        assert not FollowUpItem.objects.exists()


class ItemLinkTestCase:
    def test_it_links_enterprises_in_scope_and_refuses_others(self, district, meeting):
        mine = Enterprise.objects.create(
            credit_code="91370306MA3C000001",
            name="甲镇建筑公司",
            address="甲镇",
            territory=district.town_a,
            industry=district.building,
        )
        Enterprise.objects.create(
            credit_code="91370306MA3C000002",
            name="乙街道化工厂",
            address="乙街道",
            territory=district.town_b,
            industry=district.chemicals,
        )
        with pytest.raises(ValidationError) as exc:
            make_item(district, meeting, enterprise_codes=["91370306MA3C000002"])
        assert "91370306MA3C000002" in str(exc.value)
        item = make_item(district, meeting, enterprise_codes=["91370306MA3C000001"])
        assert [link.object_id for link in item.links.all()] == [mine.pk]
