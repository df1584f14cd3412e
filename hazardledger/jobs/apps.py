from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "hazardledger.jobs"
    label = "jobs"
    verbose_name = _("后台任务")

    def ready(self) -> None:
        from datetime import timedelta

        from .builtin import prune_task_results, send_hazard_reminders, sweep_uploads
        from .schedule import register

        register("hazard_reminders", send_hazard_reminders, every=timedelta(hours=1))
        register("sweep_uploads", sweep_uploads, daily_at="03:10")
        register("prune_task_results", prune_task_results, daily_at="03:40")
