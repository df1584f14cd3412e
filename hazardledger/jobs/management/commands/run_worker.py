from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from hazardledger.jobs.schedule import tick

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "启动后台任务：定时任务调度（每个周期只排队一次）和任务执行进程。"
        "默认使用数据库队列；设置 REDIS_URL 时使用 Redis（RQ）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tick-seconds", type=float, default=30.0, help="调度检查间隔（秒）")
        parser.add_argument(
            "--once", action="store_true", help="调度一次、执行完已排队的任务后退出"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            enqueued = tick()
            self._drain(batch=True)
            self.stdout.write(f"已排队 {len(enqueued)} 个定时任务并执行完毕。")
            return
        stop = threading.Event()
        scheduler = threading.Thread(
            target=self._schedule, args=(stop, options["tick_seconds"]), daemon=True
        )
        scheduler.start()
        try:
            self._drain(batch=False)
        finally:
            stop.set()

    def _schedule(self, stop: threading.Event, every: float) -> None:
        while not stop.is_set():
            try:
                close_old_connections()
                tick()
            except Exception:  # the scheduler must outlive one bad tick (database restart)
                logger.exception("scheduler tick failed")
            stop.wait(every)

    def _drain(self, *, batch: bool) -> None:
        backend = settings.TASKS["default"]["BACKEND"]
        if backend.startswith("django_tasks_rq"):
            import django_rq

            worker = django_rq.get_worker("default", job_class="django_tasks_rq.Job")
            worker.work(burst=batch, with_scheduler=False)
        elif backend.startswith("django_tasks_db"):
            args = ["--batch"] if batch else []
            call_command("db_worker", "--no-startup-delay", "--interval", "1", *args)
        else:
            # Immediate backend (tests): tasks ran when enqueued.
            if not batch:
                while True:
                    time.sleep(3600)
