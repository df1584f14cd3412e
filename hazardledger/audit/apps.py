from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "hazardledger.audit"
    label = "audit"
    verbose_name = _("审计日志")

    def ready(self) -> None:
        from hazardledger.org.navigation import register

        from .selectors import AUDIT_READER_ROLES

        register(_("审计日志"), "audit:events", set(AUDIT_READER_ROLES), 90)
