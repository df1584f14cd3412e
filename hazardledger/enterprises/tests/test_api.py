"""The enterprise API: same scope, services and messages as the pages; every error declared."""

from __future__ import annotations

import json

import pytest

from hazardledger.enterprises.models import Enterprise

from .helpers import REAL_CODES

BASE = "/api/v1/enterprises/"


def post(client, url: str, data: dict):
    return client.post(url, json.dumps(data), content_type="application/json")


def patch(client, url: str, data: dict):
    return client.patch(url, json.dumps(data), content_type="application/json")


class ApiReadTestCase:
    def test_it_requires_login(self, client, district):
        assert client.get(BASE).status_code == 401
        assert client.get(BASE + REAL_CODES[0]).status_code == 401

    def test_it_lists_the_scope(self, district, firms, client_for):
        data = client_for(district.tom).get(BASE).json()
        assert [e["name"] for e in data["items"]] == ["甲镇建筑公司"]
        assert data["items"][0]["territory"] == "T-A"
        assert data["items"][0]["regulator_name"] == "区住建局"

    @pytest.mark.parametrize(
        "query,names",
        [
            ("territory=T-B", ["乙街道化工公司"]),
            ("industry=JZ", ["甲镇建筑公司"]),
            ("status=operating", ["乙街道化工公司", "甲镇建筑公司"]),
            ("category=high_risk", []),
            ("q=化工", ["乙街道化工公司"]),
        ],
    )
    def test_it_filters(self, district, firms, client_for, query, names):
        data = client_for(district.alice).get(BASE + "?" + query).json()
        assert sorted(e["name"] for e in data["items"]) == sorted(names)

    @pytest.mark.parametrize(
        "query",
        ["status=nope", "category=x", "limit=0", "limit=abc", "offset=-1", "procedures=some"],
    )
    def test_it_answers_422_to_bad_filters(self, district, client_for, query):
        response = client_for(district.alice).get(BASE + "?" + query)
        assert response.status_code == 422
        assert "detail" in response.json()

    def test_it_pages(self, district, make, client_for):
        for i in range(5):
            make(f"企业{i}", territory=district.town_a)
        data = client_for(district.alice).get(BASE + "?limit=2&offset=2").json()
        assert [e["name"] for e in data["items"]] == ["企业2", "企业3"] and data["has_more"]

    def test_it_gets_by_credit_code_within_scope(self, district, firms, client_for):
        code = firms["b"].credit_code
        assert client_for(district.tina).get(BASE + code).json()["name"] == "乙街道化工公司"
        response = client_for(district.tom).get(BASE + code)
        assert response.status_code == 404 and "管辖范围" in response.json()["detail"]

    def test_it_refuses_task_roles(self, district, firms, client_for):
        assert client_for(district.hank).get(BASE).status_code == 403


class ApiWriteTestCase:
    def payload(self, district, **extra):
        return {
            "credit_code": REAL_CODES[1],
            "name": "腾讯甲镇办事处",
            "territory": "T-A",
            "industry": "JZ",
            "territory_contact": "tom",
            "regulator_contact": "dora",
        } | extra

    def test_it_creates(self, district, client_for):
        response = post(client_for(district.tom), BASE, self.payload(district))
        assert response.status_code == 201
        body = response.json()
        assert body["credit_code"] == REAL_CODES[1] and body["territory_contact"] == "tom"
        assert Enterprise.objects.get().regulator_contact == district.dora

    def test_it_refuses_an_invalid_code_with_the_forms_message(self, district, client_for):
        bad = REAL_CODES[1][:-1] + "Y"
        response = post(client_for(district.tom), BASE, self.payload(district, credit_code=bad))
        assert response.status_code == 422
        errors = response.json()["errors"]
        assert errors[0]["loc"] == ["body", "credit_code"]
        assert "校验位错误" in errors[0]["msg"]

    def test_it_answers_409_to_a_registered_code(self, district, client_for):
        client = client_for(district.tom)
        assert post(client, BASE, self.payload(district)).status_code == 201
        response = post(client, BASE, self.payload(district, name="重复"))
        assert response.status_code == 409
        assert response.json()["detail"] == "该统一社会信用代码已登记"

    def test_it_names_unknown_codes(self, district, client_for):
        response = post(
            client_for(district.alice),
            BASE,
            self.payload(district, territory="T-X", regulator_contact="ghost"),
        )
        assert response.status_code == 422
        messages = {e["loc"][1]: e["msg"] for e in response.json()["errors"]}
        assert messages == {
            "territory": "未知的镇街代码“T-X”",
            "regulator_contact": "未知的人员用户名“ghost”",
        }

    def test_it_answers_403_to_readers(self, district, client_for):
        assert post(client_for(district.leo), BASE, self.payload(district)).status_code == 403

    def test_it_keeps_an_officer_in_scope(self, district, client_for):
        response = post(
            client_for(district.tom),
            BASE,
            self.payload(
                district,
                territory="T-B",
                industry="WHP",
                territory_contact=None,
                regulator_contact=None,
            ),
        )
        assert response.status_code == 422
        assert "管辖范围" in response.json()["detail"]

    def test_it_updates_only_the_fields_sent(self, district, firms, client_for):
        url = BASE + firms["a"].credit_code
        response = patch(client_for(district.tom), url, {"staff_count": 88})
        assert response.status_code == 200
        e = Enterprise.objects.get(pk=firms["a"].pk)
        assert e.staff_count == 88 and e.name == "甲镇建筑公司" and e.territory == district.town_a

    def test_it_lets_the_enterprise_user_patch_contacts_only(self, district, firms, client_for):
        client = client_for(district.eve)
        url = BASE + firms["b"].credit_code
        assert patch(client, url, {"safety_manager_phone": "13700000000"}).status_code == 200
        response = patch(client, url, {"name": "改名"})
        assert response.status_code == 403 and "企业名称" in response.json()["detail"]
        assert (
            patch(client, BASE + firms["a"].credit_code, {"contact_name": "x"}).status_code == 404
        )

    def test_it_changes_status_only_through_its_endpoint(self, district, firms, client_for):
        client = client_for(district.tom)
        url = BASE + firms["a"].credit_code
        assert patch(client, url, {"status": "closed"}).status_code == 422
        response = post(client, url + "/status", {"status": "suspended", "reason": "停产整顿"})
        assert response.status_code == 200 and response.json()["status"] == "suspended"
        response = post(client, url + "/status", {"status": "suspended", "reason": "再来"})
        assert response.status_code == 422 and "未变化" in response.json()["detail"]

    def test_it_answers_422_to_malformed_json(self, district, client_for):
        response = client_for(district.alice).post(
            BASE, "{not json", content_type="application/json"
        )
        assert response.status_code in (400, 422)

    def test_it_declares_every_error_response(self, client, db):
        paths = client.get("/api/v1/openapi.json").json()["paths"]
        ops = [op for path, item in paths.items() if path.startswith(BASE) for op in item.values()]
        assert ops and all("401" in op["responses"] for op in ops)
        writes = [
            op
            for p, item in paths.items()
            if p.startswith(BASE)
            for m, op in item.items()
            if m in ("post", "patch")
        ]
        assert all({"403", "422"} <= set(op["responses"]) for op in writes)
