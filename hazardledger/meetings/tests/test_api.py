"""The meetings API: scope, roles, every error answered with a Chinese message, the
compliance figures the page shows."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.utils import timezone

from hazardledger.meetings.models import FollowUpItem, Meeting

API = "/api/v1/meetings"


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def _meeting_body(district, **overrides):
    body = {
        "convener_id": district.town_a.pk,
        "held_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "units_present": [district.town_a.pk, district.dept_a.pk],
        "problems": "临边防护不到位",
        "decisions": ["住建局开展专项检查"],
        "submission_key": "k-1",
    }
    body.update(overrides)
    return body


class MeetingsApiTestCase:
    def test_it_needs_a_login(self, client, db):
        response = client.get(API + "/")
        assert response.status_code == 401 and response.json()["detail"] == "未登录或登录已过期"

    def test_it_records_and_reads_a_meeting(self, district, client_for, weekly):
        client = client_for(district.tom)
        created = post(client, API + "/", _meeting_body(district))
        assert created.status_code == 201, created.content
        body = created.json()
        assert body["decisions"][0]["text"] == "住建局开展专项检查"
        assert post(client, API + "/", _meeting_body(district)).status_code == 409
        assert Meeting.objects.count() == 1
        assert client.get(f"{API}/{body['id']}").status_code == 200
        tina = client_for(district.tina)
        assert tina.get(f"{API}/{body['id']}").status_code == 404
        assert tina.get(API + "/").json() == []

    @pytest.mark.parametrize(
        "change",
        [
            {"held_on": "2026-02-30"},
            {"held_on": "2999-01-01"},
            {"convener_id": 10**30},
            {"units_present": [10**30]},
            {"units_present": []},
            {"problems": "x" * 6000},
            {"problems": "\x00"},
            {"kind": "weekly"},
            {"submission_key": "空 格"},
        ],
    )
    def test_it_answers_bad_input_with_422(self, district, client_for, weekly, change):
        response = post(client_for(district.tom), API + "/", _meeting_body(district, **change))
        assert response.status_code == 422, response.content
        assert response.json()["detail"]
        assert not Meeting.objects.exists()

    def test_it_answers_403_to_a_role_that_records_nothing(self, district, client_for, weekly):
        assert (
            post(client_for(district.dora), API + "/", _meeting_body(district)).status_code == 403
        )
        assert client_for(district.eve).get(API + "/").status_code == 403
        other = _meeting_body(district, convener_id=district.town_b.pk)
        assert post(client_for(district.tom), API + "/", other).status_code == 403


class ItemsApiTestCase:
    def _item(self, district, client_for):
        client = client_for(district.tom)
        meeting = post(client, API + "/", _meeting_body(district)).json()
        created = post(
            client,
            API + "/items",
            {
                "decision_id": meeting["decisions"][0]["id"],
                "title": "专项检查",
                "owner_unit_id": district.dept_a.pk,
                "owner_person_id": district.dora.pk,
                "due_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
            },
        )
        assert created.status_code == 201, created.content
        return created.json()

    def test_it_creates_closes_and_reopens(self, district, client_for, weekly):
        item = self._item(district, client_for)
        dora = client_for(district.dora)
        assert [i["id"] for i in dora.get(API + "/items?mine=true").json()] == [item["id"]]
        assert post(dora, f"{API}/items/{item['id']}/close", {"evidence": ""}).status_code == 422
        closed = post(dora, f"{API}/items/{item['id']}/close", {"evidence": "已查"})
        assert closed.status_code == 200 and closed.json()["status"] == "closed"
        assert (
            post(dora, f"{API}/items/{item['id']}/close", {"evidence": "又查"}).status_code == 409
        )
        assert post(dora, f"{API}/items/{item['id']}/reopen", {"reason": "不实"}).status_code == 403
        tom = client_for(district.tom)
        assert post(tom, f"{API}/items/{item['id']}/reopen", {"reason": "不实"}).status_code == 200

    def test_it_hides_items_from_others(self, district, client_for, weekly):
        item = self._item(district, client_for)
        tina = client_for(district.tina)
        assert tina.get(f"{API}/items/{item['id']}").status_code == 404
        assert post(tina, f"{API}/items/{item['id']}/close", {"evidence": "x"}).status_code == 404
        assert tina.get(f"{API}/items/{10**30}").status_code in (404, 422)

    def test_it_lists_overdue_items(self, district, client_for, weekly):
        item = self._item(district, client_for)
        FollowUpItem.objects.filter(pk=item["id"]).update(due_on=date(2000, 1, 1))
        rows = client_for(district.alice).get(API + "/items?overdue=true").json()
        assert [r["id"] for r in rows] == [item["id"]] and rows[0]["overdue"]


class ComplianceApiTestCase:
    def test_it_gives_the_figures_of_the_table(self, district, rec, client_for, weekly):
        rec.meeting(district.town_a, date(2014, 9, 3))
        response = client_for(district.alice).get(
            API + "/compliance?start=2014-09-01&end=2014-09-30"
        )
        assert response.status_code == 200
        body = response.json()
        assert [r["iso_week"] for r in body["rows"]] == [f"2014-W{w}" for w in range(36, 41)]
        town = next(t for t in body["totals"] if t["unit"] == "甲镇")
        assert (town["held"], town["missed"], town["required"]) == (1, 4, 5)
        assert body["behind"][0] == "建筑施工专委会"
        assert body["district"][0]["min_meetings"] == 2

    def test_it_refuses_a_bad_range(self, district, client_for, weekly):
        client = client_for(district.alice)
        assert client.get(API + "/compliance?start=2014-09-30&end=2014-09-01").status_code == 422
        assert client.get(API + "/compliance?start=2026-02-30").status_code == 422
