"""The scheduled jobs of the apps that cannot register jobs themselves (they sit below jobs)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone


def send_hazard_reminders(period: str) -> str:
    from hazardledger.hazards.notification_kinds import kind_label
    from hazardledger.hazards.notifications import send_reminders

    created = send_reminders()
    parts = [f"{kind_label(k)} {n} 条" for k, n in sorted(created.items())]
    return "、".join(parts) or "没有新的提醒"


def sweep_uploads(period: str) -> str:
    from hazardledger.org.maintenance import sweep_uploads as sweep

    result = sweep()
    return f"检查 {result.examined} 个文件，清理 {result.removed} 个"


def prune_task_results(period: str) -> str:
    from django_tasks_db.models import DBTaskResult

    from .models import ScheduledRun

    cutoff = timezone.now() - timedelta(days=30)
    tasks, _ = DBTaskResult.objects.filter(finished_at__lt=cutoff).delete()
    runs, _ = ScheduledRun.objects.filter(finished_at__lt=cutoff - timedelta(days=335)).delete()
    return f"清理任务记录 {tasks} 条，运行记录 {runs} 条"
