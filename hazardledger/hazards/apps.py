from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HazardsConfig(AppConfig):
    name = "hazardledger.hazards"
    label = "hazards"
    verbose_name = _("隐患排查治理")

    def ready(self) -> None:
        from hazardledger.org.models import Role
        from hazardledger.org.navigation import register

        everyone = frozenset(Role.values)
        register(_("我的待办"), "hazards:mywork", everyone, 5)
        register(_("隐患台账"), "hazards:ledger", everyone, 20)
        register(_("消息"), "hazards:notifications", everyone, 90)
