"""Pages: login, scope (404 outside, 403 without the role), forms with Chinese messages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hazardledger.enforcement.models import Case, CaseKind, CaseStatus, Document
from hazardledger.enforcement.services import case_perform
from hazardledger.enterprises.models import OperatingStatus


class ScopeTestCase:
    def test_it_asks_anonymous_users_to_log_in(self, kit, client):
        case = kit.case(CaseKind.SUSPENSION)
        for url in (
            reverse("enforcement:cases"),
            reverse("enforcement:detail", args=[case.pk]),
            reverse("enforcement:worklist"),
        ):
            response = client.get(url)
            assert response.status_code == 302 and "/login/" in response["Location"]

    def test_it_shows_each_role_only_its_scope(self, kit, client_for):
        d = kit.district
        mine = kit.case(CaseKind.SUSPENSION)
        other = kit.case(CaseKind.PENALTY, enterprise=kit.ent_b)
        expect = {
            "tom": {mine.pk},
            "tina": {other.pk},
            "dora": {mine.pk},
            "eve": {mine.pk},
            "fred": {mine.pk, other.pk},
            "alice": {mine.pk, other.pk},
            "xena": set(),
            "hank": set(),
        }
        for name, visible in expect.items():
            client = client_for(getattr(d, name))
            for case in (mine, other):
                status = client.get(reverse("enforcement:detail", args=[case.pk])).status_code
                assert status == (200 if case.pk in visible else 404), (name, case.number)
            listed = client.get(reverse("enforcement:cases")).content.decode()
            for case in (mine, other):
                assert (case.number in listed) == (case.pk in visible), (name, case.number)

    def test_it_answers_403_in_scope_without_the_role(self, kit, client_for):
        d = kit.district
        case = kit.case(CaseKind.SUSPENSION)
        client = client_for(d.eve)
        assert (
            client.get(reverse("enforcement:action", args=[case.pk, "decide"])).status_code == 403
        )
        assert client.get(reverse("enforcement:measure_new", args=[case.pk])).status_code == 403
        assert client.get(reverse("enforcement:worklist")).status_code == 403
        assert client_for(d.carl).get(reverse("enforcement:open")).status_code == 403

    def test_it_answers_409_for_an_action_not_in_the_state(self, kit, client_for):
        case = kit.case(CaseKind.SUSPENSION, CaseStatus.OPENED)
        response = client_for(kit.district.fred).get(
            reverse("enforcement:action", args=[case.pk, "lift"])
        )
        assert response.status_code == 409

    def test_an_expert_sees_a_case_only_while_assigned(self, kit, client_for):
        from hazardledger.enforcement.models import Resumption
        from hazardledger.experts.services import expert_assign, expert_release_target

        case = kit.case(CaseKind.SUSPENSION, CaseStatus.RECTIFIED)
        resumption = Resumption.objects.create(case=case, evidence="x")
        client = client_for(kit.district.xena)
        url = reverse("enforcement:detail", args=[case.pk])
        assert client.get(url).status_code == 404
        expert_assign(
            actor=None,
            expert=kit.expert_for(kit.district.xena),
            target=resumption,
            enterprise=kit.ent_a,
        )
        assert client.get(url).status_code == 200
        expert_release_target(actor=None, target=resumption)
        assert client.get(url).status_code == 404


class FormsTestCase:
    def test_it_opens_a_case_and_refuses_bad_input_in_chinese(self, kit, client_for):
        client = client_for(kit.district.tom)
        url = reverse("enforcement:open")
        bad = client.post(url, {"kind": "suspension", "enterprise": kit.ent_a.pk, "facts": "a\x00"})
        assert bad.status_code == 400
        assert "无效字符" in bad.content.decode()
        huge = client.post(url, {"kind": "suspension", "enterprise": "9" * 40, "facts": "x"})
        assert huge.status_code == 400
        assert Case.objects.count() == 0
        ok = client.post(url, {"kind": "suspension", "enterprise": kit.ent_a.pk, "facts": "隐患"})
        assert ok.status_code == 302
        case = Case.objects.get()
        assert case.territory == kit.district.town_a

    def test_it_cannot_open_against_an_enterprise_outside_scope(self, kit, client_for):
        client = client_for(kit.district.tom)
        response = client.post(
            reverse("enforcement:open"),
            {"kind": "suspension", "enterprise": kit.ent_b.pk, "facts": "x"},
        )
        assert response.status_code == 400  # not among the choices
        assert Case.objects.count() == 0

    def test_it_walks_a_decision_and_shows_the_status_and_documents(self, kit, client_for):
        client = client_for(kit.district.fred)
        case = kit.case(CaseKind.SUSPENSION)
        act = lambda a: reverse("enforcement:action", args=[case.pk, a])  # noqa: E731
        assert client.post(act("decide"), {"legal_basis": ""}).status_code == 400
        assert (
            client.post(act("decide"), {"legal_basis": "安全生产法第六十五条"}).status_code == 302
        )
        assert (
            client.post(act("serve"), {"served_to": "李四", "served_how": "直接送达"}).status_code
            == 302
        )
        assert client.post(act("execute"), {}).status_code == 302
        kit.ent_a.refresh_from_db()
        assert kit.ent_a.status == OperatingStatus.SUSPENDED
        page = client.get(reverse("enforcement:detail", args=[case.pk])).content.decode()
        assert "现场处理措施决定书" in page and "直接送达" in page
        doc = Document.objects.get(case=case)
        download = client.get(reverse("enforcement:document", args=[doc.pk]))
        assert download.status_code == 200
        assert b"".join(download.streaming_content)[:2] == b"PK"
        assert (
            client_for(kit.district.tina)
            .get(reverse("enforcement:document", args=[doc.pk]))
            .status_code
            == 404
        )

    def test_the_penalty_form_defaults_to_the_upper_limit(self, kit, client_for):
        client = client_for(kit.district.fred)
        case = kit.case(CaseKind.PENALTY, CaseStatus.NOTIFIED)
        url = reverse("enforcement:action", args=[case.pk, "decide"])
        lower = client.post(url, {"article": "sl-102", "amount_yuan": "1000"})
        assert lower.status_code == 422
        assert "书面说明理由" in lower.content.decode()
        assert client.post(url, {"article": "sl-102", "amount_yuan": ""}).status_code == 302
        case.refresh_from_db()
        assert case.amount_yuan == 50000 and case.status == CaseStatus.DECIDED

    def test_the_power_cut_page_names_missing_prerequisites(self, kit, client_for):
        from hazardledger.enforcement.measures import measure_plan

        case = kit.case(CaseKind.SUSPENSION, CaseStatus.SERVED)
        measure = measure_plan(actor=kit.district.fred, case=case, kind="cut_power")
        client = client_for(kit.district.fred)
        url = reverse("enforcement:measure", args=[measure.pk, "execute"])
        response = client.post(url, {"executed_by": "王五"})
        assert response.status_code == 422
        body = response.content.decode()
        assert "集体讨论决定" in body and "提前24小时书面通知" in body


class DossierTestCase:
    def test_the_enterprise_page_and_dossier_list_cases_and_measures(self, kit, client_for):
        from hazardledger.enforcement.measures import measure_plan

        case = kit.case(CaseKind.SUSPENSION, CaseStatus.SERVED)
        measure_plan(actor=kit.district.fred, case=case, kind="seal_equipment", items="冲床2台")
        client = client_for(kit.district.tom)
        page = client.get(reverse("enterprises:detail", args=[kit.ent_a.credit_code]))
        body = page.content.decode()
        assert case.number in body and "查封设备" in body
        case_perform(actor=kit.district.tom, case=case, action="execute")
        dossier_url = reverse("enterprises:dossier", args=[kit.ent_a.credit_code])
        dossier = client.get(dossier_url).content.decode()
        assert case.number in dossier and "停产整顿" in dossier

    def test_the_worklist_shows_pending_work(self, kit, client_for):
        case = kit.case(CaseKind.SUSPENSION, CaseStatus.EXECUTED)
        case_perform(actor=kit.district.tom, case=case, action="reinspect_fail", note="未整改")
        body = client_for(kit.district.fred).get(reverse("enforcement:worklist")).content.decode()
        assert case.number in body and "关闭取缔" in body


@pytest.mark.parametrize(
    "name", ["cases", "worklist", "workflow", "structures", "projects", "joint"]
)
def test_the_list_pages_render_for_the_group(kit, client_for, name):
    assert client_for(kit.district.fred).get(reverse(f"enforcement:{name}")).status_code == 200


class QueryCountTestCase:
    def test_list_pages_do_not_grow_with_rows(self, kit, client_for, django_assert_max_num_queries):
        from hazardledger.enforcement.measures import measure_plan

        client = client_for(kit.district.fred)
        for _ in range(3):
            case = kit.case(CaseKind.SUSPENSION, CaseStatus.SERVED)
            measure_plan(actor=kit.district.fred, case=case, kind="seal_equipment", items="x")
        client.get(reverse("enforcement:worklist"))
        with django_assert_max_num_queries(25) as few:
            client.get(reverse("enforcement:cases"))
            client.get(reverse("enforcement:worklist"))
        small = len(few.captured_queries)
        for _ in range(10):
            case = kit.case(CaseKind.SUSPENSION, CaseStatus.SERVED)
            measure_plan(actor=kit.district.fred, case=case, kind="seal_equipment", items="x")
        with django_assert_max_num_queries(small):
            client.get(reverse("enforcement:cases"))
            client.get(reverse("enforcement:worklist"))
