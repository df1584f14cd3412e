"""Scheduled work: apps register idempotent jobs; `tick` enqueues each period exactly once.

A job is `fn(period: str) -> str` (a short result line). Its period is the hour bucket for
`every=` jobs and the local date for `daily_at=` jobs. A period is claimed by inserting a
`ScheduledRun` row under a unique constraint, so two schedulers, a restart or a run twice
enqueue nothing more; after a missed day a daily job with `catch_up` runs once per missed day
(bounded), otherwise once for the latest period.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

JobFn = Callable[[str], str]
MAX_CATCH_UP_DAYS = 14


@dataclass(frozen=True)
class Job:
    name: str
    fn: JobFn
    every: timedelta | None
    daily_at: time | None
    catch_up: bool


_JOBS: dict[str, Job] = {}


def register(
    name: str,
    fn: JobFn,
    *,
    every: timedelta | None = None,
    daily_at: str | None = None,
    catch_up: bool = False,
) -> None:
    if (every is None) == (daily_at is None):
        raise ValueError("give exactly one of every= and daily_at=")
    at = time.fromisoformat(daily_at) if daily_at else None
    _JOBS[name] = Job(name, fn, every, at, catch_up)


def jobs() -> dict[str, Job]:
    return dict(_JOBS)


def _interval_period(job: Job, now: datetime) -> str:
    assert job.every is not None
    seconds = int(job.every.total_seconds())
    bucket = int(now.timestamp()) // seconds * seconds
    return datetime.fromtimestamp(bucket, tz=timezone.get_current_timezone()).strftime(
        "%Y-%m-%dT%H:%M"
    )


def _daily_periods(job: Job, now: datetime, last: str | None) -> list[str]:
    assert job.daily_at is not None
    local = timezone.localtime(now)
    latest: date = local.date() if local.time() >= job.daily_at else local.date() - timedelta(1)
    if not job.catch_up or last is None:
        return [latest.isoformat()]
    start = max(date.fromisoformat(last) + timedelta(1), latest - timedelta(MAX_CATCH_UP_DAYS - 1))
    days = (latest - start).days + 1
    return [(start + timedelta(i)).isoformat() for i in range(max(days, 0))]


def due_periods(job: Job, now: datetime) -> list[str]:
    from .models import ScheduledRun

    if job.every is not None:
        return [_interval_period(job, now)]
    last = (
        ScheduledRun.objects.filter(job=job.name)
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
    return _daily_periods(job, now, last)


def claim(job: str, period: str, now: datetime) -> bool:
    """Insert the run row; False when the period was claimed before."""
    from .models import ScheduledRun

    try:
        with transaction.atomic():
            ScheduledRun.objects.create(job=job, period=period, enqueued_at=now)
    except IntegrityError:
        return False
    return True


def tick(now: datetime | None = None) -> list[tuple[str, str]]:
    """Enqueue every job period that is due and not yet claimed; returns what was enqueued."""
    from .tasks import run_scheduled

    now = now or timezone.now()
    enqueued = []
    for job in _JOBS.values():
        for period in due_periods(job, now):
            if claim(job.name, period, now):
                transaction.on_commit(lambda j=job.name, p=period: run_scheduled.enqueue(j, p))
                enqueued.append((job.name, period))
    return enqueued
