"""Pages: the public channel (headers, no outside script, CSRF, throttling) and the staff
pages (login, 404 outside scope, 403 without the role)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from hazardledger.tipoffs import services
from hazardledger.tipoffs.models import Message, TipOff

from .conftest import PHONE, jpeg_with_gps, upload

PUBLIC = ["public:info", "public:submit", "public:status"]


def code_in(response) -> str:
    match = re.search(r'id="receipt-code"><strong>([\d ]+)</strong>', response.content.decode())
    return match.group(1).replace(" ", "")


class PublicPagesTestCase:
    @pytest.mark.parametrize("name", PUBLIC)
    def test_it_serves_without_login_uncached_and_without_referer(self, kit, client, name):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert response["Referrer-Policy"] == "no-referrer"
        html = response.content.decode()
        for src in re.findall(r'<script[^>]+src="([^"]+)"', html):
            assert src.startswith("/static/"), src
        assert "http://" not in html and "https://" not in html

    def test_it_states_hotline_hours_rules_and_promise_from_the_policy(self, kit, client):
        html = client.get(reverse("public:info")).content.decode()
        assert "6800001" in html and "24 小时" in html
        assert "非法违法生产经营建设" in html and "2000 元" in html and "保密" in html

    def test_it_follows_the_active_policy_on_the_public_page(self, kit, client):
        from hazardledger.policy.services import load_policy_file

        from .conftest import PROFILES

        load_policy_file(actor=None, path=PROFILES / "shandong-2021.yaml", activate=True)
        html = client.get(reverse("public:info")).content.decode()
        assert "50%" in html and "上浮 20%" in html

    def test_it_keeps_csrf_on_the_forms(self, kit):
        strict = Client(enforce_csrf_checks=True)
        response = strict.post(reverse("public:submit"), {"kind": "hazard"})
        assert response.status_code == 403 and not TipOff.objects.exists()

    def test_it_takes_a_report_shows_the_code_once_and_follows_it(self, kit, client):
        response = client.post(
            reverse("public:submit"),
            {
                "kind": "hazard",
                "subject": "甲镇建筑公司",
                "description": "脚手架没有安全网",
                "is_anonymous": "on",
                "files": [upload(jpeg_with_gps())],
            },
        )
        assert response.status_code == 200 and "no-store" in response["Cache-Control"]
        code = code_in(response)
        assert len(code) == 16
        tipoff = TipOff.objects.get()
        services.tipoff_message(actor=kit.d.hank, tipoff=tipoff, body="请补充照片")
        page = client.post(reverse("public:status"), {"receipt_code": code})
        html = page.content.decode()
        assert page.status_code == 200 and tipoff.number in html and "请补充照片" in html
        assert code not in html and "脚手架没有安全网" not in html
        token = re.search(r'name="token" value="([^"]+)"', html).group(1)
        reply = client.post(reverse("public:reply"), {"token": token, "body": "已补充"})
        assert reply.status_code == 200
        assert Message.objects.filter(author="reporter").count() == 1

    def test_it_shows_field_errors_and_stores_nothing(self, kit, client):
        response = client.post(
            reverse("public:submit"), {"kind": "hazard", "subject": "", "description": "x\x00"}
        )
        assert response.status_code == 422 and not TipOff.objects.exists()
        assert "请填写被举报单位或地址" in response.content.decode()

    def test_it_throttles_twenty_wrong_codes_in_a_row(self, kit, client):
        code = kit.submit().receipt_code
        for _ in range(20):
            assert (
                client.post(
                    reverse("public:status"), {"receipt_code": "1111222233334444"}
                ).status_code
                == 422
            )
        response = client.post(reverse("public:status"), {"receipt_code": code})
        assert response.status_code == 429 and "连续输错" in response.content.decode()

    def test_it_throttles_submissions(self, kit, client):
        for _ in range(10):
            client.post(reverse("public:submit"), {"kind": "x"})
        response = client.post(
            reverse("public:submit"),
            {"kind": "hazard", "subject": "甲镇建筑公司", "description": "内容"},
        )
        assert response.status_code == 429 and not TipOff.objects.exists()

    def test_it_never_serves_reporter_files_publicly(self, kit, client):
        tipoff = kit.submit(uploads=[upload(jpeg_with_gps())]).tipoff
        row = tipoff.files.get()
        assert client.get(reverse("tipoffs:file", args=[row.pk])).status_code == 302
        assert client.get(f"/media/{row.file.name}").status_code == 404


class StaffPagesTestCase:
    def test_it_sends_anonymous_users_to_login(self, kit, client):
        tipoff = kit.submit().tipoff
        for url in (reverse("tipoffs:list"), reverse("tipoffs:detail", args=[tipoff.pk])):
            assert client.get(url).status_code == 302

    def test_it_answers_404_outside_scope_and_403_without_role(self, kit, client_for):
        tipoff = kit.submit().tipoff
        detail = reverse("tipoffs:detail", args=[tipoff.pk])
        assert client_for(kit.d.tom).get(detail).status_code == 404  # not yet assigned
        assert client_for(kit.d.eve).get(detail).status_code == 403
        assert client_for(kit.d.eve).get(reverse("tipoffs:list")).status_code == 403
        assert client_for(kit.d.tom).get(reverse("tipoffs:intake")).status_code == 403

    def test_it_shows_the_pseudonym_and_never_the_identity(self, kit, client_for):
        tipoff = kit.submit(is_anonymous=False, name="王秀英", phone=PHONE).tipoff
        response = client_for(kit.d.hank).get(reverse("tipoffs:detail", args=[tipoff.pk]))
        html = response.content.decode()
        assert response.status_code == 200 and tipoff.pseudonym in html
        assert "王秀英" not in html and PHONE not in html
        assert response["Referrer-Policy"] == "no-referrer"

    def test_it_takes_a_hotline_report(self, kit, client_for):
        response = client_for(kit.d.hank).post(
            reverse("tipoffs:intake"),
            {
                "channel": "hotline",
                "kind": "illegal_operation",
                "subject": "乙街道化工厂",
                "description": "夜间偷偷生产",
                "is_anonymous": "on",
            },
        )
        assert response.status_code == 200
        assert TipOff.objects.get().enterprise == kit.ent_b

    def test_it_runs_an_action_through_its_page(self, kit, client_for):
        tipoff = kit.submit().tipoff
        client = client_for(kit.d.hank)
        url = reverse("tipoffs:act", args=[tipoff.pk, "assign"])
        assert client.get(url).status_code == 200
        bad = client.post(url, {"territory": "", "department": ""})
        assert bad.status_code == 422
        ok = client.post(url, {"territory": kit.d.town_a.pk, "department": kit.d.dept_a.pk})
        assert ok.status_code == 302
        tipoff.refresh_from_db()
        assert tipoff.status == "assigned"
        assert client.post(url, {"territory": "x"}).status_code == 422

    def test_it_renders_the_workflow_page_with_labels(self, kit, client_for):
        html = client_for(kit.d.hank).get(reverse("tipoffs:workflow")).content.decode()
        assert "受理核查" in html and "举报受理员" in html and "hotline_operator" not in html

    def test_it_lets_the_custodian_decide_on_the_page(self, kit, client_for):
        tipoff = kit.submit(is_anonymous=False, name="王秀英", phone=PHONE).tipoff
        request = services.reveal_request(actor=kit.d.hank, tipoff=tipoff, reason="回访")
        client = client_for(kit.d.cora)
        assert "回访" in client.get(reverse("tipoffs:reveals")).content.decode()
        response = client.post(
            reverse("tipoffs:reveal_decide", args=[request.pk]), {"decision": "approve", "note": ""}
        )
        assert response.status_code == 302
        request.refresh_from_db()
        assert request.status == "approved"


class CsrfTestCase:
    """The forms' own posts arrive with `Origin: null` under no-referrer; the token is still
    required, and a cross-site post is refused."""

    def post(self, kit, **headers):
        strict = Client(enforce_csrf_checks=True)
        strict.get(reverse("public:submit"))
        token = strict.cookies["csrftoken"].value
        return strict.post(
            reverse("public:submit"),
            {
                "csrfmiddlewaretoken": token,
                "kind": "hazard",
                "subject": "甲镇建筑公司",
                "description": "脚手架没有安全网",
                "is_anonymous": "on",
            },
            headers=headers,
        )

    def test_it_accepts_a_null_origin_from_the_same_site(self, kit):
        response = self.post(kit, origin="null", sec_fetch_site="same-origin")
        assert response.status_code == 200 and TipOff.objects.count() == 1

    def test_it_refuses_a_null_origin_from_elsewhere(self, kit):
        assert self.post(kit, origin="null", sec_fetch_site="cross-site").status_code == 403
        assert self.post(kit, origin="null").status_code == 403
        assert self.post(kit, origin="http://evil.example").status_code == 403
        assert not TipOff.objects.exists()


class HotlineUploadTestCase:
    def test_it_takes_several_files_on_the_hotline_form(self, kit, client_for):
        from .conftest import upload as make

        response = client_for(kit.d.hank).post(
            reverse("tipoffs:intake"),
            {
                "channel": "letter",
                "kind": "hazard",
                "subject": "甲镇建筑公司",
                "description": "来信附照片两张",
                "is_anonymous": "on",
                "files": [make(jpeg_with_gps(), "a.jpg"), make(jpeg_with_gps(), "b.jpg")],
            },
        )
        assert response.status_code == 200
        assert TipOff.objects.get().files.count() == 2
