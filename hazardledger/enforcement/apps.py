from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnforcementConfig(AppConfig):
    name = "hazardledger.enforcement"
    label = "enforcement"
    verbose_name = _("执法与关停拆除")

    def ready(self) -> None:
        from hazardledger.jobs.schedule import register as register_job

        from . import jobs, wiring

        wiring.connect()
        register_job("enforcement_reminders", jobs.scheduled, daily_at="08:00")
