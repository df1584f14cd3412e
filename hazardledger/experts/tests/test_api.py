"""The pool API: the same permissions and messages as the pages."""

from __future__ import annotations

import json

from django.test import Client
from django.utils import timezone

from hazardledger.experts.models import Expert, ExpertCertificate, ExpertEngagement
from hazardledger.experts.services import expert_assign

BASE = "/api/v1/experts/"


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def send(c, method, url, body=None):
    return getattr(c, method)(
        url, json.dumps(body or {}, default=str), content_type="application/json"
    )


class ApiTestCase:
    def test_it_requires_login_and_the_role(self, pool):
        assert Client().get(BASE).status_code == 401
        assert client(pool.district.eve).get(BASE).status_code == 403
        assert client(pool.district.tom).get(BASE).status_code == 200
        assert send(client(pool.district.tom), "post", BASE, {"username": "x"}).status_code == 403

    def test_it_lists_and_shows_details(self, pool):
        admin = client(pool.district.alice)
        data = admin.get(BASE, {"specialty": "construction"}).json()
        assert [e["name"] for e in data["items"]] == ["Xena"] and not data["has_more"]
        assert data["items"][0]["problems"] == []
        assert admin.get(BASE, {"specialty": "nope"}).status_code == 422
        assert admin.get(BASE, {"limit": 10**30}).status_code == 422
        detail = admin.get(f"{BASE}{pool.xena.pk}").json()
        assert detail["certificates"][0]["kind_label"] == "注册安全工程师"
        assert admin.get(f"{BASE}{10**30}").status_code == 404
        assert admin.get(f"{BASE}99999").status_code == 404

    def test_it_shows_an_expert_only_themself(self, pool):
        yuri = pool.expert(pool.person("yuri", "王建国"))
        xena = client(pool.district.xena)
        assert xena.get(f"{BASE}{pool.xena.pk}").status_code == 200
        assert xena.get(f"{BASE}{yuri.pk}").status_code == 404
        assert xena.get(BASE).status_code == 403

    def test_it_creates_updates_and_records(self, pool):
        admin = client(pool.district.alice)
        created = send(
            admin,
            "post",
            BASE,
            {
                "account": {
                    "username": "wjg",
                    "full_name": "王建国",
                    "password": "correct-horse-9",
                },
                "specialties": ["hazchem"],
                "employer_enterprise": pool.ent_b.credit_code,
            },
        )
        assert created.status_code == 201, created.content
        pk = created.json()["id"]
        bad = send(admin, "post", BASE, {"username": "wjg", "specialties": ["nope"]})
        assert bad.status_code == 422 and "未知的专业领域代码" in bad.json()["detail"]
        again = send(admin, "post", BASE, {"username": "wjg"})
        assert again.status_code == 422 and "已在专家库" in again.json()["detail"]
        updated = send(admin, "put", f"{BASE}{pk}", {"specialties": ["fire"], "title": "教授"})
        assert (
            updated.json()["title"] == "教授" and updated.json()["specialties"][0]["code"] == "fire"
        )
        nul = send(admin, "put", f"{BASE}{pk}", {"note": "a\x00b"})
        assert nul.status_code == 422 and "空字符" in json.dumps(nul.json(), ensure_ascii=False)
        cert = {"kind": "rse", "number": "N-1", "valid_until": "2030-01-01"}
        assert send(admin, "post", f"{BASE}{pk}/certificates", cert).status_code == 201
        assert send(admin, "post", f"{BASE}{pk}/certificates", cert).status_code == 409
        bad_day = cert | {"number": "N-2", "valid_until": "2026-02-30"}
        assert send(admin, "post", f"{BASE}{pk}/certificates", bad_day).status_code == 422
        engagement = {
            "enterprise": pool.ent_a.credit_code,
            "kind": "consulting",
            "started_on": "2026-01-01",
        }
        assert send(admin, "post", f"{BASE}{pk}/engagements", engagement).status_code == 201
        period = {"starts_on": "2026-03-02", "ends_on": "2026-03-01"}
        refused = send(admin, "post", f"{BASE}{pk}/unavailable", period)
        assert refused.status_code == 422 and "结束日期" in refused.json()["detail"]
        child = ExpertCertificate.objects.get(number="N-1").pk
        assert admin.delete(f"{BASE}{pk}/certificates/{child}").status_code == 200
        assert admin.delete(f"{BASE}{pk}/certificates/{child}").status_code == 404
        assert ExpertEngagement.objects.filter(expert_id=pk).count() == 1
        assert Expert.objects.get(pk=pk).user.full_name == "王建国"

    def test_it_suggests_for_an_enterprise_in_scope(self, pool):
        yuri = pool.expert(pool.person("yuri", "王建国"), employer_enterprise=pool.ent_a)
        tom = client(pool.district.tom)
        names = [
            e["name"]
            for e in tom.get(f"{BASE}suggested", {"enterprise": pool.ent_a.credit_code}).json()
        ]
        assert names == ["Xena"] and yuri.pk
        # 乙街道 is outside tom's town.
        assert (
            tom.get(f"{BASE}suggested", {"enterprise": pool.ent_b.credit_code}).status_code == 404
        )
        assert (
            client(pool.district.leo).get(f"{BASE}suggested", {"enterprise": "x"}).status_code
            == 403
        )

    def test_it_gives_the_expert_their_open_assignments_and_releases(self, pool):
        d = pool.district
        a = expert_assign(actor=d.tom, expert=pool.xena, target=pool.ent_a, enterprise=pool.ent_a)
        mine = client(d.xena).get(f"{BASE}mine/assignments").json()
        assert [m["id"] for m in mine] == [a.pk] and mine[0]["target"] == "甲镇建筑公司"
        tom = client(d.tom)
        url = f"{BASE}assignments/{a.pk}/release"
        assert send(client(d.xena), "post", url).status_code == 403
        done = send(tom, "post", url)
        assert done.status_code == 200 and done.json()["released_at"]
        assert send(tom, "post", url).status_code == 409
        assert client(d.xena).get(f"{BASE}mine/assignments").json() == []
        assert timezone.now()


