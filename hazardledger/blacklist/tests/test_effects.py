"""What a listing does elsewhere: the enterprise page and dossier, ledger rows, the
self-inspection cadence, the one-vote veto; and the rules' dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from hazardledger.blacklist import rules, selectors
from hazardledger.blacklist.models import EntryStatus
from hazardledger.hazards.models import Hazard

S = EntryStatus
pytestmark = pytest.mark.django_db


def _card(enterprise, no: int) -> Hazard:
    now = timezone.now()
    return Hazard.objects.create(
        card_no=f"370306-YH-2026-{no:06d}",
        enterprise=enterprise,
        territory_id=enterprise.territory_id,
        industry_id=enterprise.industry_id,
        department=enterprise.industry.regulator,
        location="车间",
        description="配电箱未接地",
        category="site_management",
        nature="thing",
        level="general",
        source="government_inspection",
        found_by="检查组",
        found_on=timezone.localdate(),
        stage_started_at=now,
        registered_at=now,
    )


class EffectsTestCase:
    def test_the_enterprise_page_and_dossier_show_the_listing(self, kit, client_for, district):
        kit.entry(S.PUBLISHED)
        client = client_for(district.tom)
        for path in (
            f"/enterprises/{kit.ent_a.credit_code}/",
            f"/enterprises/{kit.ent_a.credit_code}/dossier/",
        ):
            html = client.get(path).content.decode()
            assert "已列入安全生产严重失信主体名单" in html, path

    def test_an_enterprise_never_proposed_has_no_section(self, kit, client_for, district):
        html = (
            client_for(district.tina).get(f"/enterprises/{kit.ent_b.credit_code}/").content.decode()
        )
        assert "严重失信主体名单" not in html

    def test_ledger_rows_mark_listed_enterprises_only(self, kit, client_for, district):
        kit.entry(S.PUBLISHED)
        _card(kit.ent_a, 1)
        _card(kit.ent_b, 2)
        html = client_for(district.alice).get("/hazards/").content.decode()
        rows = [r for r in html.split("<tr>") if "370306-YH-2026-" in r]
        marked = {("甲镇建筑公司" in r, "黑名单</span>" in r) for r in rows}
        assert marked == {(True, True), (False, False)}

    def test_the_self_inspection_cadence_is_shortened_by_the_policy_factor(self, kit):
        from hazardledger.inspections.models import SelfInspectionSchedule
        from hazardledger.inspections.selectors import schedule_states

        today = timezone.localdate()
        schedules = [
            SelfInspectionSchedule.objects.create(
                enterprise=e, cadence_days=30, starts_on=today - timedelta(days=90)
            )
            for e in (kit.ent_a, kit.ent_b)
        ]
        kit.entry(S.PUBLISHED)
        states = {
            s.schedule.enterprise_id: s.cadence_days for s in schedule_states(schedules, 30, today)
        }
        factor = kit.policy.inspection_frequency_factor
        assert states == {kit.ent_a.pk: int(30 / factor), kit.ent_b.pk: 30}
        assert selectors.inspection_frequency_factor(kit.ent_a) == factor
        assert selectors.inspection_frequency_factor(kit.ent_b) == 1.0

    def test_the_veto_follows_decided_listings_and_the_policy(self, kit):
        today = timezone.localdate()
        kit.entry(S.NOTIFIED)
        assert not selectors.is_vetoed(kit.ent_a, today)
        kit.entry(S.APPROVED)
        assert selectors.is_vetoed(kit.ent_a, today)
        assert not selectors.is_vetoed(kit.ent_b, today)


class RulesTestCase:
    def test_a_three_year_listing_ends_the_day_before_its_anniversary(self):
        assert rules.expires_on(date(2026, 3, 1), 3) == date(2029, 2, 28)
        assert rules.expires_on(date(2024, 2, 29), 3) == date(2027, 2, 27)

    def test_the_earliest_repair_is_twelve_months_on(self):
        assert rules.earliest_repair_on(date(2026, 1, 31), 12) == date(2027, 1, 31)
        assert rules.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)

    def test_restricting_is_inclusive_of_both_ends(self):
        states = selectors.OFFICIAL_STATES
        listed, end = date(2026, 1, 1), date(2028, 12, 31)
        assert rules.is_restricting(S.PUBLISHED, listed, end, listed, states)
        assert rules.is_restricting(S.PUBLISHED, listed, end, end, states)
        assert not rules.is_restricting(S.PUBLISHED, listed, end, end + timedelta(days=1), states)
        assert not rules.is_restricting(S.OBJECTION, listed, end, listed, states)
