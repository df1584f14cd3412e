"""The demo meetings: weeks with gaps, a late entry, items open, closed and overdue; a second
run creates nothing."""

from __future__ import annotations

from django.utils import timezone

from hazardledger.demo import district as demo_district
from hazardledger.demo import meetings as demo_meetings
from hazardledger.meetings import compliance
from hazardledger.meetings.models import FollowUpItem, ItemStatus, Meeting


class DemoTestCase:
    def test_it_builds_gaps_a_late_entry_and_items_in_every_state(self, db, settings, tmp_path):
        settings.DATA_DIR = tmp_path
        demo_district.build()
        made, items = demo_meetings.build()
        assert made > 20 and items == 6
        today = timezone.localdate()
        start, end = compliance.default_range(today)
        figures = compliance.compute(start=start, end=end, today=today)
        assert sum(t.missed for t in figures.totals) > 0  # gaps
        assert sum(t.late for t in figures.totals) == 1  # the late entry
        assert figures.behind
        statuses = [
            (i.status, i.status == ItemStatus.OPEN and i.due_on < today)
            for i in FollowUpItem.objects.all()
        ]
        assert statuses.count((ItemStatus.CLOSED, False)) == 2
        assert statuses.count((ItemStatus.OPEN, True)) == 2
        assert statuses.count((ItemStatus.OPEN, False)) == 2
        count = Meeting.objects.count()
        assert demo_meetings.build() == (0, 0)
        assert Meeting.objects.count() == count
