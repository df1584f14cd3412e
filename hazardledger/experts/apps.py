from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertsConfig(AppConfig):
    name = "hazardledger.experts"
    label = "experts"
    verbose_name = _("专家库")

    def ready(self) -> None:
        from hazardledger.org.models import Role
        from hazardledger.org.navigation import register, register_home_action

        from .selectors import ASSIGNER_ROLES, MANAGER_ROLES, READER_ROLES

        register(_("专家库"), "experts:list", READER_ROLES | ASSIGNER_ROLES, 40)
        register(_("我的评估任务"), "experts:mine", frozenset({Role.EXPERT}), 6)
        register_home_action(_("添加专家"), "experts:create", MANAGER_ROLES, 60, primary=False)
        register_home_action(
            _("我的评估任务"), "experts:mine", frozenset({Role.EXPERT}), 5, primary=True
        )
