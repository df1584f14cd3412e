"""The inspections API: campaigns, coverage, checklists, inspections with items, hazard cards."""

from __future__ import annotations

import uuid

import pytest
from django.utils import timezone

from hazardledger.hazards.models import Hazard
from hazardledger.inspections.models import Inspection

from .conftest import days_ago
from .test_coverage import make_campaign

BASE = "/api/v1/inspections"


def body(kit, enterprise, *, key=None, fail=0, **overrides):
    version = kit.version()
    items = [
        {
            "checklist_item_id": ci.pk,
            "result": "fail" if i < fail else "pass",
            "note": "安全出口锁闭" if i < fail else "",
            "location": "二楼" if i < fail else "",
        }
        for i, ci in enumerate(version.items.all())
    ]
    data = {
        "submission_key": str(key or uuid.uuid4()),
        "kind": "government",
        "enterprise_id": enterprise.pk,
        "checklist_version_id": version.pk,
        "inspected_on": timezone.localdate().isoformat(),
        "lead_id": kit.d.tom.pk,
        "inspector_ids": [kit.d.nobody_official.pk],
        "items": items,
    }
    data.update(overrides)
    return data


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


class ApiReadTestCase:
    def test_it_requires_login(self, kit, client):
        for path in [
            "/campaigns",
            "/campaigns/1",
            "/campaigns/1/coverage",
            "/checklists",
            "/",
            "/1",
        ]:
            assert client.get(BASE + path).status_code == 401, path
        assert post(client, BASE + "/", {}).status_code == 401

    def test_it_lists_campaigns_and_coverage(self, kit, client_for):
        campaign = make_campaign(kit)
        kit.inspect(kit.a_build, campaign=campaign, fail=1)
        client = client_for(kit.d.tom)
        assert [c["id"] for c in client.get(BASE + "/campaigns").json()] == [campaign.pk]
        data = client.get(f"{BASE}/campaigns/{campaign.pk}/coverage").json()
        assert data["total"]["in_scope"] == 1 and data["total"]["inspected"] == 1
        assert data["total"]["with_hazards"] == 1 and data["total"]["rate"] == 100.0
        assert data["by_territory"][0]["name"] == "甲镇"
        everyone = client_for(kit.d.alice).get(f"{BASE}/campaigns/{campaign.pk}/coverage").json()
        assert (everyone["total"]["in_scope"], everyone["total"]["not_inspected"]) == (2, 1)
        assert [row["name"] for row in everyone["by_territory"]] == ["甲镇", "乙街道"]
        assert everyone["leaders"][0]["name"] == "Leo"

    def test_it_answers_404_and_403(self, kit, client_for):
        campaign = make_campaign(kit, territories=[kit.d.town_a])
        inspection = kit.inspect(kit.a_build)
        tina = client_for(kit.d.tina)
        assert tina.get(f"{BASE}/campaigns/{campaign.pk}").status_code == 404
        assert tina.get(f"{BASE}/campaigns/{campaign.pk}/coverage").status_code == 404
        assert tina.get(f"{BASE}/{inspection.pk}").status_code == 404
        assert tina.get(f"{BASE}/999999").status_code == 404
        eve = client_for(kit.d.eve)
        assert eve.get(BASE + "/campaigns").status_code == 403
        assert eve.get(f"{BASE}/{inspection.pk}").status_code == 200
        assert client_for(kit.d.xena).get(BASE + "/").status_code == 403

    def test_it_serves_checklists_with_items(self, kit, client_for):
        data = client_for(kit.d.tom).get(BASE + "/checklists").json()
        general = next(v for v in data if v["checklist_code"] == "general")
        assert general["status"] == "live" and len(general["items"]) == kit.version().items.count()
        assert {i["category"] for i in general["items"]} == {"basic_management", "site_management"}

    def test_it_declares_every_error_response(self, kit, client):
        paths = client.get("/api/v1/openapi.json").json()["paths"]
        ours = {p: ops for p, ops in paths.items() if p.startswith(BASE)}
        assert len(ours) == 8
        for path, operations in ours.items():
            for method, operation in operations.items():
                codes = set(operation["responses"])
                assert {"401", "403", "404", "422"} <= codes, (path, method)
                if method == "post":
                    assert "409" in codes, path


