"""Messages: approvals, evaluations, acceptances and overdue periods, each sent once."""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from hazardledger.enforcement.jobs import remind_overdue
from hazardledger.enforcement.measures import measure_plan
from hazardledger.enforcement.models import Case, CaseKind, CaseStatus, Resumption
from hazardledger.enforcement.resumption import resumption_assign_experts, resumption_evaluate
from hazardledger.hazards.models import Notification


class NoticesTestCase:
    def test_a_power_cut_asks_the_leader_to_approve(self, kit, django_capture_on_commit_callbacks):
        case = kit.case(CaseKind.SUSPENSION, CaseStatus.REFUSED)
        with django_capture_on_commit_callbacks(execute=True):
            measure_plan(actor=kit.district.fred, case=case, kind="cut_power")
        note = Notification.objects.get(kind="enf_approval")
        assert note.user == kit.district.leo and case.number in note.message
        assert note.link == f"/enforcement/{case.pk}/"

    def test_experts_and_the_department_are_told_their_turn(
        self, kit, django_capture_on_commit_callbacks
    ):
        d = kit.district
        kit.ent_a.regulator_contact = d.dora
        kit.ent_a.save()
        case = kit.case(CaseKind.SUSPENSION, CaseStatus.RECTIFIED)
        resumption = Resumption.objects.create(case=case, evidence="已整改")
        with django_capture_on_commit_callbacks(execute=True):
            resumption_assign_experts(
                actor=d.fred, resumption=resumption, experts=[kit.expert_for(d.xena)]
            )
            resumption_evaluate(actor=d.xena, resumption=resumption, passed=True, report="可以")
        assert Notification.objects.get(kind="enf_evaluation").user == d.xena
        assert Notification.objects.get(kind="enf_acceptance").user == d.dora

    def test_overdue_suspensions_remind_the_group_once(
        self, kit, django_capture_on_commit_callbacks
    ):
        kit.case(
            CaseKind.SUSPENSION,
            CaseStatus.EXECUTED,
            period_end=timezone.localdate() - timedelta(days=1),
        )
        kit.case(CaseKind.SUSPENSION, CaseStatus.EXECUTED, period_end=timezone.localdate())
        with django_capture_on_commit_callbacks(execute=True):
            assert remind_overdue() == 1
            call_command("send_enforcement_reminders", stdout=io.StringIO())
        assert Notification.objects.filter(kind="enf_overdue").count() == 1
        assert Case.objects.count() == 2
