"""Reminders: the day before a unit's meeting is due, the day after it was missed, overdue
items; a second run sends nothing new."""

from __future__ import annotations

from datetime import date

import time_machine
from django.core.management import call_command

from hazardledger.hazards.models import Notification
from hazardledger.meetings import jobs, services
from hazardledger.meetings.models import FollowUpItem

from .conftest import at

D = date


def _sent(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("user__username", flat=True))


def _missed_for(start: date) -> list[str]:
    rows = Notification.objects.filter(
        kind="meeting_missed", key__contains=f":{start.isoformat()}:"
    ).values_list("user__username", flat=True)
    return sorted(set(rows))


class RemindersTestCase:
    def test_it_reminds_the_day_before_the_week_is_due(self, district, weekly):
        # The week of 8 September is due Sunday the 14th: the reminder goes on the 13th.
        assert jobs.send_meeting_reminders(D(2014, 9, 12)).get("meeting_due", 0) == 0
        sent = jobs.send_meeting_reminders(D(2014, 9, 13))
        assert sent["meeting_due"] == 3  # tom (甲镇), tina (乙街道), carl (专委会)
        assert _sent("meeting_due") == ["carl", "tina", "tom"]
        assert jobs.send_meeting_reminders(D(2014, 9, 13)) == {}

    def test_it_skips_units_that_met(self, district, rec, weekly):
        rec.meeting(district.town_a, D(2014, 9, 9))
        jobs.send_meeting_reminders(D(2014, 9, 13))
        assert _sent("meeting_due") == ["carl", "tina"]

    def test_it_reports_a_missed_week_the_day_after(self, district, rec, weekly):
        rec.meeting(district.town_a, D(2014, 9, 9))
        rec.meeting(district.town_b, D(2014, 9, 10))
        jobs.send_meeting_reminders(D(2014, 9, 14))
        assert _missed_for(D(2014, 9, 8)) == []
        jobs.send_meeting_reminders(D(2014, 9, 15))
        # The committee missed the week: its member and the district admin hear of it.
        assert _missed_for(D(2014, 9, 8)) == ["alice", "carl"]
        jobs.send_meeting_reminders(D(2014, 9, 16))
        assert _missed_for(D(2014, 9, 8)) == ["alice", "carl"]

    def test_it_catches_up_on_days_it_did_not_run_but_not_for_ever(self, district, weekly):
        # Nobody met in the week of 1 September (due the 7th); a first run on the 14th still
        # says so, a first run on the 20th no longer does.
        jobs.send_meeting_reminders(D(2014, 9, 14))
        assert _missed_for(D(2014, 9, 1)) == ["alice", "carl", "tina", "tom"]
        assert Notification.objects.filter(kind="meeting_missed").count() == 6  # alice: three
        Notification.objects.all().delete()
        jobs.send_meeting_reminders(D(2014, 9, 20))
        assert _missed_for(D(2014, 9, 1)) == []

    def test_it_does_not_remind_a_unit_not_yet_established(self, district, weekly):
        from hazardledger.org.services import unit_upsert

        unit_upsert(actor=None, code="T-B", established_on=D(2014, 9, 17))
        jobs.send_meeting_reminders(D(2014, 9, 13))
        assert "tina" not in _sent("meeting_due")

    def test_it_reminds_owners_of_overdue_items_once(self, district, rec, weekly):
        meeting = rec.meeting(district.town_a, D(2014, 9, 9), decisions=["专项检查"])
        with time_machine.travel(at(D(2014, 9, 9)), tick=False):
            services.item_create(
                actor=district.tom,
                data=services.ItemInput(
                    decision=meeting.decisions.get(),
                    title="专项检查",
                    owner_unit=district.dept_a,
                    due_on=D(2014, 9, 12),
                ),
            )
        assert "item_overdue" not in jobs.send_meeting_reminders(D(2014, 9, 12))
        assert jobs.send_meeting_reminders(D(2014, 9, 13))["item_overdue"] == 2
        assert _sent("item_overdue") == ["dora", "fred"]  # the owner unit's officers
        assert "item_overdue" not in jobs.send_meeting_reminders(D(2014, 9, 14))
        FollowUpItem.objects.update(due_on=D(2014, 9, 11), owner_person=district.dora)
        # A new deadline is a new reminder, to the named owner alone.
        assert jobs.send_meeting_reminders(D(2014, 9, 14))["item_overdue"] == 1

    def test_the_command_runs_and_says_what_it_sent(self, district, weekly, capsys):
        with time_machine.travel(at(D(2014, 9, 13)), tick=False):
            call_command("send_meeting_reminders")
        # Due this week: three; the week of 1 September, missed by all: six (alice thrice).
        assert (
            "已发送提醒 9 条（联席会议将到期 3，联席会议未按期召开 6）" in capsys.readouterr().out
        )
        assert Notification.objects.filter(link="/meetings/new/").count() == 9


class ScheduledJobTestCase:
    def test_it_judges_each_day_by_the_date_it_runs_for(self, district, weekly):
        # The form a daily job of the schedule takes: fn(period) with the local date.
        result = jobs.scheduled_reminders("2014-09-13")
        assert result == "联席会议将到期 3 条、联席会议未按期召开 6 条"
        assert jobs.scheduled_reminders("2014-09-13") == "没有新的提醒"