BAD_VALUES = [None, 10**30, -1, "x\x00y", "长" * 5000, [], {}, "2026-02-30", True, 1.5]


class ApiRobustnessTestCase:
    def test_it_declares_every_error_response(self, client, db):
        paths = client.get("/api/v1/openapi.json").json()["paths"]
        ops = [
            (m, op)
            for path, item in paths.items()
            if path.startswith(BASE)
            for m, op in item.items()
        ]
        assert ops and all("401" in op["responses"] for _m, op in ops)
        writes = [op for m, op in ops if m in ("post", "put", "patch")]
        assert writes and all({"403", "422"} <= set(op["responses"]) for op in writes)

    def test_it_never_answers_500_to_bad_input(self, pool):
        admin = client(pool.district.alice)
        pk = pool.xena.pk
        bodies = {
            BASE: ["username", "account", "specialties", "employer_enterprise", "note"],
            f"{BASE}{pk}/certificates": ["kind", "number", "valid_until"],
            f"{BASE}{pk}/engagements": ["enterprise", "kind", "started_on", "ended_on"],
            f"{BASE}{pk}/unavailable": ["starts_on", "ends_on", "reason"],
        }
        for url, fields in bodies.items():
            for name in fields:
                for value in BAD_VALUES:
                    response = send(admin, "post", url, {name: value})
                    assert response.status_code in (201, 409, 422), (url, name, value)
            assert admin.post(url, "{not json", content_type="application/json").status_code in (
                400,
                422,
            )
        for name in ("specialties", "title", "is_active", "employer_enterprise"):
            for value in BAD_VALUES:
                response = send(admin, "put", f"{BASE}{pk}", {name: value})
                assert response.status_code in (200, 422), (name, value)
        for query in ({"limit": "x"}, {"offset": 10**30}, {"q": "\x00"}, {"available": "maybe"}):
            assert admin.get(BASE, query).status_code in (200, 422), query
        tom = client(pool.district.tom)
        for value in ("", "\x00", "9" * 40):
            assert tom.get(f"{BASE}suggested", {"enterprise": value}).status_code in (404, 422)
