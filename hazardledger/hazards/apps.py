from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HazardsConfig(AppConfig):
    name = "hazardledger.hazards"
    label = "hazards"
    verbose_name = _("隐患排查治理")

    def ready(self) -> None:
        from hazardledger.enterprises.dossier import register_section
        from hazardledger.org.models import Role
        from hazardledger.org.navigation import register, register_home_action

        from .dossier import render_hazard_section
        from .notifications import unread_count
        from .workflow import REGISTER_ROLES

        everyone = frozenset(Role.values)
        register(_("我的待办"), "hazards:mywork", everyone, 5)
        register(_("隐患台账"), "hazards:ledger", everyone, 20)
        register(_("消息"), "hazards:notifications", everyone, 90, badge=unread_count)
        register_home_action(_("快速登记隐患"), "hazards:quick", REGISTER_ROLES, 10, primary=True)
        register_home_action(
            _("完整登记（含重大隐患）"), "hazards:create", REGISTER_ROLES, 20, primary=False
        )
        register_section("hazards", _("隐患"), 30, render_hazard_section)
