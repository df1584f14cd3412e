"""A card's 责令停产停业 opens a suspension case; 恢复生产 waits for resumption acceptance."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from hazardledger.enforcement.models import Case, CaseKind, CaseStatus, ChecklistStep
from hazardledger.enforcement.resumption import (
    resumption_accept,
    resumption_apply,
    resumption_assign_experts,
    resumption_evaluate,
)
from hazardledger.enforcement.services import case_perform, checklist_record
from hazardledger.enterprises.models import OperatingStatus
from hazardledger.hazards.models import Hazard
from hazardledger.hazards.services import hazard_perform
from hazardledger.lib.workflow import GuardFailed
from hazardledger.policy.services import active_policy


def card(kit) -> Hazard:
    now = timezone.now()
    return Hazard.objects.create(
        card_no="370306-YH-T-000001",
        enterprise=kit.ent_a,
        territory_id=kit.ent_a.territory_id,
        industry_id=kit.ent_a.industry_id,
        department=kit.ent_a.industry.regulator,
        location="二号车间",
        description="配电箱未接地",
        category="site_management",
        nature="thing",
        level="general",
        source="government_inspection",
        found_by="检查组",
        found_on=timezone.localdate() - timedelta(days=3),
        status="registered",
        stage_started_at=now,
        registered_at=now,
    )


class HazardSuspensionTestCase:
    def test_it_opens_a_case_and_resumes_only_through_acceptance(self, kit):
        d = kit.district
        hazard = card(kit)
        hazard_perform(
            actor=d.tom, hazard=hazard, action="suspend_production", reason="无法保证安全"
        )
        case = Case.objects.get(kind=CaseKind.SUSPENSION)
        assert case.origin == hazard and case.status == CaseStatus.EXECUTED
        assert hazard.card_no in case.origin_text()
        kit.ent_a.refresh_from_db()
        assert kit.ent_a.status == OperatingStatus.SUSPENDED
        assert case.documents.filter(kind="onsite_decision").exists()
        hazard.refresh_from_db()
        with pytest.raises(GuardFailed) as err:
            hazard_perform(actor=d.tom, hazard=hazard, action="resume_production", reason="已整改")
        assert case.number in str(err.value)
        case_perform(actor=d.tom, case=case, action="reinspect_pass", note="合格")
        resumption = resumption_apply(actor=d.eve, case=case, evidence="已接地")
        resumption_assign_experts(
            actor=d.fred, resumption=resumption, experts=[kit.expert_for(d.xena)]
        )
        resumption_evaluate(actor=d.xena, resumption=resumption, passed=True, report="到位")
        items = active_policy().enforcement.secondary_accident_checklist
        checklist_record(actor=d.tom, case=case, step=ChecklistStep.RESUMPTION, checked=items)
        resumption_accept(actor=d.dora, resumption=resumption, opinion="合格")
        hazard.refresh_from_db()
        kit.ent_a.refresh_from_db()
        assert not hazard.production_suspended
        assert kit.ent_a.status == OperatingStatus.OPERATING
