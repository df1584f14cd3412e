"""The card's expert evaluation draws on the expert pool (issue 13 item 6)."""

from __future__ import annotations

import json
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from hazardledger.audit.models import AuditEvent
from hazardledger.experts.models import (
    CertificateKind,
    EngagementKind,
    Expert,
    ExpertAssignment,
    ExpertCertificate,
    ExpertEngagement,
    Specialty,
)
from hazardledger.experts.selectors import is_assigned
from hazardledger.hazards.models import HazardStatus
from hazardledger.hazards.services import hazard_evaluation_pass
from hazardledger.org.models import Role
from hazardledger.org.services import person_upsert

S = HazardStatus


def pool_expert(kit, username: str, full_name: str, **fields) -> Expert:
    user = person_upsert(
        actor=None,
        username=username,
        full_name=full_name,
        unit=kit.district.experts,
        roles=[Role.EXPERT],
        password="correct-horse-9",
    )
    expert = Expert.objects.create(user=user, **fields)
    ExpertCertificate.objects.create(
        expert=expert,
        kind=CertificateKind.PROFESSIONAL_TITLE,
        number=f"T-{user.pk}",
        valid_until=timezone.localdate() + timedelta(days=100),
    )
    return expert


def evaluating(kit):
    """A major card of 甲镇建筑公司 awaiting its expert (no one assigned yet)."""
    return kit.card(S.EVALUATING, level="major", expert=None)


def assign(client, card, user, status=302):
    url = reverse("hazards:action", args=[card.pk, "assign_expert"])
    response = client.post(url, {"expert": user.pk})
    assert response.status_code == status, response.content.decode()[:2000]
    card.refresh_from_db()
    return response.content.decode()


class PoolAssignmentTestCase:
    def test_it_assigns_from_the_pool_and_the_expert_sees_only_that_card(self, kit, login):
        d = kit.district
        card, other = evaluating(kit), evaluating(kit)
        xena = login(d.xena)
        assert xena.get(reverse("hazards:detail", args=[card.pk])).status_code == 404
        assign(login(d.tom), card, d.xena)
        assert card.expert == d.xena and is_assigned(d.xena, card)
        assignment = ExpertAssignment.objects.get()
        assert assignment.target == card and assignment.enterprise == kit.ent_a
        assert assignment.assigned_by == d.tom
        assert xena.get(reverse("hazards:detail", args=[card.pk])).status_code == 200
        assert xena.get(reverse("hazards:detail", args=[other.pk])).status_code == 404

    def test_it_refuses_a_conflicted_expert_in_place_and_changes_nothing(self, kit, login):
        d = kit.district
        card = evaluating(kit)
        yuri = pool_expert(kit, "yuri", "王建国", employer_enterprise=kit.ent_a)
        events = AuditEvent.objects.count()
        page = assign(login(d.tom), card, yuri.user, status=422)
        assert "利益回避：该专家受雇于甲镇建筑公司" in page
        assert 'name="expert"' in page  # the form, with the reason beside its field
        assert card.expert is None and card.version == 0
        assert not ExpertAssignment.objects.exists() and AuditEvent.objects.count() == events

    def test_it_refuses_an_expert_engaged_by_the_enterprise_within_the_period(self, kit, login):
        d = kit.district
        card = evaluating(kit)
        ExpertEngagement.objects.create(
            expert=kit.xena,
            enterprise=kit.ent_a,
            kind=EngagementKind.DIAGNOSIS,
            started_on=timezone.localdate() - timedelta(days=200),
            ended_on=timezone.localdate() - timedelta(days=100),
        )
        page = assign(login(d.tom), card, d.xena, status=422)
        assert "曾受聘于甲镇建筑公司" in page and not is_assigned(d.xena, card)

    def test_it_refuses_a_person_outside_the_pool(self, kit, login):
        card = evaluating(kit)
        outsider = person_upsert(
            actor=None, username="olga", unit=kit.district.experts, roles=[Role.EXPERT]
        )
        page = assign(login(kit.district.tom), card, outsider, status=400)
        assert "选择" in page and card.expert is None

    def test_it_suggests_experts_by_specialty_without_conflicts(self, kit, login):
        d = kit.district
        card = evaluating(kit)
        builders = Specialty.objects.get(code="construction")
        builders.industries.add(d.building)
        bo = pool_expert(kit, "bo", "李建")
        bo.specialties.add(builders)
        yuri = pool_expert(kit, "yuri", "王建国", employer_enterprise=kit.ent_a)
        page = login(d.tom).get(reverse("hazards:action", args=[card.pk, "assign_expert"]))
        text = page.content.decode()
        suggested, others = text.split("<optgroup", 2)[1:]
        assert "推荐" in suggested and "其他专家" in others
        assert suggested.index("李建") < suggested.index("Xena")  # specialty first
        assert "王建国" in others and "王建国" not in suggested
        assert yuri.user.pk

    def test_it_moves_the_assignment_when_another_expert_is_chosen(self, kit, login):
        d = kit.district
        card = evaluating(kit)
        bo = pool_expert(kit, "bo", "李建")
        tom = login(d.tom)
        assign(tom, card, d.xena)
        assign(tom, card, bo.user)
        assert not is_assigned(d.xena, card) and is_assigned(bo.user, card)
        assert login(d.xena).get(reverse("hazards:detail", args=[card.pk])).status_code == 404
        assign(tom, card, bo.user)  # the same expert again keeps the one assignment
        assert ExpertAssignment.objects.filter(released_at__isnull=True).count() == 1

    def test_it_ends_the_assignment_with_the_evaluation(self, kit, login):
        d = kit.district
        card = evaluating(kit)
        assign(login(d.tom), card, d.xena)
        hazard_evaluation_pass(actor=d.xena, hazard=card, opinion="整改到位")
        assert card.status == S.ACCEPTANCE_PENDING and card.expert == d.xena
        assert not is_assigned(d.xena, card)
        event = AuditEvent.objects.get(action="expert.release")
        assert event.actor == d.xena and event.reason == "evaluation_pass"
        assert login(d.xena).get(reverse("hazards:detail", args=[card.pk])).status_code == 404

    def test_it_refuses_through_the_api_with_the_same_message(self, kit, login):
        d = kit.district
        card = evaluating(kit)
        yuri = pool_expert(kit, "yuri", "王建国", employer="甲镇建筑公司")
        response = login(d.tom).post(
            f"/api/v1/hazards/{card.pk}/assign-expert",
            json.dumps({"expert_id": yuri.user.pk}),
            content_type="application/json",
        )
        assert response.status_code == 422
        assert "利益回避：该专家受雇于甲镇建筑公司" in response.json()["detail"]
        assert not ExpertAssignment.objects.exists()


class WaitingForExpertTestCase:
    def test_it_lists_cards_without_an_open_assignment_as_waiting(self, kit, login):
        d = kit.district
        never = evaluating(kit)
        # A second round: the card names its last expert, whose assignment has ended.
        again = kit.card(S.EVALUATING, level="major", expert=d.xena, description="二次评估的隐患")
        ExpertAssignment.objects.filter(object_id=again.pk).update(released_at=timezone.now())
        held = kit.card(S.EVALUATING, level="major", expert=d.xena, description="评估中的隐患")
        page = login(d.tom).get(reverse("hazards:mywork")).content.decode()
        section = page.split("待指派评估专家", 1)[1].split("</section>", 1)[0]
        assert never.card_no in section and again.card_no in section
        assert held.card_no not in section
