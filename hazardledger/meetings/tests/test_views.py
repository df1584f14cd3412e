"""Pages: login, scope (404), role (403), recording a meeting and an item through the forms,
bad input answered field by field with nothing changed, the compliance table."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from hazardledger.meetings.models import Decision, FollowUpItem, Meeting

from .conftest import at


def _form(district, **overrides):
    data = {
        "convener": district.town_a.pk,
        "kind": "regular",
        "held_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "place": "甲镇会议室",
        "chair": "镇长",
        "units_present": [district.town_a.pk, district.dept_a.pk],
        "units_absent": [district.dept_b.pk],
        "people_present": [district.tom.pk, district.dora.pk],
        "problems": "临边防护不到位",
        "decisions": "住建局开展专项检查\n甲镇组织复查\n",
        "submission_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


class PagesTestCase:
    @pytest.mark.parametrize(
        "url", ["/meetings/", "/meetings/new/", "/meetings/items/", "/meetings/compliance/"]
    )
    def test_it_sends_anonymous_visitors_to_login(self, client, url):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]

    def test_it_refuses_roles_without_meetings(self, district, client_for, weekly):
        for user in (district.eve, district.xena, district.hank, district.nobody):
            assert client_for(user).get("/meetings/").status_code == 403
        assert client_for(district.dora).get("/meetings/new/").status_code == 403

    def test_it_lists_pages_for_readers(self, district, client_for, weekly):
        for url in [
            "/meetings/",
            "/meetings/items/",
            "/meetings/compliance/",
            "/meetings/workflow/",
        ]:
            assert client_for(district.leo).get(url).status_code == 200

    def test_it_hides_another_towns_meeting(self, district, rec, client_for, weekly):
        meeting = rec.meeting(district.town_a, timezone.localdate() - timedelta(days=1))
        assert client_for(district.tina).get(f"/meetings/{meeting.pk}/").status_code == 404
        assert client_for(district.dora).get(f"/meetings/{meeting.pk}/").status_code == 200
        assert client_for(district.tina).get("/meetings/999999999999/").status_code == 404


class RecordTestCase:
    def test_it_records_a_meeting_with_decisions(self, district, client_for, weekly):
        response = client_for(district.tom).post("/meetings/new/", _form(district))
        meeting = Meeting.objects.get()
        assert response.status_code == 302 and response["Location"] == f"/meetings/{meeting.pk}/"
        assert [d.text for d in meeting.decisions.all()] == ["住建局开展专项检查", "甲镇组织复查"]
        assert set(meeting.units_absent.all()) == {district.dept_b}
        page = client_for(district.tom).get(f"/meetings/{meeting.pk}/").content.decode()
        assert "下达督办事项" in page and "甲镇组织复查" in page

    def test_a_resubmitted_form_records_once(self, district, client_for, weekly):
        data = _form(district)
        first = client_for(district.tom).post("/meetings/new/", data)
        second = client_for(district.tom).post("/meetings/new/", data)
        assert Meeting.objects.count() == 1
        assert first["Location"] == second["Location"]

    def test_it_refuses_another_units_convener(self, district, client_for, weekly):
        response = client_for(district.tom).post(
            "/meetings/new/", _form(district, convener=district.town_b.pk)
        )
        assert response.status_code == 200 and "convener" in response.context["form"].errors
        assert not Meeting.objects.exists()

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("held_on", "2026-02-30"),
            ("held_on", "2999-01-01"),
            ("held_on", "１２３"),
            ("problems", "a\x00b"),
            ("problems", "长" * 5001),
            ("place", "x" * 10_000),
            ("units_present", ["10" + "0" * 30]),
            ("units_present", ["abc"]),
            ("convener", "1" + "0" * 30),
            ("submission_key", "not-a-uuid"),
        ],
    )
    def test_it_answers_bad_input_in_place(self, district, client_for, weekly, field, value):
        response = client_for(district.tom).post(
            "/meetings/new/", _form(district, **{field: value})
        )
        assert response.status_code == 200
        assert response.context["form"].errors
        assert not Meeting.objects.exists()

    def test_it_requires_another_unit_at_a_joint_meeting(self, district, client_for, weekly):
        response = client_for(district.tom).post(
            "/meetings/new/", _form(district, units_present=[district.town_a.pk])
        )
        assert "召集单位以外" in str(response.context["form"].errors["units_present"])
        assert not Meeting.objects.exists()


class ItemPagesTestCase:
    def _meeting(self, district, client_for):
        client_for(district.tom).post("/meetings/new/", _form(district))
        return Meeting.objects.get()

    def test_it_creates_an_item_and_closes_it_with_evidence(self, district, client_for, weekly):
        meeting = self._meeting(district, client_for)
        decision = Decision.objects.get(meeting=meeting, seq=1)
        response = client_for(district.tom).post(
            f"/meetings/{meeting.pk}/items/new/",
            {
                "decision": decision.pk,
                "title": "专项检查临边防护",
                "owner_unit": district.dept_a.pk,
                "owner_person": district.dora.pk,
                "due_on": (timezone.localdate() + timedelta(days=10)).isoformat(),
            },
        )
        item = FollowUpItem.objects.get()
        assert response["Location"] == f"/meetings/items/{item.pk}/"
        client = client_for(district.dora)
        assert "办结" in client.get(f"/meetings/items/{item.pk}/").content.decode()
        refused = client.post(f"/meetings/items/{item.pk}/close/", {"evidence": ""})
        assert refused.status_code == 422
        done = client.post(f"/meetings/items/{item.pk}/close/", {"evidence": "已查 12 处"})
        assert done.status_code == 302
        item.refresh_from_db()
        assert item.status == "closed"
        again = client.post(f"/meetings/items/{item.pk}/close/", {"evidence": "再办一次"})
        assert again.status_code == 409

    def test_it_refuses_items_from_outside_the_convener(self, district, client_for, weekly):
        meeting = self._meeting(district, client_for)
        assert (
            client_for(district.carl).post(f"/meetings/{meeting.pk}/items/new/").status_code == 404
        )
        assert (
            client_for(district.dora).post(f"/meetings/{meeting.pk}/items/new/").status_code == 403
        )

    def test_it_answers_a_bad_item_in_place(self, district, client_for, weekly):
        meeting = self._meeting(district, client_for)
        response = client_for(district.tom).post(
            f"/meetings/{meeting.pk}/items/new/",
            {
                "decision": Decision.objects.filter(meeting=meeting).first().pk,
                "title": "x",
                "owner_unit": district.dept_a.pk,
                "owner_person": district.tina.pk,
                "due_on": "2026-02-30",
                "hazard_numbers": "NO-SUCH-CARD",
            },
        )
        assert response.status_code == 200
        assert set(response.context["form"].errors) >= {"due_on"}
        assert not FollowUpItem.objects.exists()


class CompliancePageTestCase:
    def test_it_shows_weeks_units_and_who_is_behind(self, district, rec, client_for, weekly):
        rec.meeting(district.town_a, date(2014, 9, 3))
        rec.meeting(district.town_a, date(2014, 9, 17), entered_on=date(2014, 9, 25))
        with time_machine.travel(at(date(2014, 10, 10)), tick=False):
            page = client_for(district.alice).get("/meetings/compliance/")
        html = page.content.decode()
        assert page.status_code == 200
        assert "2014-W36" in html and "2014-W40" in html
        assert "已召开（补录）" in html and "未召开" in html
        summary = html[html.index('id="summary"') : html.index('id="table"')]
        assert "建筑施工专委会（缺 5 次）" in summary and "甲镇（缺 3 次）" in summary

    def test_it_answers_a_bad_range_without_failing(self, district, client_for, weekly):
        client = client_for(district.alice)
        for query in ["?start=2026-02-30", "?start=2014-09-30&end=2014-09-01", "?end=x\x00"]:
            assert client.get("/meetings/compliance/" + query).status_code == 200
