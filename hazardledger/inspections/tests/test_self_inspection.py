"""Enterprise self-inspection: a recurring schedule at the policy cadence; missed periods listed."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from hazardledger.audit.models import AuditEvent
from hazardledger.inspections import rules, selectors, services
from hazardledger.inspections.models import SelfInspectionSchedule

from .conftest import days_ago

D0 = date(2026, 1, 1)


class PeriodRulesTestCase:
    def test_it_finds_the_period_of_a_day(self):
        assert rules.period_at(D0, 30, D0 - timedelta(days=1)) is None
        assert rules.period_at(D0, 30, D0) == rules.Period(D0, date(2026, 1, 30))
        assert rules.period_at(D0, 30, date(2026, 1, 31)) == rules.Period(
            date(2026, 1, 31), date(2026, 3, 1)
        )

    def test_it_lists_closed_periods_and_missed_ones(self):
        today = D0 + timedelta(days=100)
        closed = rules.closed_periods(D0, 30, today)
        assert [(p.start - D0).days for p in closed] == [0, 30, 60]
        assert [(p.end - D0).days for p in closed] == [29, 59, 89]
        missed = rules.missed_periods(closed, [D0 + timedelta(days=10), D0 + timedelta(days=95)])
        assert [(p.start - D0).days for p in missed] == [30, 60]
        assert (
            len(rules.closed_periods(D0, 1, D0 + timedelta(days=400)))
            == rules.MISSED_LOOKBACK_PERIODS
        )

    def test_it_computes_the_next_due_date(self):
        today = D0 + timedelta(days=100)  # current period: days 90..119
        assert rules.next_due(D0, 30, today, []) == D0 + timedelta(days=119)
        assert rules.next_due(D0, 30, today, [D0 + timedelta(days=95)]) == D0 + timedelta(days=149)
        assert rules.next_due(D0, 30, D0 - timedelta(days=5), []) == D0 + timedelta(days=29)


@pytest.fixture
def schedules(kit):
    """a_build and b_build on the policy cadence (30 days) from 100 days ago; a_chem every 10."""
    start = days_ago(100)
    for enterprise in (kit.a_build, kit.b_build):
        services.schedule_save(actor=kit.d.alice, enterprise=enterprise, starts_on=start)
    services.schedule_save(
        actor=kit.d.alice, enterprise=kit.a_chem, starts_on=days_ago(25), cadence_days=10
    )
    # a_build self-inspected in its first and current periods: periods 2 and 3 missed.
    kit.inspect(kit.a_build, actor=kit.d.eve, kind="self", on=start + timedelta(days=10))
    kit.inspect(kit.a_build, actor=kit.d.eve, kind="self", on=start + timedelta(days=95))
    # A government inspection is not a self-inspection.
    kit.inspect(
        kit.b_build,
        actor=kit.d.tina,
        lead=kit.d.tina,
        inspectors=[kit.d.dora],
        on=start + timedelta(days=40),
    )
    return start


def missed(user, **filters):
    rows = selectors.missed_self_inspections(user, 30, timezone.localdate(), **filters)
    return sorted(
        (r.state.schedule.enterprise.name, (r.period.start - r.state.schedule.starts_on).days)
        for r in rows
    )


class MissedListTestCase:
    def test_it_lists_missed_periods_for_the_territory(self, kit, schedules):
        assert missed(kit.d.tom) == [
            ("甲镇化工厂", 0),
            ("甲镇化工厂", 10),
            ("甲镇建筑公司", 30),
            ("甲镇建筑公司", 60),
        ]
        assert missed(kit.d.tina) == [
            ("乙街道建筑公司", 0),
            ("乙街道建筑公司", 30),
            ("乙街道建筑公司", 60),
        ]

    def test_it_lists_missed_periods_for_the_regulator(self, kit, schedules):
        assert {name for name, _ in missed(kit.d.dora)} == {"甲镇建筑公司", "乙街道建筑公司"}
        assert len(missed(kit.d.alice)) == 7
        assert {name for name, _ in missed(kit.d.alice, industry_id=kit.d.chemicals.pk)} == {
            "甲镇化工厂"
        }

    def test_it_follows_the_policy_cadence(self, kit, schedules):
        rows = selectors.missed_self_inspections(kit.d.tina, 50, timezone.localdate())
        assert [(r.period.start - schedules).days for r in rows] == [50, 0]

    def test_it_ignores_inactive_schedules(self, kit, schedules):
        services.schedule_save(
            actor=kit.d.tina, enterprise=kit.b_build, starts_on=schedules, is_active=False
        )
        assert missed(kit.d.tina) == []

    def test_it_shows_the_list_and_exports_it(self, kit, schedules, client_for):
        client = client_for(kit.d.tom)
        html = client.get(reverse("inspections:self")).content.decode()
        assert "甲镇建筑公司" in html and "乙街道建筑公司" not in html
        start = schedules + timedelta(days=30)
        assert start.strftime("%Y-%m-%d") in html
        response = client.get(reverse("inspections:self_export"))
        book = load_workbook(io.BytesIO(response.content))
        rows = list(book.active.iter_rows(min_row=2, values_only=True))
        assert sorted(r[0] for r in rows) == [
            "甲镇化工厂",
            "甲镇化工厂",
            "甲镇建筑公司",
            "甲镇建筑公司",
        ]

    def test_it_shows_the_enterprise_its_schedule(self, kit, schedules, client_for):
        html = client_for(kit.d.eve).get(reverse("inspections:self")).content.decode()
        assert "甲镇建筑公司" in html and "乙街道建筑公司" not in html
        assert "每 30 天" in html
        due = schedules + timedelta(days=149)
        assert due.strftime("%Y-%m-%d") in html


class ScheduleWritesTestCase:
    def test_it_creates_missing_schedules_in_the_scope(self, kit, client_for):
        response = client_for(kit.d.tom).post(
            reverse("inspections:schedules_create"), {"starts_on": days_ago(3).isoformat()}
        )
        assert response.status_code == 302
        names = set(SelfInspectionSchedule.objects.values_list("enterprise__name", flat=True))
        assert names == {"甲镇建筑公司", "甲镇化工厂"}
        assert AuditEvent.objects.filter(action="schedule.create_missing").count() == 1
        assert services.schedules_create_missing(actor=kit.d.tom, starts_on=days_ago(1)) == 0

    def test_it_edits_one_schedule_with_field_errors(self, kit, client_for):
        client = client_for(kit.d.dora)
        url = reverse("inspections:schedule_edit", args=[kit.b_build.pk])
        response = client.post(
            url, {"starts_on": days_ago(5).isoformat(), "cadence_days": "0", "is_active": "on"}
        )
        assert response.status_code == 400 and "周期应为 1–366 天" in response.content.decode()
        assert not SelfInspectionSchedule.objects.exists()
        response = client.post(
            url, {"starts_on": days_ago(5).isoformat(), "cadence_days": "14", "is_active": "on"}
        )
        assert response.status_code == 302
        assert SelfInspectionSchedule.objects.get().cadence_days == 14

    def test_it_answers_404_and_403(self, kit, client_for):
        assert (
            client_for(kit.d.dora)
            .get(reverse("inspections:schedule_edit", args=[kit.a_chem.pk]))
            .status_code
            == 404
        )
        assert (
            client_for(kit.d.tina)
            .get(reverse("inspections:schedule_edit", args=[kit.a_build.pk]))
            .status_code
            == 404
        )
        for person in (kit.d.eve, kit.d.leo, kit.d.carl):
            assert (
                client_for(person)
                .get(reverse("inspections:schedule_edit", args=[kit.a_build.pk]))
                .status_code
                == 403
            )
        with pytest.raises(PermissionDenied):
            services.schedule_save(actor=kit.d.eve, enterprise=kit.a_build, starts_on=days_ago(1))
        with pytest.raises(ValidationError):
            services.schedule_save(actor=kit.d.tom, enterprise=kit.a_build, starts_on=None)
