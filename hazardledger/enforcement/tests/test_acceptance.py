"""The acceptance points of the enforcement issue, through the services and the database."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hazardledger.enforcement import measures as m
from hazardledger.enforcement.models import (
    Case,
    CaseKind,
    CaseStatus,
    ChecklistStep,
    Document,
    MeasureStatus,
    Proposal,
    ProposalStatus,
    ResumptionStatus,
)
from hazardledger.enforcement.resumption import (
    resumption_accept,
    resumption_apply,
    resumption_assign_experts,
    resumption_evaluate,
)
from hazardledger.enforcement.services import (
    case_open,
    case_perform,
    checklist_record,
    proposal_decide,
)
from hazardledger.enforcement.tests.kit import load_profile
from hazardledger.enterprises.models import OperatingStatus
from hazardledger.experts.models import (
    CertificateKind,
    Expert,
    ExpertCertificate,
    ExpertEngagement,
)
from hazardledger.lib.workflow import GuardFailed
from hazardledger.policy.services import active_policy


def all_items() -> list[str]:
    return list(active_policy().enforcement.secondary_accident_checklist)


def served(**extra):
    return {"served_to": "李四（负责人）", "served_how": "直接送达", **extra}


class PowerCutTestCase:
    def test_it_names_every_missing_prerequisite(self, kit):
        d = kit.district
        case = kit.case(CaseKind.SUSPENSION, CaseStatus.SERVED)
        measure = m.measure_plan(actor=d.fred, case=case, kind="cut_power")
        with pytest.raises(GuardFailed) as err:
            m.measure_execute(actor=d.fred, measure=measure, executed_by="供电所王五")
        text = "；".join(err.value.messages)
        for expected in ("拒不执行", "集体讨论决定", "批准", "提前24小时书面通知", "执行单位"):
            assert expected in text
        assert len(err.value.messages) == 5
        measure.refresh_from_db()
        assert measure.status == MeasureStatus.PLANNED

    def test_it_executes_only_when_each_prerequisite_is_met(self, kit):
        d = kit.district
        case = kit.case(CaseKind.SUSPENSION, CaseStatus.SERVED)
        case_perform(actor=d.fred, case=case, action="refuse", note="拒不停产")
        measure = m.measure_plan(actor=d.fred, case=case, kind="cut_power")
        m.measure_record_collective_decision(
            actor=d.fred, measure=measure, decided_on=timezone.localdate(), reference="纪要1号"
        )
        with pytest.raises(PermissionDenied) as refused:
            m.measure_approve(actor=d.alice, measure=measure)
        assert "区领导" in str(refused.value)
        m.measure_approve(actor=d.leo, measure=measure)
        m.measure_set_executing_unit(actor=d.fred, measure=measure, unit=kit.partner)
        m.measure_serve_notice(
            actor=d.fred, measure=measure, served_to="李四", served_how="直接送达"
        )
        with pytest.raises(GuardFailed) as early:
            m.measure_execute(actor=d.fred, measure=measure, executed_by="王五")
        assert early.value.messages == ["书面通知送达未满24小时，不能实施停电"]
        with time_machine.travel(timezone.now() + timedelta(hours=24, minutes=1)):
            m.measure_execute(actor=d.fred, measure=measure, executed_by="供电所王五")
        measure.refresh_from_db()
        assert measure.status == MeasureStatus.EXECUTED
        kinds = set(Document.objects.filter(measure=measure).values_list("kind", flat=True))
        assert kinds == {"reminder", "power_cut_decision"}
        m.measure_lift(actor=d.fred, measure=measure, lifted_by="王五", reason="隐患已消除")
        assert measure.status == MeasureStatus.LIFTED
        assert Document.objects.filter(measure=measure, kind="power_restore_decision").exists()

    def test_it_reads_the_notice_period_from_the_policy(self, kit):
        rules = active_policy().enforcement.model_dump()["measure_rules"]
        rules["cut_power"]["notice_hours"] = 48
        load_profile(measure_rules=rules, power_cut_notice_hours=24)
        case = kit.case(CaseKind.SUSPENSION, CaseStatus.REFUSED)
        measure = m.measure_plan(actor=kit.district.fred, case=case, kind="cut_power")
        problems = m.prerequisite_problems(measure)
        assert "缺少前提：提前48小时书面通知当事单位" in problems


class ResumptionTestCase:
    def suspended(self, kit):
        d = kit.district
        case = case_open(
            actor=d.tom,
            kind=CaseKind.SUSPENSION,
            enterprise=kit.ent_a,
            facts="重大隐患未整改",
            legal_basis="安全生产法第六十五条",
        )
        case_perform(actor=d.tom, case=case, action="decide", legal_basis="安全生产法第六十五条")
        case_perform(actor=d.tom, case=case, action="serve", **served())
        case_perform(actor=d.tom, case=case, action="execute")
        kit.ent_a.refresh_from_db()
        assert kit.ent_a.status == OperatingStatus.SUSPENDED
        case_perform(actor=d.tom, case=case, action="reinspect_pass", note="整改到位")
        return case

    def expert(self, kit, user=None):
        expert = Expert.objects.create(user=user or kit.district.xena, employer="省安科院")
        ExpertCertificate.objects.create(
            expert=expert,
            kind=CertificateKind.REGISTERED_SAFETY_ENGINEER,
            number="RSE-1",
            valid_until=timezone.localdate() + timedelta(days=365),
        )
        return expert

    def test_it_needs_expert_evaluation_and_department_acceptance(self, kit):
        d = kit.district
        case = self.suspended(kit)
        with pytest.raises(GuardFailed):
            case_perform(actor=d.dora, case=case, action="lift")
        resumption = resumption_apply(actor=d.eve, case=case, evidence="已整改，附照片")
        checklist_record(actor=d.tom, case=case, step=ChecklistStep.RESUMPTION, checked=all_items())
        with pytest.raises(GuardFailed) as err:
            resumption_accept(actor=d.dora, resumption=resumption, opinion="同意")
        assert "专家评估" in str(err.value)
        kit.ent_a.refresh_from_db()
        assert kit.ent_a.status == OperatingStatus.SUSPENDED
        expert = self.expert(kit)
        resumption_assign_experts(actor=d.fred, resumption=resumption, experts=[expert])
        with pytest.raises(PermissionDenied):
            resumption_evaluate(actor=d.tom, resumption=resumption, passed=True, report="x")
        resumption_evaluate(actor=d.xena, resumption=resumption, passed=True, report="整改到位")
        assert resumption.status == ResumptionStatus.EVALUATED
        kit.ent_a.refresh_from_db()
        assert kit.ent_a.status == OperatingStatus.SUSPENDED  # evaluation alone is not enough
        resumption_accept(actor=d.dora, resumption=resumption, opinion="验收合格")
        case.refresh_from_db()
        kit.ent_a.refresh_from_db()
        assert case.status == CaseStatus.LIFTED
        assert kit.ent_a.status == OperatingStatus.OPERATING
        assert case.documents.filter(kind="resumption_opinion").exists()

    def test_it_refuses_acceptance_without_the_secondary_accident_checklist(self, kit):
        d = kit.district
        case = self.suspended(kit)
        resumption = resumption_apply(actor=d.eve, case=case, evidence="已整改")
        resumption_assign_experts(actor=d.fred, resumption=resumption, experts=[self.expert(kit)])
        resumption_evaluate(actor=d.xena, resumption=resumption, passed=True, report="可以")
        with pytest.raises(GuardFailed) as err:
            resumption_accept(actor=d.dora, resumption=resumption, opinion="同意")
        assert "次生事故防范" in str(err.value)
        with pytest.raises(ValidationError):
            checklist_record(
                actor=d.tom, case=case, step=ChecklistStep.RESUMPTION, checked=all_items()[:1]
            )

    def test_it_refuses_an_expert_with_a_conflict(self, kit):
        d = kit.district
        case = self.suspended(kit)
        resumption = resumption_apply(actor=d.eve, case=case, evidence="已整改")
        employed = self.expert(kit)
        employed.employer_enterprise = kit.ent_a
        employed.save()
        with pytest.raises(ValidationError) as err:
            resumption_assign_experts(actor=d.fred, resumption=resumption, experts=[employed])
        assert "expert" in err.value.message_dict
        resumption.refresh_from_db()
        assert resumption.status == ResumptionStatus.APPLIED

    def test_it_refuses_an_expert_engaged_by_the_enterprise_recently(self, kit):
        d = kit.district
        case = self.suspended(kit)
        resumption = resumption_apply(actor=d.eve, case=case, evidence="已整改")
        expert = self.expert(kit)
        ExpertEngagement.objects.create(
            expert=expert,
            enterprise=kit.ent_a,
            kind="consulting",
            started_on=timezone.localdate() - timedelta(days=100),
        )
        with pytest.raises(ValidationError):
            resumption_assign_experts(actor=d.fred, resumption=resumption, experts=[expert])


class PenaltyTestCase:
    def notified(self, kit):
        case = kit.case(CaseKind.PENALTY, CaseStatus.NOTIFIED)
        return case

    def test_it_defaults_to_the_upper_limit(self, kit):
        d = kit.district
        case = self.notified(kit)
        case_perform(actor=d.fred, case=case, action="decide", article="sl-102", amount_yuan=50000)
        assert case.status == CaseStatus.DECIDED
        assert case.documents.filter(kind="penalty_decision").exists()

    def test_it_refuses_a_lower_amount_without_reason_and_second_approver(self, kit):
        d = kit.district
        case = self.notified(kit)
        with pytest.raises(GuardFailed) as err:
            case_perform(
                actor=d.fred, case=case, action="decide", article="sl-102", amount_yuan=20000
            )
        assert set(err.value.fields) == {"lower_reason", "second_approver"}
        with pytest.raises(GuardFailed) as err:
            case_perform(
                actor=d.fred,
                case=case,
                action="decide",
                article="sl-102",
                amount_yuan=20000,
                lower_reason="首次违法且主动整改",
                second_approver=d.tom,
            )
        assert "second_approver" in err.value.fields
        case.refresh_from_db()
        assert case.status == CaseStatus.NOTIFIED
        case_perform(
            actor=d.fred,
            case=case,
            action="decide",
            article="sl-102",
            amount_yuan=20000,
            lower_reason="首次违法且主动整改",
            second_approver=d.leo,
        )
        assert case.status == CaseStatus.PENDING_APPROVAL
        with pytest.raises(GuardFailed):
            case_perform(actor=d.alice, case=case, action="approve_lower")
        case_perform(actor=d.leo, case=case, action="approve_lower")
        assert case.status == CaseStatus.DECIDED

    def test_it_refuses_amounts_outside_the_article(self, kit):
        case = self.notified(kit)
        with pytest.raises(GuardFailed) as err:
            case_perform(
                actor=kit.district.fred,
                case=case,
                action="decide",
                article="sl-102",
                amount_yuan=10**30,
            )
        assert "amount_yuan" in err.value.fields


class FourAlwaysTestCase:
    def test_it_proposes_closure_when_reinspection_fails(self, kit):
        d = kit.district
        case = kit.case(CaseKind.SUSPENSION, CaseStatus.EXECUTED)
        case_perform(actor=d.tom, case=case, action="reinspect_fail", note="仍未整改")
        proposal = Proposal.objects.get(case=case)
        assert (proposal.rule, proposal.proposed_kind) == (
            "close_after_failed_reinspection",
            CaseKind.CLOSURE,
        )

    def test_it_proposes_from_findings_and_a_person_decides(self, kit):
        d = kit.district
        case = case_open(
            actor=d.fred,
            kind=CaseKind.SUSPENSION,
            enterprise=kit.ent_a,
            facts="无证生产，涉嫌重大责任事故",
            findings=["illegal_production", "crime", "violation"],
        )
        kinds = dict(Proposal.objects.filter(case=case).values_list("rule", "proposed_kind"))
        # A suspension case does not propose itself; the other two rules fire.
        assert kinds == {"penalty_at_upper_limit": "penalty", "refer_crimes": "referral"}
        penalty = Proposal.objects.get(case=case, rule="penalty_at_upper_limit")
        with pytest.raises(ValidationError):
            proposal_decide(actor=d.fred, proposal=penalty, accept=True, reason="")
        proposal_decide(actor=d.fred, proposal=penalty, accept=True, reason="依规按上限处罚")
        penalty.refresh_from_db()
        assert penalty.status == ProposalStatus.ACCEPTED
        opened = penalty.resulting_case
        assert opened.kind == CaseKind.PENALTY and opened.origin == case
        referral = Proposal.objects.get(case=case, rule="refer_crimes")
        proposal_decide(actor=d.fred, proposal=referral, accept=False, reason="证据不足")
        referral.refresh_from_db()
        assert referral.status == ProposalStatus.REJECTED
        assert Case.objects.filter(kind=CaseKind.REFERRAL).count() == 0

    def test_it_follows_the_policy_rules(self, kit):
        load_profile(four_always={})
        case = kit.case(CaseKind.SUSPENSION, CaseStatus.EXECUTED)
        case_perform(actor=kit.district.tom, case=case, action="reinspect_fail", note="未整改")
        assert not Proposal.objects.filter(case=case).exists()


class SubjectStatusTestCase:
    def test_stop_work_needs_a_procedure_gap_and_stops_the_enterprise(self, kit):
        d = kit.district
        case = case_open(
            actor=d.fred, kind=CaseKind.STOP_WORK, enterprise=kit.ent_a, facts="无施工许可证"
        )
        case_perform(actor=d.fred, case=case, action="decide", legal_basis="建筑法第七条")
        case_perform(actor=d.fred, case=case, action="serve", **served())
        case_perform(actor=d.fred, case=case, action="execute")
        kit.ent_a.refresh_from_db()
        assert kit.ent_a.status == OperatingStatus.WORK_STOPPED
        doc = case.documents.get(kind="onsite_decision")
        assert doc.served_to == "李四（负责人）" and doc.served_how == "直接送达"
        kit.complete_procedures(kit.ent_b)  # ent_b's industry needs nothing: still refused
        with pytest.raises(ValidationError) as err:
            case_open(actor=d.fred, kind=CaseKind.STOP_WORK, enterprise=kit.ent_b, facts="x")
        assert "手续齐全" in str(err.value)

    def test_closure_needs_the_checklist_and_closes(self, kit):
        d = kit.district
        case = kit.case(CaseKind.CLOSURE, CaseStatus.SERVED)
        with pytest.raises(GuardFailed):
            case_perform(actor=d.fred, case=case, action="execute")
        checklist_record(actor=d.fred, case=case, step=ChecklistStep.CLOSURE, checked=all_items())
        case_perform(actor=d.fred, case=case, action="execute")
        kit.ent_a.refresh_from_db()
        assert kit.ent_a.status == OperatingStatus.CLOSED

    def test_demolition_moves_the_structure(self, kit):
        d = kit.district
        case = case_open(
            actor=d.fred, kind=CaseKind.DEMOLITION, structure=kit.structure, facts="违法搭建"
        )
        case_perform(actor=d.fred, case=case, action="decide", legal_basis="城乡规划法第六十四条")
        case_perform(actor=d.fred, case=case, action="serve", **served())
        kit.structure.refresh_from_db()
        assert kit.structure.status == "notice_served"
        checklist_record(
            actor=d.fred, case=case, step=ChecklistStep.DEMOLITION, checked=all_items()
        )
        case_perform(actor=d.fred, case=case, action="force_demolish")
        case_perform(actor=d.fred, case=case, action="verify", note="已拆除到位")
        kit.structure.refresh_from_db()
        assert kit.structure.status == "verified"
        assert case.status == CaseStatus.VERIFIED

    def test_key_project_review_resumes_once_procedures_are_complete(self, kit):
        d = kit.district
        case = case_open(
            actor=d.fred,
            kind=CaseKind.KEY_PROJECT,
            enterprise=kit.ent_a,
            project=kit.project,
            facts="重点项目手续不全",
        )
        case_perform(actor=d.fred, case=case, action="stop", legal_basis="区政府会议纪要")
        kit.ent_a.refresh_from_db()
        kit.project.refresh_from_db()
        assert kit.ent_a.status == OperatingStatus.WORK_STOPPED
        assert kit.project.status == "stopped"
        with pytest.raises(PermissionDenied):
            case_perform(actor=d.fred, case=case, action="district_decide", decision="x")
        case_perform(actor=d.leo, case=case, action="district_decide", decision="限期补办")
        case_perform(actor=d.fred, case=case, action="name_helpers", helpers=[d.tom, d.dora])
        checklist_record(
            actor=d.fred, case=case, step=ChecklistStep.RESUMPTION, checked=all_items()
        )
        with pytest.raises(GuardFailed) as err:
            case_perform(actor=d.fred, case=case, action="resume")
        assert "施工许可证" in str(err.value)
        kit.complete_procedures()
        case_perform(actor=d.fred, case=case, action="resume")
        kit.ent_a.refresh_from_db()
        kit.project.refresh_from_db()
        assert kit.ent_a.status == OperatingStatus.OPERATING
        assert kit.project.status == "resumed"
        assert set(case.helpers.all()) == {d.tom, d.dora}
