from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TipoffsConfig(AppConfig):
    name = "hazardledger.tipoffs"
    label = "tipoffs"
    verbose_name = _("群众举报")

    def ready(self) -> None:
        import logging
        from datetime import timedelta

        from hazardledger.jobs.schedule import register as register_job

        from . import jobs

        # Pillow logs every EXIF tag it reads (GPS position, camera) at DEBUG; a tip-off
        # photo's metadata must not reach a log even when an operator turns DEBUG on.
        logging.getLogger("PIL").setLevel(logging.INFO)
        from hazardledger.hazards.notification_kinds import register_kind
        from hazardledger.org.models import Role
        from hazardledger.org.navigation import register, register_home_action

        from .selectors import ALL_SEEING
        from .workflow import CUSTODIANS, HANDLERS, INTAKE

        readers = ALL_SEEING | HANDLERS
        register(_("举报"), "tipoffs:list", readers, 40)
        register(_("身份查看记录"), "tipoffs:reveals", CUSTODIANS | {Role.SUPERVISOR}, 41)
        register(_("告知信"), "tipoffs:letters", INTAKE | HANDLERS, 42)
        register_home_action(_("登记举报"), "tipoffs:intake", INTAKE, 30, primary=True)
        register_home_action(_("审批身份查看申请"), "tipoffs:reveals", CUSTODIANS, 31, primary=True)
        register_kind("tipoff", _("举报"))
        register_job("tipoff_reminders", jobs.scheduled, every=timedelta(hours=1))
