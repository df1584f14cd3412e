"""The JSON API: public submit and status (rate-limited, code in the body only) and the staff
endpoints with the same rules as the pages."""

from __future__ import annotations

import pytest

from hazardledger.tipoffs.models import TipOff

from .conftest import jpeg_with_gps, upload

SUBMIT = "/api/v1/public/tipoffs"
STATUS = "/api/v1/public/tipoffs/status"
REPORT = {"kind": "hazard", "subject": "甲镇建筑公司", "description": "配电箱没有门"}


class PublicApiTestCase:
    def test_it_takes_json_and_answers_the_code_once(self, kit, client):
        response = client.post(SUBMIT, REPORT, content_type="application/json")
        assert response.status_code == 201
        body = response.json()
        assert len(body["receipt_code"]) == 16 and body["number"].startswith("JB-")
        assert response["Cache-Control"].startswith("no-store")
        assert response["Referrer-Policy"] == "no-referrer"
        status = client.post(
            STATUS, {"receipt_code": body["receipt_code"]}, content_type="application/json"
        )
        assert status.status_code == 200 and status.json()["status_label"] == "已接收"

    def test_it_takes_multipart_with_images(self, kit, client):
        response = client.post(SUBMIT, {**REPORT, "files": [upload(jpeg_with_gps())]})
        assert response.status_code == 201
        assert TipOff.objects.get().files.count() == 1

    @pytest.mark.parametrize(
        "payload",
        [
            {},
            {"kind": 5},
            {**REPORT, "description": "x" * 5000},
            {**REPORT, "subject": None},
            {**REPORT, "is_anonymous": False},
            [1, 2],
            "text",
        ],
    )
    def test_it_answers_bad_input_with_422(self, kit, client, payload):
        response = client.post(SUBMIT, payload, content_type="application/json")
        assert response.status_code == 422 and response.json()["detail"]
        assert not TipOff.objects.exists()

    def test_it_answers_broken_json_with_422(self, kit, client):
        response = client.post(SUBMIT, b"{not json", content_type="application/json")
        assert response.status_code == 422

    def test_it_rate_limits_submissions(self, kit, client):
        codes = [
            client.post(SUBMIT, REPORT, content_type="application/json").status_code
            for _ in range(11)
        ]
        assert codes == [201] * 10 + [429]

    def test_it_throttles_twenty_wrong_codes(self, kit, client):
        code = kit.submit().receipt_code
        for _ in range(20):
            r = client.post(
                STATUS, {"receipt_code": "5555666677778888"}, content_type="application/json"
            )
            assert r.status_code == 422
        r = client.post(STATUS, {"receipt_code": code}, content_type="application/json")
        assert r.status_code == 429

    def test_it_refuses_a_code_in_the_url(self, kit, client):
        code = kit.submit().receipt_code
        assert client.get(f"{STATUS}?receipt_code={code}").status_code == 405


class StaffApiTestCase:
    def test_it_needs_login(self, kit, client):
        assert client.get("/api/v1/tipoffs/").status_code == 401

    def test_it_scopes_and_runs_the_workflow(self, kit, client_for):
        tipoff = kit.submit().tipoff
        tom = client_for(kit.d.tom)
        assert tom.get(f"/api/v1/tipoffs/{tipoff.pk}").status_code == 404
        hank = client_for(kit.d.hank)
        r = hank.post(
            f"/api/v1/tipoffs/{tipoff.pk}/assign",
            {"territory_id": kit.d.town_a.pk},
            content_type="application/json",
        )
        assert r.status_code == 200 and r.json()["status"] == "assigned"
        assert hank.post(f"/api/v1/tipoffs/{tipoff.pk}/accept").status_code == 403
        tom = client_for(kit.d.tom)
        assert tom.post(f"/api/v1/tipoffs/{tipoff.pk}/accept").status_code == 200
        assert tom.post(f"/api/v1/tipoffs/{tipoff.pk}/accept").status_code == 409
        bad = tom.post(
            f"/api/v1/tipoffs/{tipoff.pk}/verify",
            {"verification": "true", "severity": "nope", "verification_note": "x"},
            content_type="application/json",
        )
        assert bad.status_code == 422
        detail = tom.get(f"/api/v1/tipoffs/{tipoff.pk}").json()
        assert detail["pseudonym"] == tipoff.pseudonym and "name" not in detail

    def test_it_keeps_tipoffs_from_the_enterprise(self, kit, client_for):
        tipoff = kit.submit().tipoff
        eve = client_for(kit.d.eve)
        assert eve.get("/api/v1/tipoffs/").json() == []
        assert eve.get(f"/api/v1/tipoffs/{tipoff.pk}").status_code == 404


class HugeNumbersTestCase:
    def test_it_answers_huge_ids_without_a_500(self, kit, client_for):
        client = client_for(kit.d.hank)
        huge = 10**30
        assert client.get(f"/api/v1/tipoffs/{huge}").status_code in (404, 422)
        assert client.get(f"/api/v1/tipoffs/?before={huge}").status_code in (200, 422)
        assert client.post(f"/api/v1/tipoffs/{huge}/accept").status_code in (404, 422)
        assert client.get(f"/tipoffs/{huge}/").status_code == 404
        assert client.get(f"/tipoffs/?before={huge}").status_code == 200
