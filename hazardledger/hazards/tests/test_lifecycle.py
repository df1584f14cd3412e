"""The closed loop through the pages, for each role, general and major (issue 4 acceptance)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from hazardledger.audit.models import AuditEvent
from hazardledger.hazards.models import Hazard, HazardStatus, Notification
from hazardledger.hazards.services import hazard_accept, hazard_apply_acceptance
from hazardledger.hazards.tests.conftest import complete_plan, load_profile, photo
from hazardledger.lib.workflow import ConcurrentChange, GuardFailed

S = HazardStatus
TODAY = timezone.localdate


def act(client, hazard, action, data=None, status=302):
    response = client.post(reverse("hazards:action", args=[hazard.pk, action]), data or {})
    assert response.status_code == status, response.content.decode()[:2000]
    hazard.refresh_from_db()
    return response


def register(client, enterprise, **overrides):
    data = {
        "enterprise": enterprise.pk,
        "location": "二号车间配电室",
        "description": "配电箱未接地",
        "cause": "维护不到位",
        "category": "site_management",
        "nature": "thing",
        "level": "general",
        "source": "government_inspection",
        "found_by": "检查组",
        "found_on": TODAY().isoformat(),
        "legal_basis": "安全生产法第四十一条",
        "photos": [photo("before.png")],
    } | overrides
    response = client.post(reverse("hazards:create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return Hazard.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def plan_post(client, hazard, data, submit=True, status=302):
    body = {k: ("" if v is None else v) for k, v in data.items()}
    if submit:
        body["submit"] = "1"
    response = client.post(reverse("hazards:plan", args=[hazard.pk]), body)
    assert response.status_code == status, response.content.decode()[:2000]
    hazard.refresh_from_db()
    return response


class GeneralLoopTestCase:
    def test_it_runs_the_full_loop_with_return_extension_and_reopen(
        self, kit, login, django_capture_on_commit_callbacks
    ):
        d = kit.district
        hazard = register(login(d.tom), kit.ent_a)
        assert hazard.status == S.REGISTERED and hazard.card_no.startswith("370306-YH-")
        assert hazard.files.filter(kind="before_photo").count() == 1

        act(login(d.dora), hazard, "confirm", {"level": "general"})
        assert hazard.status == S.CONFIRMED

        eve = login(d.eve)
        page = plan_post(eve, hazard, {"measures": "重新接地"}, status=422).content.decode()
        assert "五落实不完整，缺少：整改责任人、整改资金、整改时限、应急预案（文字或文件）" in page
        assert hazard.status == S.CONFIRMED and hazard.measures == ""

        plan_post(eve, hazard, complete_plan())
        assert hazard.status == S.RECTIFYING and hazard.rectification_mode == "deadline"

        act(eve, hazard, "report_progress", {"text": "已采购接地材料", "percent": 30})
        old = hazard.deadline
        act(
            eve,
            hazard,
            "request_extension",
            {
                "reason": "材料未到",
                "interim_controls": "断电警戒",
                "new_deadline": (old + timedelta(days=15)).isoformat(),
            },
        )
        assert hazard.deadline == old
        act(login(d.tom), hazard, "approve_extension", {"opinion": "同意"})
        assert hazard.deadline == old + timedelta(days=15)
        assert hazard.extensions.get().status == "approved"

        act(eve, hazard, "mark_rectified", {"note": "已接地", "photos": [photo()]})
        act(eve, hazard, "apply_acceptance", {})
        assert hazard.status == S.ACCEPTANCE_PENDING and hazard.acceptance_applied_at

        with django_capture_on_commit_callbacks(execute=True):
            act(login(d.tom), hazard, "reject", {"opinion": "接地电阻不合格"})
        assert hazard.status == S.RECTIFYING and hazard.acceptance_applied_at is None
        assert Notification.objects.filter(user=d.eve, kind="returned").count() == 1

        # The earlier after-photo belongs to the returned round: new evidence is needed.
        act(eve, hazard, "mark_rectified", {"note": "再次整改"}, status=422)
        act(eve, hazard, "mark_rectified", {"note": "再次整改", "photos": [photo()]})
        act(eve, hazard, "apply_acceptance", {})
        with django_capture_on_commit_callbacks(execute=True):
            act(login(d.dora), hazard, "accept", {"opinion": "合格"})
        assert hazard.status == S.CLOSED and hazard.accepted_by == d.dora and hazard.closed_at
        assert Notification.objects.filter(user=d.eve, kind="accepted").count() == 1

        act(
            login(d.alice),
            hazard,
            "reopen",
            {"reason": "复查发现反弹", "deadline": (TODAY() + timedelta(days=7)).isoformat()},
        )
        assert hazard.status == S.RECTIFYING and hazard.closed_at is None

        page = login(d.tom).get(reverse("hazards:detail", args=[hazard.pk])).content.decode()
        for label in (
            "登记",
            "确认定级",
            "落实五落实并开始整改",
            "申请延期",
            "批准延期",
            "验收不合格",
            "验收合格并销号",
            "重新打开",
        ):
            assert label in page
        actions = list(hazard.events.values_list("action", flat=True))
        assert actions == [
            "register",
            "confirm",
            "submit_plan",
            "report_progress",
            "request_extension",
            "approve_extension",
            "mark_rectified",
            "apply_acceptance",
            "reject",
            "mark_rectified",
            "apply_acceptance",
            "accept",
            "reopen",
        ]
        assert AuditEvent.objects.filter(
            object_type="hazards.hazard", object_id=str(hazard.pk)
        ).count() == len(actions)

    def test_it_takes_the_immediate_rectification_path(self, kit, login):
        d = kit.district
        hazard = kit.card(S.CONFIRMED)
        act(login(d.eve), hazard, "rectify_immediately", {"note": "当场整改", "photos": [photo()]})
        assert hazard.status == S.RECTIFIED and hazard.rectification_mode == "immediate"

    def test_it_refuses_immediate_rectification_for_major(self, kit, login):
        hazard = kit.card(S.CONFIRMED, level="major")
        page = act(
            login(kit.district.eve),
            hazard,
            "rectify_immediately",
            {"note": "当场整改", "photos": [photo()]},
            status=422,
        ).content.decode()
        assert "不能立即整改" in page and hazard.status == S.CONFIRMED

    def test_it_rejects_an_extension_and_keeps_the_deadline(self, kit, login):
        hazard = kit.card(S.RECTIFYING)
        kit.pending_extension(hazard)
        old = hazard.deadline
        act(login(kit.district.tom), hazard, "reject_extension", {"opinion": ""}, status=400)
        act(login(kit.district.tom), hazard, "reject_extension", {"opinion": "理由不足"})
        assert hazard.deadline == old and hazard.extensions.get().status == "rejected"

    def test_it_voids_with_a_reason_and_keeps_the_card(self, kit, login):
        hazard = kit.card(S.RECTIFYING)
        act(login(kit.district.alice), hazard, "void", {"reason": "重复登记"})
        assert hazard.status == S.VOIDED and hazard.void_reason == "重复登记"
        assert Hazard.objects.filter(pk=hazard.pk).exists()

    def test_it_transfers_to_the_competent_department_with_both_sides_linked(self, kit, login):
        d = kit.district
        hazard = kit.card(S.REGISTERED)
        act(login(d.tom), hazard, "transfer", {"department": d.dept_b.pk, "reason": "危化品"})
        assert hazard.status == S.TRANSFERRED and hazard.transfer_department == d.dept_b
        copy = hazard.transfers.get()
        assert copy.department == d.dept_b and copy.source == "transfer"
        assert copy.source_ref == hazard.card_no and copy.status == S.REGISTERED
        page = login(d.tom).get(reverse("hazards:detail", args=[copy.pk])).content.decode()
        assert hazard.card_no in page


class MajorLoopTestCase:
    def test_it_runs_the_major_loop_with_evaluation_supervision_and_suspension(self, kit, login):
        d = kit.district
        hazard = register(
            login(d.dora),
            kit.ent_a,
            level="major",
            criteria_standard="工贸企业重大事故隐患判定标准",
            criteria_article="第三条",
            criteria_item="（二）",
            harm_analysis="可能造成群死群伤；需停产整改",
        )
        act(
            login(d.tom),
            hazard,
            "confirm",
            {
                "level": "major",
                "criteria_standard": hazard.criteria_standard,
                "criteria_article": "第三条",
                "harm_analysis": hazard.harm_analysis,
            },
        )
        act(
            login(d.alice),
            hazard,
            "list_supervised",
            {"supervision_level": "district", "supervision_doc_no": "周安办督〔2026〕3号"},
        )
        act(login(d.tom), hazard, "suspend_production", {"reason": "无法保证安全"})
        assert hazard.is_supervised and hazard.production_suspended

        eve = login(d.eve)
        page = plan_post(eve, hazard, complete_plan("general"), status=422).content.decode()
        assert "缺少：治理目标和任务、负责治理的机构和人员、治理物资" in page
        plan_post(eve, hazard, complete_plan("major"))
        assert hazard.status == S.RECTIFYING

        act(eve, hazard, "report_progress", {"text": "督办进展：已停产整改"})
        act(eve, hazard, "mark_rectified", {"note": "已整改", "photos": [photo()]})
        act(eve, hazard, "apply_acceptance", {})
        assert hazard.status == S.EVALUATING

        act(login(d.xena), hazard, "evaluation_pass", {"opinion": "好"}, status=404)
        act(login(d.tom), hazard, "assign_expert", {"expert": d.xena.pk})
        act(login(d.xena), hazard, "evaluation_fail", {"opinion": ""}, status=400)
        act(login(d.xena), hazard, "evaluation_fail", {"opinion": "防护不到位"})
        assert hazard.status == S.RECTIFYING

        act(eve, hazard, "mark_rectified", {"note": "补充防护", "photos": [photo()]})
        act(eve, hazard, "apply_acceptance", {})
        # Her assignment ended with her opinion: she sees the card again once reassigned.
        act(login(d.xena), hazard, "evaluation_pass", {"opinion": "好"}, status=404)
        act(login(d.tom), hazard, "assign_expert", {"expert": d.xena.pk})
        act(
            login(d.xena),
            hazard,
            "evaluation_pass",
            {"opinion": "整改到位", "report": photo("report.png")},
        )
        assert hazard.status == S.ACCEPTANCE_PENDING and hazard.evaluated_at
        assert hazard.files.filter(kind="evaluation_report").count() == 1

        act(login(d.dora), hazard, "accept", {"opinion": "同意销号、恢复生产"})
        assert hazard.status == S.CLOSED and not hazard.production_suspended

    def test_it_refuses_to_confirm_major_without_the_criterion(self, kit, login):
        hazard = kit.card(S.REGISTERED)
        page = act(
            login(kit.district.tom), hazard, "confirm", {"level": "major"}, status=400
        ).content.decode()
        assert "重大事故隐患须注明判定标准" in page and "危害程度" in page
        assert hazard.status == S.REGISTERED and hazard.level == "general"


class PolicyDrivenStepsTestCase:
    def test_it_sends_general_cards_to_evaluation_when_the_policy_says_so(self, kit):
        d = kit.district
        first = kit.card(S.RECTIFIED)
        hazard_apply_acceptance(actor=d.eve, hazard=first)
        assert first.status == S.ACCEPTANCE_PENDING

        load_profile(expert_evaluation_levels=["general", "major"])
        second = kit.card(S.RECTIFIED)
        hazard_apply_acceptance(actor=d.eve, hazard=second)
        assert second.status == S.EVALUATING

    def test_it_refuses_closing_a_card_that_skipped_a_step_the_policy_now_requires(self, kit):
        hazard = kit.card(S.ACCEPTANCE_PENDING)
        load_profile(expert_evaluation_levels=["general", "major"])
        with pytest.raises(GuardFailed) as exc:
            hazard_accept(actor=kit.district.tom, hazard=hazard)
        assert "须经专家评估" in exc.value.messages[0]
        hazard.refresh_from_db()
        assert hazard.status == S.ACCEPTANCE_PENDING

    def test_it_closes_without_acceptance_when_the_policy_requires_none(self, kit):
        load_profile(department_acceptance_levels=["major"])
        hazard = kit.card(S.RECTIFIED)
        hazard_apply_acceptance(actor=kit.district.eve, hazard=hazard)
        assert hazard.status == S.CLOSED and hazard.closed_at

    def test_it_changes_the_five_must_haves_with_the_policy(self, kit, login):
        load_profile(five_must_haves=["measures", "deadline"])
        hazard = kit.card(S.CONFIRMED, responsible_person="", funds_yuan=None, emergency_plan="")
        plan_post(
            login(kit.district.eve),
            hazard,
            {"measures": hazard.measures, "deadline": hazard.deadline.isoformat()},
        )
        assert hazard.status == S.RECTIFYING

    def test_it_shows_the_policy_steps_on_the_explanation_page(self, kit, login):
        page = login(kit.district.tom).get(reverse("hazards:workflow")).content.decode()
        assert "已整改 → 专家评估中 → 待验收 → 已销号" in page
        load_profile(expert_evaluation_levels=[])
        page = login(kit.district.tom).get(reverse("hazards:workflow")).content.decode()
        assert "专家评估中 → " not in page and "验收合格并销号" in page


class ConcurrencyTestCase:
    def test_it_lets_exactly_one_of_two_concurrent_acceptances_win(self, kit):
        hazard = kit.card(S.ACCEPTANCE_PENDING)
        # Both requests read the card before either writes, as two clicks would.
        first, second = Hazard.objects.get(pk=hazard.pk), Hazard.objects.get(pk=hazard.pk)
        hazard_accept(actor=kit.district.tom, hazard=first)
        with pytest.raises(ConcurrentChange) as exc:
            hazard_accept(actor=kit.district.dora, hazard=second)
        assert "已被他人处理" in str(exc.value)
        hazard.refresh_from_db()
        assert hazard.status == S.CLOSED and hazard.accepted_by == kit.district.tom
        assert hazard.events.filter(action="accept").count() == 1

    def test_it_keeps_both_of_two_concurrent_progress_reports(self, kit):
        from hazardledger.hazards.services import hazard_report_progress

        hazard = kit.card(S.RECTIFYING)
        first, second = Hazard.objects.get(pk=hazard.pk), Hazard.objects.get(pk=hazard.pk)
        hazard_report_progress(actor=kit.district.eve, hazard=first, text="已拆除一半")
        hazard_report_progress(actor=kit.district.eve, hazard=second, text="已全部拆除")
        hazard.refresh_from_db()
        assert hazard.status == S.RECTIFYING and hazard.version == first.version + 1
        texts = list(
            hazard.events.filter(action="report_progress").values_list("comment", flat=True)
        )
        assert sorted(texts) == ["已全部拆除", "已拆除一半"]

    def test_it_answers_a_lost_race_on_the_page_with_409(self, kit, login, monkeypatch):
        hazard = kit.card(S.ACCEPTANCE_PENDING)
        from hazardledger.hazards import selectors

        real = selectors.hazard_get_for_user_or_404

        def stale(user, pk):
            card = real(user, pk)
            Hazard.objects.filter(pk=pk).update(version=card.version + 1)  # someone else won
            return card

        monkeypatch.setattr(selectors, "hazard_get_for_user_or_404", stale)
        response = login(kit.district.tom).post(
            reverse("hazards:action", args=[hazard.pk, "accept"]), {"opinion": "合格"}
        )
        assert response.status_code == 409 and "已被他人处理" in response.content.decode()
        hazard.refresh_from_db()
        assert hazard.status == S.ACCEPTANCE_PENDING


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="real threads need PostgreSQL")
@pytest.mark.django_db(transaction=True)
class ThreadedConcurrencyTestCase:
    def test_it_lets_one_of_two_threads_win(self, district):
        from hazardledger.hazards.tests.conftest import Kit

        kit = Kit(district)
        hazard = kit.card(S.ACCEPTANCE_PENDING)
        barrier = threading.Barrier(2)
        results: list[str] = []

        def accept(user):
            try:
                card = Hazard.objects.get(pk=hazard.pk)
                barrier.wait(timeout=10)
                hazard_accept(actor=user, hazard=card)
                results.append("won")
            except ConcurrentChange:
                results.append("lost")
            finally:
                connections.close_all()

        threads = [
            threading.Thread(target=accept, args=(u,)) for u in (district.tom, district.dora)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        assert sorted(results) == ["lost", "won"]
        assert Hazard.objects.get(pk=hazard.pk).events.filter(action="accept").count() == 1


assert connection  # imported for the skipif condition string


class SelfInspectionTestCase:
    def test_it_lets_an_enterprise_register_its_own_findings_only(self, kit, login):
        eve = login(kit.district.eve)
        hazard = register(eve, kit.ent_a, source="tipoff")
        assert hazard.source == "self_inspection" and hazard.registered_by == kit.district.eve
        response = eve.post(reverse("hazards:create"), {"enterprise": kit.ent_b.pk})
        assert "enterprise" in response.context["form"].errors
