"""The hazard API: same scope, permissions and messages as the pages."""

from __future__ import annotations

import json
from datetime import datetime

from django.utils import timezone

from hazardledger.hazards.models import Hazard, HazardStatus
from hazardledger.hazards.tests.conftest import complete_plan, photo
from hazardledger.hazards.workflow import ACTIONS

S = HazardStatus
BASE = "/api/v1/hazards/"


def post(client, url, body):
    return client.post(url, json.dumps(body, default=str), content_type="application/json")


class ApiTestCase:
    def test_it_requires_login(self, client):
        assert client.get(BASE).status_code == 401

    def test_it_lists_with_filters_cursor_and_counts(self, kit, login):
        for _ in range(3):
            kit.card()
        kit.card(S.RECTIFYING, level="major")
        kit.card(enterprise=kit.ent_b)
        client = login(kit.district.tom)
        page = client.get(BASE, {"size": 2}).json()
        assert len(page["items"]) == 2 and page["next_cursor"]
        assert page["counts"]["registered"] == 3 and page["counts"]["rectifying"] == 1
        taken = datetime.fromisoformat(page["counts_as_of"])
        assert abs((timezone.now() - taken).total_seconds()) < 60
        rest = client.get(BASE, {"size": 2, "after": page["next_cursor"]}).json()
        assert len(rest["items"]) == 2
        major = client.get(BASE, {"level": "major"}).json()["items"]
        assert [h["level"] for h in major] == ["major"]
        assert client.get(BASE, {"level": "huge"}).status_code == 422
        assert client.get(BASE, {"found_from": "2026-02-30"}).status_code == 422

    def test_it_answers_404_outside_scope_and_shows_history(self, kit, login):
        other = kit.card(enterprise=kit.ent_b)
        mine = kit.card()
        client = login(kit.district.tom)
        assert client.get(f"{BASE}{other.pk}").status_code == 404
        body = client.get(f"{BASE}{mine.pk}").json()
        assert body["card_no"] == mine.card_no and body["history"] == []
        assert body["missing_plan_items"][0] == "整改责任人"

    def test_it_creates_with_field_errors_in_chinese(self, kit, login):
        client = login(kit.district.tom)
        bad = post(client, BASE, {"enterprise_id": kit.ent_a.pk, "level": "major"})
        assert bad.status_code == 422
        good = {
            "enterprise_id": kit.ent_a.pk,
            "location": "库房",
            "description": "堵塞",
            "category": "site_management",
            "nature": "thing",
            "level": "major",
            "source": "government_inspection",
            "found_by": "甲",
            "found_on": timezone.localdate().isoformat(),
        }
        response = post(client, BASE, good)
        assert response.status_code == 422
        assert response.json()["errors"]["criteria_standard"] == "重大事故隐患须注明判定标准"
        assert post(client, BASE, good | {"enterprise_id": kit.ent_b.pk}).status_code == 404
        assert Hazard.objects.count() == 0
        ok = post(client, BASE, good | {"level": "general"})
        assert ok.status_code == 201 and ok.json()["status"] == "registered"

    def test_it_has_one_endpoint_per_transition(self, client):
        paths = client.get("/api/v1/openapi.json").json()["paths"]
        for action in ACTIONS:
            path = f"{BASE}{{hazard_id}}/{action.replace('_', '-')}"
            operation = paths[path]["post"]
            assert {"200", "401", "403", "404", "409", "422"} <= set(operation["responses"])

    def test_it_runs_the_loop_with_the_pages_rules(self, kit, login):
        d = kit.district
        card = kit.card(S.CONFIRMED, responsible_person="", funds_yuan=None)
        eve, tom = login(d.eve), login(d.tom)
        url = f"{BASE}{card.pk}/"
        assert post(tom, url + "submit-plan", {}).status_code == 403
        refused = post(eve, url + "submit-plan", {})
        assert refused.status_code == 422
        assert refused.json()["detail"] == "五落实不完整，缺少：整改责任人、整改资金"
        plan = complete_plan() | {"deadline": complete_plan()["deadline"].isoformat()}
        assert post(eve, url + "submit-plan", plan).json()["status"] == "rectifying"
        assert post(eve, url + "mark-rectified", {"note": "好"}).status_code == 422
        upload = eve.post(url + "files", {"kind": "after_photo", "file": photo()})
        assert upload.status_code == 201 and len(upload.json()["sha256"]) == 64
        bad = eve.post(url + "files", {"kind": "after_photo", "file": photo("x.png", b"no")})
        assert bad.status_code == 422 and "不是有效的图片文件" in bad.json()["detail"]
        assert post(eve, url + "mark-rectified", {"note": "好"}).status_code == 200
        assert post(eve, url + "apply-acceptance", {}).json()["status"] == "acceptance_pending"
        assert post(tom, url + "accept", {}).json()["status"] == "closed"
        again = post(tom, url + "accept", {})
        assert again.status_code == 409 and "不能执行" in again.json()["detail"]

    def test_it_refuses_a_transfer_to_a_non_department(self, kit, login):
        card = kit.card()
        response = post(
            login(kit.district.tom),
            f"{BASE}{card.pk}/transfer",
            {"department_id": kit.district.town_b.pk, "reason": "x"},
        )
        assert response.status_code == 422
        assert response.json()["errors"]["department"] == "请选择接收抄告的主管部门"
