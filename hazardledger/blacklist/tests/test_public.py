"""The public register: no login, nothing unpublished, caching and referrer headers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from hazardledger.blacklist.models import EntryStatus, RemovalReason
from hazardledger.blacklist.services import entry_perform

S = EntryStatus
pytestmark = pytest.mark.django_db


class PublicRegisterTestCase:
    def test_it_needs_no_login_and_sends_cache_and_referrer_headers(self, kit, client):
        for path in ("/public/blacklist/", "/public/blacklist/rules/"):
            response = client.get(path)
            assert response.status_code == 200, path
            assert response["Cache-Control"] == "public, max-age=60"
            assert response["Referrer-Policy"] == "no-referrer"
            assert "sessionid" not in response.cookies

    def test_it_shows_published_and_repairing_entries_only(self, kit, client):
        shown = {kit.entry(S.PUBLISHED).pk, kit.entry(S.REPAIRING, enterprise=kit.ent_b).pk}
        hidden = [
            kit.entry(S.PROPOSED),
            kit.entry(S.NOTIFIED),
            kit.entry(S.APPROVED),
            kit.entry(S.OBJECTION, listed_on=timezone.localdate() - timedelta(days=3)),
            kit.entry(S.REMOVED, listed_on=timezone.localdate() - timedelta(days=3),
                      removal_reason=RemovalReason.REVOKED),
        ]  # fmt: skip
        html = client.get("/public/blacklist/").content.decode()
        for pk in shown:
            assert f'data-entry="{pk}"' in html
        for entry in hidden:
            assert f'data-entry="{entry.pk}"' not in html
        assert "乙街道化工厂" in html

    def test_it_searches_by_name_or_code(self, kit, client):
        a = kit.entry(S.PUBLISHED)
        b = kit.entry(S.PUBLISHED, enterprise=kit.ent_b)
        by_name = client.get("/public/blacklist/", {"q": "化工"}).content.decode()
        assert f'data-entry="{b.pk}"' in by_name and f'data-entry="{a.pk}"' not in by_name
        by_code = client.get("/public/blacklist/", {"q": kit.ent_a.credit_code.lower()})
        html = by_code.content.decode()
        assert f'data-entry="{a.pk}"' in html and f'data-entry="{b.pk}"' not in html

    def test_a_removed_entry_leaves_the_page_on_the_day_of_removal(self, kit, client, district):
        entry = kit.entry(S.PUBLISHED)
        assert f'data-entry="{entry.pk}"' in client.get("/public/blacklist/").content.decode()
        entry_perform(actor=kit.lena, entry=entry, action="revoke", data={"note": "错列"})
        assert f'data-entry="{entry.pk}"' not in client.get("/public/blacklist/").content.decode()

    def test_bad_search_input_is_harmless(self, kit, client):
        for q in ("\x00", "x" * 5000, "'; drop table", "%"):
            assert client.get("/public/blacklist/", {"q": q}).status_code == 200

    def test_a_post_is_refused(self, kit, client):
        assert client.post("/public/blacklist/").status_code == 405

    def test_the_rules_page_states_the_policy_numbers(self, kit, client):
        html = client.get("/public/blacklist/rules/").content.decode()
        assert f"列入期限为 {kit.policy.listing_years} 年" in html
        assert f"列入满 {kit.policy.earliest_repair_months} 个月" in html
        assert f"{kit.policy.objection_window_days} 日内" in html
