from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnforcementConfig(AppConfig):
    name = "hazardledger.enforcement"
    label = "enforcement"
    verbose_name = _("执法与关停拆除")

    def ready(self) -> None:
        from . import wiring

        wiring.connect()
