"""Cadence compliance against hand counts: a change of cadence between two profiles, a
meeting entered late, a unit created mid-period, the district's minimums."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from hazardledger.meetings import cadence, compliance
from hazardledger.meetings.compliance import HELD, LATE, MISSED, NOT_REQUIRED, PENDING
from hazardledger.org.services import unit_upsert

from .conftest import at, store_profile

D = date


def _table(figures):
    """{unit name: [(period start, status)]} for the cells that begin a period."""
    table = {u.name: [] for u in figures.units}
    for row in figures.rows:
        for unit, cell in zip(figures.units, row.cells, strict=True):
            if cell is not None and not cell.continued:
                table[unit.name].append((cell.period.start, cell.status))
    return table


def _totals(figures):
    return {
        t.unit.name: (t.held, t.late, t.missed, t.pending, t.not_required) for t in figures.totals
    }


class PeriodsTestCase:
    def test_it_cuts_weeks_from_the_first_monday_and_ends_with_the_policy(self, weekly):
        profiles = cadence.stored_profiles()
        periods = cadence.periods_for_kind(profiles, "town")
        # Issued Friday 2014-08-29: the first week is Monday 1 September; the last one runs
        # from Monday 29 September and is due by the 30th, the policy's last day.
        assert [(p.start, p.due) for p in periods] == [
            (D(2014, 9, 1), D(2014, 9, 7)),
            (D(2014, 9, 8), D(2014, 9, 14)),
            (D(2014, 9, 15), D(2014, 9, 21)),
            (D(2014, 9, 22), D(2014, 9, 28)),
            (D(2014, 9, 29), D(2014, 9, 30)),
        ]
        assert periods[0].iso_label == "2014-W36"
        assert cadence.periods_for_kind(profiles, "department") == []

    def test_it_uses_the_profile_in_force_on_each_day(self, two_profiles):
        profiles = cadence.stored_profiles()
        periods = cadence.periods_for_kind(profiles, "street")
        assert [p.profile_code for p in periods[:5]] == ["zhoucun-2014"] * 5
        after = periods[5:]
        assert after[0].start == D(2014, 10, 6) and after[0].due == D(2014, 10, 19)
        assert {p.profile_code for p in after} == {"zhoucun-2014-q4"}
        assert {p.cadence_days for p in after} == {14}
        assert after[0].iso_label == "2014-W41–W42"
        assert after[-1].due == D(2014, 12, 31)

    def test_it_lets_no_draft_override_the_active_profile(self, weekly):
        store_profile(
            "draft",
            activate=False,
            joint_meetings__territory_cadence_days=3,
            joint_meetings__cadence_until="2014-12-31",
        )
        profiles = cadence.stored_profiles()
        assert cadence.in_force(profiles, D(2014, 9, 10)).code == "zhoucun-2014"
        periods = cadence.periods_for_kind(profiles, "town")
        assert {p.profile_code for p in periods} == {"zhoucun-2014"}

    def test_it_honours_the_policys_own_week_start(self, db):
        store_profile("sunday-weeks", activate=True, joint_meetings__week_starts_on=7)
        periods = cadence.periods_for_kind(cadence.stored_profiles(), "town")
        assert periods[0].start == D(2014, 8, 31)  # a Sunday
        assert periods[0].iso_label == "2014-W35–W36"


@pytest.fixture
def history(district, rec, two_profiles):
    """Meetings of September to November 2014 (see the hand count in the test)."""
    d = district
    unit_upsert(actor=None, code="T-B", established_on=D(2014, 9, 17))
    for day in [D(2014, 9, 3), D(2014, 9, 10), D(2014, 9, 30), D(2014, 10, 3), D(2014, 10, 8)]:
        rec.meeting(d.town_a, day)
    rec.meeting(d.town_a, D(2014, 9, 11))  # a second one in the same week counts once
    rec.meeting(d.town_a, D(2014, 9, 24), entered_on=D(2014, 10, 2))  # entered late
    for day in [D(2014, 9, 23), D(2014, 10, 21), D(2014, 11, 4)]:
        rec.meeting(d.town_b, day)
    for day in [D(2014, 9, 12), D(2014, 10, 15)]:
        rec.meeting(d.office, day, others=[d.town_a, d.dept_a])
    return d


class ComplianceTestCase:
    def test_it_matches_the_hand_count_across_the_change_of_cadence(self, history):
        figures = compliance.compute(
            start=D(2014, 9, 1), end=D(2014, 11, 10), today=D(2014, 11, 10)
        )
        table = _table(figures)
        # Weekly in September, then fortnightly from Monday 6 October; 1–5 October belong to
        # no period (the 3 October meeting counts for nothing).
        assert table["甲镇"] == [
            (D(2014, 9, 1), HELD),
            (D(2014, 9, 8), HELD),
            (D(2014, 9, 15), MISSED),
            (D(2014, 9, 22), LATE),
            (D(2014, 9, 29), HELD),
            (D(2014, 10, 6), HELD),
            (D(2014, 10, 20), MISSED),
            (D(2014, 11, 3), PENDING),
        ]
        # Established Wednesday 17 September: due from the week of 22 September on.
        assert table["乙街道"] == [
            (D(2014, 9, 1), NOT_REQUIRED),
            (D(2014, 9, 8), NOT_REQUIRED),
            (D(2014, 9, 15), NOT_REQUIRED),
            (D(2014, 9, 22), HELD),
            (D(2014, 9, 29), MISSED),
            (D(2014, 10, 6), MISSED),
            (D(2014, 10, 20), HELD),
            (D(2014, 11, 3), HELD),
        ]
        # (held, of which late, missed, pending, not required)
        assert _totals(figures) == {
            "建筑施工专委会": (0, 0, 7, 1, 0),
            "乙街道": (3, 0, 2, 0, 3),
            "甲镇": (5, 1, 2, 1, 0),
        }
        assert [t.unit.name for t in figures.behind] == ["建筑施工专委会", "甲镇", "乙街道"]
        assert [r.iso_label for r in figures.rows][-3:] == [
            "2014-W41–W42",
            "2014-W43–W44",
            "2014-W45–W46",
        ]
        assert [r.week_no for r in figures.rows] == [1, 2, 3, 4, 5, 1, 2, 3]

    def test_it_counts_the_late_meeting_for_its_week_and_flags_it(self, history, rec):
        late = history.town_a.convened_meetings.get(held_on=D(2014, 9, 24))
        period, flagged = compliance.meeting_standing(late)
        assert period.start == D(2014, 9, 22) and flagged
        on_time = history.town_a.convened_meetings.get(held_on=D(2014, 9, 30))
        assert compliance.meeting_standing(on_time)[1] is False
        # Before it was entered, that week was missed.
        late.delete()
        figures = compliance.compute(
            start=D(2014, 9, 22), end=D(2014, 9, 28), today=D(2014, 11, 10)
        )
        assert _table(figures)["甲镇"] == [(D(2014, 9, 22), MISSED)]

    def test_it_reports_the_district_minimums_per_profile(self, history):
        figures = compliance.compute(
            start=D(2014, 9, 1), end=D(2014, 11, 10), today=D(2014, 11, 10)
        )
        [window] = figures.district  # the follow-up profile sets no minimums
        assert (window.start, window.end) == (D(2014, 8, 29), D(2014, 9, 30))
        assert (window.meetings, window.min_meetings) == (1, 2)
        assert not window.meetings_met and not window.is_open

    def test_it_shows_a_town_officer_only_their_own_unit(self, history):
        figures = compliance.compute(
            start=D(2014, 9, 1), end=D(2014, 9, 30), user=history.tom, today=D(2014, 11, 10)
        )
        assert [u.name for u in figures.units] == ["甲镇"]

    def test_it_counts_nothing_due_before_the_period_ends(self, district, rec, weekly):
        with time_machine.travel(at(D(2014, 9, 10)), tick=False):
            figures = compliance.compute(start=D(2014, 9, 1), end=D(2014, 9, 30))
        assert _table(figures)["甲镇"][:3] == [
            (D(2014, 9, 1), MISSED),
            (D(2014, 9, 8), PENDING),
            (D(2014, 9, 15), PENDING),
        ]


class ProfileFieldsTestCase:
    def test_a_profile_without_the_new_fields_loads_with_the_documents_reading(self, db):
        import yaml

        from hazardledger.policy.services import parse_policy

        from .conftest import PROFILES

        content = yaml.safe_load((PROFILES / "zhoucun-2014.yaml").read_bytes())
        for key in (
            "unit_kinds",
            "week_starts_on",
            "district_convener_kinds",
            "joint_action_must_cross",
            "remind_days_before_due",
            "remind_days_after_missed",
        ):
            content["joint_meetings"].pop(key)
        rules = parse_policy(yaml.safe_dump(content).encode()).joint_meetings
        assert rules.unit_kinds == ["professional_committee", "town", "street"]
        assert rules.week_starts_on == 1 and rules.cadence_from is None
        assert rules.joint_action_must_cross == ["territories", "departments"]

    def test_it_refuses_a_window_that_ends_before_it_starts(self, db):
        import yaml

        from hazardledger.policy.services import PolicyFileError, parse_policy

        from .conftest import PROFILES

        content = yaml.safe_load((PROFILES / "zhoucun-2014.yaml").read_bytes())
        content["joint_meetings"]["cadence_from"] = "2014-10-30"
        with pytest.raises(PolicyFileError) as exc:
            parse_policy(yaml.safe_dump(content).encode())
        assert "联席会议周期截止日期不能早于起始日期" in str(exc.value)
