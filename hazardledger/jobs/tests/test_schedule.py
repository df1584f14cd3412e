from __future__ import annotations

from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from hazardledger.jobs import schedule
from hazardledger.jobs.models import RunStatus, ScheduledRun

pytestmark = pytest.mark.django_db(transaction=True)
SH = ZoneInfo("Asia/Shanghai")
PROFILES = Path(__file__).resolve().parents[2] / "policy" / "profiles"


@pytest.fixture
def calls():
    seen: list[str] = []
    saved = schedule.jobs()
    schedule._JOBS.clear()

    def daily(period: str) -> str:
        seen.append(f"daily {period}")
        return "ok"

    def hourly(period: str) -> str:
        seen.append(f"hourly {period}")
        return "ok"

    schedule.register("t_daily", daily, daily_at="06:00", catch_up=True)
    schedule.register("t_hourly", hourly, every=timedelta(hours=1))
    yield seen
    schedule._JOBS.clear()
    schedule._JOBS.update(saved)


class ScheduleTestCase:
    def test_it_runs_each_period_once_when_ticked_twice(self, calls):
        now = datetime(2026, 12, 3, 9, 15, tzinfo=SH)
        schedule.tick(now)
        schedule.tick(now + timedelta(minutes=20))
        assert sorted(calls) == ["daily 2026-12-03", "hourly 2026-12-03T09:00"]
        assert ScheduledRun.objects.filter(status=RunStatus.DONE).count() == 2

    def test_it_waits_for_the_daily_time(self, calls):
        schedule.tick(datetime(2026, 12, 3, 5, 59, tzinfo=SH))
        assert "daily 2026-12-02" in calls
        schedule.tick(datetime(2026, 12, 3, 6, 0, tzinfo=SH))
        assert "daily 2026-12-03" in calls

    def test_it_catches_up_each_missed_day_once(self, calls):
        schedule.tick(datetime(2026, 12, 1, 7, 0, tzinfo=SH))
        schedule.tick(datetime(2026, 12, 4, 7, 0, tzinfo=SH))
        schedule.tick(datetime(2026, 12, 4, 8, 0, tzinfo=SH))
        daily = sorted(c for c in calls if c.startswith("daily"))
        assert daily == [
            "daily 2026-12-01",
            "daily 2026-12-02",
            "daily 2026-12-03",
            "daily 2026-12-04",
        ]

    def test_it_skips_a_second_delivery_of_the_same_period(self, calls):
        from hazardledger.jobs.tasks import run_scheduled

        schedule.tick(datetime(2026, 12, 3, 9, 0, tzinfo=SH))
        n = len(calls)
        assert run_scheduled.call("t_hourly", "2026-12-03T09:00") == "skipped"
        assert len(calls) == n

    def test_it_records_a_failure_and_retries_it_on_redelivery(self):
        saved = schedule.jobs()
        schedule._JOBS.clear()
        attempts: list[int] = []

        def flaky(period: str) -> str:
            attempts.append(1)
            if len(attempts) == 1:
                raise RuntimeError("数据库暂不可用")
            return "ok"

        try:
            schedule.register("t_flaky", flaky, every=timedelta(hours=1))
            schedule.tick(datetime(2026, 12, 3, 9, 0, tzinfo=SH))
            run = ScheduledRun.objects.get(job="t_flaky")
            assert run.status == RunStatus.FAILED
            assert "数据库暂不可用" in run.result
            from hazardledger.jobs.tasks import run_scheduled

            assert run_scheduled.call("t_flaky", run.period) == "ok"
            run.refresh_from_db()
            assert (run.status, run.attempts) == (RunStatus.DONE, 2)
        finally:
            schedule._JOBS.clear()
            schedule._JOBS.update(saved)


class DatabaseQueueTestCase:
    def test_it_queues_in_the_database_and_the_worker_runs_it_once(self, calls, settings):
        from django_tasks_db.models import DBTaskResult

        settings.TASKS = {
            "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
        }

        schedule.tick(datetime(2026, 12, 3, 9, 0, tzinfo=SH))
        assert calls == []
        assert DBTaskResult.objects.count() == 2
        call_command("run_worker", "--once", stdout=StringIO())
        # --once also schedules the periods of the real clock.
        assert {"daily 2026-12-03", "hourly 2026-12-03T09:00"} <= set(calls)
        n = len(calls)
        call_command("run_worker", "--once", stdout=StringIO())
        assert len(calls) == n
        assert DBTaskResult.objects.exclude(status="SUCCESSFUL").count() == 0


class BuiltinJobsTestCase:
    def test_the_shipped_jobs_are_registered(self):
        assert {"hazard_reminders", "sweep_uploads", "prune_task_results"} <= set(schedule.jobs())
        assert {"blacklist_expiry", "meeting_reminders", "tipoff_reminders"} <= set(schedule.jobs())

    def test_the_shipped_jobs_run_through_the_schedule(self, district):
        from hazardledger.policy.services import load_policy_file

        load_policy_file(actor=None, path=PROFILES / "zhoucun-demo.yaml", activate=True)
        schedule.tick(datetime(2026, 12, 3, 9, 0, tzinfo=SH))
        runs = dict(ScheduledRun.objects.values_list("job", "status"))
        shipped = {
            "hazard_reminders",
            "sweep_uploads",
            "prune_task_results",
            "blacklist_expiry",
            "enforcement_reminders",
            "meeting_reminders",
            "tipoff_reminders",
        }
        assert runs == dict.fromkeys(shipped, RunStatus.DONE)
        assert ScheduledRun.objects.get(job="hazard_reminders").result == "没有新的提醒"
