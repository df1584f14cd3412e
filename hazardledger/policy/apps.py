from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    name = "hazardledger.policy"
    label = "policy"
    verbose_name = _("政策参数")

    def ready(self) -> None:
        from hazardledger.org.navigation import OFFICIAL_ROLES, register

        register(_("政策参数"), "policy:overview", OFFICIAL_ROLES, 85)
        from hazardledger.audit.models import register_action_labels

        register_action_labels(
            {"policy.load": _("载入政策参数方案"), "policy.activate": _("启用政策参数方案")}
        )
