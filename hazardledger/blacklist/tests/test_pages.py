"""The officials' pages: login, 404 outside the scope, 403 without the role, forms."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from hazardledger.audit.models import AuditEvent
from hazardledger.blacklist.models import Entry, EntryStatus, PartnerNotice

S = EntryStatus
pytestmark = pytest.mark.django_db


class PagesTestCase:
    def test_it_sends_anonymous_people_to_login(self, kit, client):
        entry = kit.entry()
        for path in ("/blacklist/", "/blacklist/new/", f"/blacklist/{entry.pk}/"):
            response = client.get(path)
            assert response.status_code == 302 and "/login/" in response["Location"], path

    def test_it_answers_404_outside_the_jurisdiction(self, kit, client_for, district):
        entry = kit.entry(enterprise=kit.ent_b)
        client = client_for(district.tom)
        assert client.get(f"/blacklist/{entry.pk}/").status_code == 404
        assert client.get(f"/blacklist/{entry.pk}/act/notify/").status_code == 404
        assert client.get("/blacklist/999999999999999999999/").status_code == 404

    def test_it_answers_403_without_the_role(self, kit, client_for, district):
        entry = kit.entry(S.NOTIFIED)
        assert client_for(district.xena).get("/blacklist/").status_code == 403
        assert client_for(district.carl).get("/blacklist/new/").status_code == 403
        assert (
            client_for(district.tom).get(f"/blacklist/{entry.pk}/act/approve/").status_code == 403
        )

    def test_a_town_officer_proposes_for_an_enterprise_of_the_town(self, kit, client_for, district):
        client = client_for(district.tom)
        response = client.post(
            "/blacklist/new/",
            {
                "enterprise": kit.ent_a.credit_code,
                "grounds": "拒不整改重大隐患",
                "legal_basis": "令11号",
                "restrictions": ["bank_loans"],
            },
        )
        entry = Entry.objects.get()
        assert response.status_code == 302 and response["Location"] == f"/blacklist/{entry.pk}/"
        assert entry.proposed_by == district.tom and entry.proposing_unit == district.town_a

    def test_it_refuses_an_enterprise_of_another_town_in_place(self, kit, client_for, district):
        response = client_for(district.tom).post(
            "/blacklist/new/",
            {"enterprise": kit.ent_b.credit_code, "grounds": "x", "legal_basis": "y",
             "restrictions": ["bank_loans"]},
        )  # fmt: skip
        assert response.status_code == 400
        assert "管辖范围内没有" in response.content.decode()
        assert not Entry.objects.exists()

    def test_the_detail_page_offers_the_actions_of_the_state(self, kit, client_for, district):
        entry = kit.entry(S.NOTIFIED)
        html = client_for(district.leo).get(f"/blacklist/{entry.pk}/").content.decode()
        assert f"/blacklist/{entry.pk}/act/approve/" in html

    def test_an_action_form_approves_and_a_guard_answers_in_place(self, kit, client_for, district):
        entry = kit.entry(S.NOTIFIED)
        client = client_for(district.leo)
        empty = client.post(f"/blacklist/{entry.pk}/act/approve/", {})
        assert empty.status_code == 400
        done = client.post(
            f"/blacklist/{entry.pk}/act/approve/", {"decision_no": "周应急〔2026〕3号"}
        )
        assert done.status_code == 302
        entry.refresh_from_db()
        assert entry.status == S.APPROVED and entry.listed_on == timezone.localdate()
        again = client.post(f"/blacklist/{entry.pk}/act/approve/", {"decision_no": "x"})
        assert again.status_code == 409

    def test_a_window_not_yet_over_is_answered_422(self, kit, client_for, district):
        entry = kit.entry(S.NOTIFIED, objection_deadline=timezone.localdate() + timedelta(days=2))
        response = client_for(district.leo).post(
            f"/blacklist/{entry.pk}/act/approve/", {"decision_no": "1号"}
        )
        assert response.status_code == 422 and "陈述申辩期" in response.content.decode()

    def test_it_records_a_partner_notice(self, kit, client_for, district):
        entry = kit.entry(S.PUBLISHED)
        client = client_for(district.alice)
        response = client.post(
            f"/blacklist/{entry.pk}/partners/",
            {"kind": "bank", "recipient": "人民银行周村支行", "channel": "document",
             "sent_on": timezone.localdate().isoformat()},
        )  # fmt: skip
        assert response.status_code == 302
        notice = PartnerNotice.objects.get()
        assert notice.recipient == "人民银行周村支行" and notice.recorded_by == district.alice
        assert AuditEvent.objects.filter(action="blacklist.partner_notice").count() == 1
        bad = client.post(
            f"/blacklist/{entry.pk}/partners/",
            {"kind": "bank", "recipient": "x", "channel": "document", "sent_on": "2026-02-30"},
        )
        assert bad.status_code == 422 and PartnerNotice.objects.count() == 1

    def test_the_list_exports_to_excel(self, kit, client_for, district):
        kit.entry(S.PUBLISHED, grounds="=HYPERLINK(1)")
        response = client_for(district.alice).get("/blacklist/export.xlsx")
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.values)
        assert rows[0][1] == "企业名称" and rows[1][1] == "甲镇建筑公司"
        assert not str(rows[1][4]).startswith("=")

    def test_the_enterprise_user_sees_its_own_entries_only(self, kit, client_for, district):
        own = kit.entry(S.PUBLISHED)
        other = kit.entry(S.PUBLISHED, enterprise=kit.ent_b)
        client = client_for(district.eve)
        html = client.get("/blacklist/").content.decode()
        assert f"/blacklist/{own.pk}/" in html and f"/blacklist/{other.pk}/" not in html
        assert client.get(f"/blacklist/{other.pk}/").status_code == 404

    def test_the_workflow_page_lists_every_transition(self, kit, client_for, district):
        from hazardledger.blacklist.workflow import TRANSITIONS

        html = client_for(district.tom).get("/blacklist/workflow/").content.decode()
        assert html.count("<tr><td>") >= len(TRANSITIONS)
        assert "系统（每日任务）" in html

    def test_the_check_log_page_shows_who_asked(self, kit, client_for, district):
        client_for(district.dora).get(
            "/api/v1/blacklist/check", {"credit_code": kit.ent_a.credit_code}
        )
        html = client_for(district.alice).get("/blacklist/checks/").content.decode()
        assert "Dora" in html and kit.ent_a.credit_code in html
