"""The inspection form in a phone-sized browser: fits 375 px, keeps what was typed when the
network drops, and a resubmission after the drop makes no second inspection."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hazardledger.inspections.models import Inspection

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="chromium is not installed")


@pytest.fixture
def phone(live_server, client, kit, monkeypatch):
    """A logged-in 375-pixel-wide Chromium page on the live server (as Tom)."""
    from django.db import connections
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    client.force_login(kit.d.tom)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(
            viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True
        )
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
        page = context.new_page()
        page.set_default_timeout(15000)
        yield page
        browser.close()
        # Connections opened while Playwright ran belong to its context: close them here.
        connections.close_all()


class PhoneFormTestCase:
    def test_it_survives_a_dropped_connection_without_a_duplicate(self, phone, live_server, kit):
        url = f"{live_server.url}/inspections/records/new/?enterprise={kit.a_build.pk}"
        phone.goto(url)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375
        assert phone.locator('input[type="file"][capture="environment"]').count() > 0
        key = phone.input_value("#id_submission_key")
        phone.select_option("#id_inspectors", [str(kit.d.nobody_official.pk)])
        phone.locator('input[type="radio"][value="pass"]').evaluate_all(
            "els => els.forEach(e => e.click())"
        )
        phone.locator('input[type="radio"][value="fail"]').first.click()
        phone.locator(".insp-item details").first.locator("summary").click()
        note = phone.locator('textarea[name$="_note"]').first
        note.fill("安全出口锁闭")

        # The request reaches the server, but the answer never reaches the phone.
        def drop_answer(route):
            if route.request.method != "POST":
                route.continue_()
                return
            route.fetch()
            route.abort("internetdisconnected")

        def is_form(address: str) -> bool:
            return "/inspections/records/new/" in address

        phone.route(is_form, drop_answer)
        with phone.expect_event("requestfailed") as failed:
            phone.click(".insp-submit")
        assert failed.value.method == "POST"
        phone.unroute(is_form)
        assert Inspection.objects.count() == 1

        # Reopened later: the typed content and the same submission key come back.
        phone.goto(url)
        assert phone.locator(".insp-draft-notice").is_visible()
        assert phone.input_value("#id_submission_key") == key
        assert phone.locator('textarea[name$="_note"]').first.input_value() == "安全出口锁闭"
        phone.click(".insp-submit")
        phone.wait_for_url(f"**/records/{Inspection.objects.get().pk}/")
        assert "此前已提交成功" in phone.content()
        assert Inspection.objects.count() == 1
        inspection = Inspection.objects.get()
        assert str(inspection.submission_key) == key
        assert inspection.items.filter(result="fail", note="安全出口锁闭").count() == 1
        # The detail page clears the stored draft.
        drafts = phone.evaluate(
            "Object.keys(localStorage).filter(k => k.startsWith('hl-inspection-draft:'))"
        )
        assert drafts == []

    def test_it_fits_the_detail_and_coverage_pages(self, phone, live_server, kit):
        inspection = kit.inspect(kit.a_build, fail=2)
        for path in [
            f"/inspections/records/{inspection.pk}/",
            "/inspections/records/",
            "/inspections/self/",
        ]:
            phone.goto(live_server.url + path)
            assert phone.evaluate("document.documentElement.scrollWidth") <= 375, path
