"""Login, home page by role, directory, error pages, navigation."""

from __future__ import annotations

import pytest
from django.urls import reverse


class LoginTestCase:
    def test_it_shows_a_chinese_login_page(self, client, db):
        response = client.get(reverse("login"))
        assert response.status_code == 200
        assert "登录隐患台账" in response.content.decode()

    def test_it_sends_anonymous_users_to_login(self, client):
        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    def test_it_logs_in_with_the_right_password(self, client, district):
        response = client.post(reverse("login"), {"username": "tom", "password": "correct-horse-9"})
        assert response.status_code == 302
        assert client.get(reverse("home")).status_code == 200

    def test_it_refuses_a_wrong_password_in_chinese(self, client, district):
        response = client.post(reverse("login"), {"username": "tom", "password": "nope"})
        assert response.status_code == 200
        assert "请输入一个正确的" in response.content.decode()

    def test_it_logs_out_only_by_post_and_clears_site_data(self, client_for, district):
        client = client_for(district.tom)
        assert client.get(reverse("logout")).status_code == 405
        response = client.post(reverse("logout"))
        assert response.status_code == 302
        assert "Clear-Site-Data" in response
        assert client.get(reverse("home")).status_code == 302


class HomeTestCase:
    def test_it_shows_unit_roles_and_district_scope_to_the_admin(self, client_for, district):
        page = client_for(district.alice).get(reverse("home")).content.decode()
        assert "区安委办" in page and "区安委办管理员" in page and "全区" in page

    def test_it_shows_the_town_to_a_town_officer(self, client_for, district):
        page = client_for(district.tom).get(reverse("home")).content.decode()
        assert "甲镇" in page and "镇街监管人员" in page and "全区（" not in page
        assert "乙街道" not in page

    def test_it_shows_regulated_industries_to_a_department_officer(self, client_for, district):
        page = client_for(district.dora).get(reverse("home")).content.decode()
        assert "建筑施工" in page and "危险化学品" not in page

    def test_it_shows_own_enterprise_scope_to_an_enterprise_user(self, client_for, district):
        page = client_for(district.eve).get(reverse("home")).content.decode()
        assert "本企业" in page

    def test_it_shows_navigation_by_role(self, client_for, district):
        admin_page = client_for(district.alice).get(reverse("home")).content.decode()
        assert reverse("audit:events") in admin_page and reverse("admin:index") in admin_page
        town_page = client_for(district.tom).get(reverse("home")).content.decode()
        assert reverse("audit:events") not in town_page
        assert reverse("admin:index") not in town_page


class DirectoryTestCase:
    def test_it_lists_units_and_industry_regulators(self, client_for, district):
        page = client_for(district.tom).get(reverse("org:directory")).content.decode()
        assert "区住建局" in page and "建筑施工" in page

    def test_it_is_closed_to_enterprise_users(self, client_for, district):
        response = client_for(district.eve).get(reverse("org:directory"))
        assert response.status_code == 403
        assert "无权操作" in response.content.decode()


class ErrorPageTestCase:
    def test_it_answers_404_in_chinese(self, client_for, district):
        response = client_for(district.tom).get("/no-such-page/")
        assert response.status_code == 404
        assert "找不到该页面" in response.content.decode()

    def test_it_has_a_static_chinese_500_page(self, settings):
        from hazardledger.errors import server_error

        response = server_error(None)
        assert response.status_code == 500
        assert "系统出现错误" in response.content.decode()


class HeadersTestCase:
    @pytest.mark.parametrize("path", ["/login/", "/api/v1/health"])
    def test_it_sends_security_headers(self, client, db, path):
        response = client.get(path)
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"

    def test_it_loads_nothing_from_outside_the_server(self, client_for, district):
        import re

        page = client_for(district.alice).get(reverse("home")).content.decode()
        assert not re.search(r"""(src|href)=["'](https?:)?//""", page)


class AdminTestCase:
    def test_it_audits_a_unit_change_made_in_the_admin(self, client_for, district):
        from hazardledger.audit.models import AuditEvent

        client = client_for(district.alice)
        district.alice.is_staff = district.alice.is_superuser = True
        district.alice.save()
        url = reverse("admin:org_unit_change", args=[district.town_a.pk])
        page = client.get(url)
        assert page.status_code == 200
        form = page.context["adminform"].form
        data = {k: v for k, v in form.initial.items() if v is not None}
        data.update(
            {"name": "甲镇（新）", "memberships-TOTAL_FORMS": 0, "memberships-INITIAL_FORMS": 0}
        )
        response = client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:2000]
        event = AuditEvent.objects.filter(action="unit.update").latest("pk")
        assert event.changes["name"] == ["甲镇", "甲镇（新）"]
        assert event.actor == district.alice
