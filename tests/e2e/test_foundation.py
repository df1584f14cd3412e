"""Journeys of the foundation: login in Chinese, home by role, error pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect


class LoginJourneyTestCase:
    @pytest.mark.parametrize(
        ("username", "scope"),
        [("admin", "全区"), ("town", "北郊镇"), ("dept", "建筑施工"), ("enterprise", "本企业")],
        ids=["admin", "town", "dept", "enterprise"],
    )
    def test_it_logs_in_and_shows_the_scope(self, journey, username, scope):
        journey.page.goto(journey.base + "/login/")
        expect(journey.page.get_by_role("heading", name="登录隐患台账")).to_be_visible()
        journey.shot("login")
        journey.login(username)
        expect(journey.page.locator("section", has_text="管辖范围")).to_contain_text(scope)
        journey.shot("home")

    def test_it_refuses_a_wrong_password_in_chinese(self, journey):
        journey.page.goto(journey.base + "/login/")
        journey.page.get_by_label("用户名").fill("town")
        journey.page.get_by_label("密码").fill("wrong-password")
        journey.page.get_by_role("button", name="登录").click()
        expect(journey.page.get_by_role("alert")).to_contain_text("请输入一个正确的")
        journey.shot("refused")

    def test_it_logs_out(self, journey):
        journey.login("leader")
        journey.page.get_by_role("button", name="退出").click()
        expect(journey.page).to_have_url(re.compile(r"/login/$"))
        journey.shot("logged-out")

    def test_it_works_on_a_phone(self, phone):
        phone.login("town")
        width = phone.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375
        # The menu is one row: the page's own content starts on the first screen.
        header = phone.page.locator("header.topbar").bounding_box()
        assert header is not None and header["height"] <= 160, header
        phone.shot("home-phone")
        last = phone.page.get_by_role("navigation").get_by_role("link").last
        last.click()  # the row scrolls to reach it
        expect(phone.page).not_to_have_url(re.compile(r"/login/"))
        phone.shot("last-menu-entry")

    def test_it_shows_a_chinese_404(self, journey):
        journey.login("town")
        response = journey.page.goto(journey.base + "/no-such-page/")
        assert response.status == 404
        expect(journey.page.get_by_role("heading")).to_contain_text("找不到该页面")
        journey.shot("not-found")
