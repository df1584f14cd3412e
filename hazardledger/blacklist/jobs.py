"""The daily expiry job: records the removal of every entry whose term has ended.

Whether an entry restricts is computed from its dates, so nothing depends on this job having
run; it only writes the removal (status, date, audit event) that the dates already imply.
Running it twice removes nothing twice.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from hazardledger.lib.workflow import WorkflowError

from .models import Entry
from .services import entry_perform
from .workflow import LISTED


def expire_entries(today: date | None = None) -> int:
    """Remove every listed entry whose last day is before `today`; returns how many."""
    today = today or timezone.localdate()
    due = Entry.objects.filter(status__in=LISTED, expires_on__lt=today).order_by("pk")
    removed = 0
    for entry in due.select_related("enterprise").iterator(chunk_size=500):
        try:
            entry_perform(actor=None, entry=entry, action="expire", today=today)
        except WorkflowError:
            continue  # changed by someone else meanwhile; the next run sees its new state
        removed += 1
    return removed


def expire_job(period: str) -> str:
    """The daily run in the shape `jobs.schedule.register` takes (`fn(period) -> str`); not
    registered here, since the jobs app's tests list the shipped jobs."""
    return f"期满移出 {expire_entries()} 条"
