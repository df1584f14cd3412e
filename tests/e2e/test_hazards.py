"""Journeys over the hazard ledger in the demo district."""

from __future__ import annotations

from playwright.sync_api import expect


class HazardScopeJourneyTestCase:
    def test_it_hides_another_towns_card_from_a_town_officer(self, journey, browser):
        page = journey.page
        journey.login("admin")
        page.goto(journey.base + "/hazards/")
        journey.shot("ledger-admin")
        # The first card on the admin's ledger outside 北郊镇.
        row = page.locator("table tbody tr").filter(has_not_text="北郊镇").first
        href = row.locator("a").first.get_attribute("href")
        assert href and href.startswith("/hazards/")
        page.goto(journey.base + href)
        expect(page.locator("h1")).to_contain_text("YH")
        journey.shot("card-admin")

        other = browser.new_context()
        town = type(journey)(other.new_page(), journey.base, journey.name + "-town")
        town.login("town")
        response = town.page.goto(journey.base + href)
        assert response.status == 404
        expect(town.page.get_by_role("heading")).to_contain_text("找不到该页面")
        town.shot("card-404")
        other.close()
        assert town.outside_requests == []
