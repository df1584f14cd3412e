from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "hazardledger.org"
    label = "org"
    verbose_name = _("组织机构与人员")

    def ready(self) -> None:
        from .models import Role
        from .navigation import OFFICIAL_ROLES, register

        register(_("工作台"), "home", frozenset(Role.values), 0)
        register(_("组织机构"), "org:directory", OFFICIAL_ROLES, 80)
        register(_("系统管理"), "admin:index", {Role.DISTRICT_ADMIN}, 99)