class ApiWriteTestCase:
    def test_it_creates_an_inspection_once(self, kit, client_for):
        client = client_for(kit.d.tom)
        data = body(kit, kit.a_build, fail=1)
        first = post(client, BASE + "/", data)
        assert first.status_code == 201, first.json()
        again = post(client, BASE + "/", data)
        assert again.status_code == 200
        assert first.json()["id"] == again.json()["id"]
        assert Inspection.objects.count() == 1
        created = first.json()
        assert [i["result"] for i in created["items"]].count("fail") == 1
        assert sorted(created["inspector_ids"]) == sorted([kit.d.tom.pk, kit.d.nobody_official.pk])

    def test_it_answers_422_with_field_errors(self, kit, client_for):
        client = client_for(kit.d.tom)
        data = body(kit, kit.a_build, inspector_ids=[], kind="bogus")
        data["items"] = data["items"][1:]
        response = post(client, BASE + "/", data)
        errors = response.json()["errors"]
        assert response.status_code == 422
        assert "kind" in errors and any(k.startswith("items.") for k in errors)
        unknown = post(
            client, BASE + "/", body(kit, kit.a_build, enterprise_id=999999, inspector_ids=[888888])
        )
        assert unknown.status_code == 422
        assert set(unknown.json()["errors"]) == {"enterprise_id", "inspector_ids"}
        for broken in [{"inspected_on": "yesterday"}, {"submission_key": "x"}, {"items": "x"}]:
            assert post(client, BASE + "/", body(kit, kit.a_build, **broken)).status_code == 422
        assert client.post(
            BASE + "/", "{not json", content_type="application/json"
        ).status_code in (400, 422)
        twice = body(kit, kit.a_build)
        twice["items"].append(twice["items"][0])
        assert post(client, BASE + "/", twice).status_code == 422
        assert not Inspection.objects.exists()

    def test_it_answers_403_for_roles_and_enterprises_out_of_reach(self, kit, client_for):
        assert (
            post(
                client_for(kit.d.sam), BASE + "/", body(kit, kit.a_build, lead_id=kit.d.sam.pk)
            ).status_code
            == 403
        )
        assert post(client_for(kit.d.xena), BASE + "/", body(kit, kit.a_build)).status_code == 403
        # Out of scope for Tom: indistinguishable from a missing enterprise.
        response = post(client_for(kit.d.tom), BASE + "/", body(kit, kit.b_build))
        assert response.status_code == 422 and "enterprise_id" in response.json()["errors"]
        assert not Inspection.objects.exists()

    def test_it_answers_409_for_someone_elses_submission_key(self, kit, client_for):
        key = uuid.uuid4()
        kit.inspect(kit.a_build, key=key)
        response = post(
            client_for(kit.d.dora),
            BASE + "/",
            body(kit, kit.a_build, key=key, lead_id=kit.d.dora.pk),
        )
        assert response.status_code == 409

    def test_it_raises_a_hazard_card_from_a_failed_item(self, kit, client_for):
        inspection = kit.inspect(kit.a_build, fail=1, on=days_ago(1))
        failed = inspection.items.get(result="fail")
        passed = inspection.items.filter(result="pass").first()
        client = client_for(kit.d.tom)
        url = f"{BASE}/{inspection.pk}/items/{failed.pk}/hazard"
        assert post(client, url, {"level": "major"}).status_code == 422
        response = post(client, url, {"location": "二号仓库"})
        assert response.status_code == 201, response.json()
        hazard = Hazard.objects.get(pk=response.json()["hazard_id"])
        assert hazard.location == "二号仓库" and hazard.inspection_item.pk == failed.pk
        assert post(client, url, {}).status_code == 409
        assert (
            post(client, f"{BASE}/{inspection.pk}/items/{passed.pk}/hazard", {}).status_code == 409
        )
        assert post(client_for(kit.d.alice), url, {}).status_code == 403
        assert post(client_for(kit.d.tina), url, {}).status_code == 404
        detail = client_for(kit.d.tom).get(f"{BASE}/{inspection.pk}").json()
        linked = next(i for i in detail["items"] if i["id"] == failed.pk)
        assert linked["hazard_card_no"] == hazard.card_no


@pytest.mark.parametrize("limit", ["0", "100000", "-5"])
def test_it_clamps_paging(kit, client_for, limit):
    response = client_for(kit.d.alice).get(f"{BASE}/?limit={limit}&offset=-1")
    assert response.status_code == 200
