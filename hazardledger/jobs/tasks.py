"""The task the worker runs for every scheduled period."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from .models import RunStatus, ScheduledRun


@task()
def run_scheduled(job: str, period: str) -> str:
    from .schedule import jobs

    updated = ScheduledRun.objects.filter(
        job=job, period=period, status__in=[RunStatus.ENQUEUED, RunStatus.FAILED]
    ).update(status=RunStatus.RUNNING, started_at=timezone.now())
    if not updated:
        # Delivered twice, or already running elsewhere: the first delivery does the work.
        return "skipped"
    run = ScheduledRun.objects.get(job=job, period=period)
    try:
        result = jobs()[job].fn(period)
    except Exception as exc:
        ScheduledRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED,
            finished_at=timezone.now(),
            attempts=run.attempts + 1,
            result=f"{type(exc).__name__}: {exc}"[:500],
        )
        raise
    ScheduledRun.objects.filter(pk=run.pk).update(
        status=RunStatus.DONE,
        finished_at=timezone.now(),
        attempts=run.attempts + 1,
        result=(result or "")[:500],
    )
    return result or ""
