from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "hazardledger.org"
    label = "org"
    verbose_name = _("组织机构与人员")

    def ready(self) -> None:
        from hazardledger.audit.models import register_action_labels

        from .models import Role
        from .navigation import OFFICIAL_ROLES, register

        register(_("工作台"), "home", frozenset(Role.values), 0)
        register(_("组织机构"), "org:directory", OFFICIAL_ROLES, 80)
        register(_("系统管理"), "admin:index", {Role.DISTRICT_ADMIN}, 99)
        register_action_labels(
            {
                "unit.create": _("新增单位"),
                "unit.update": _("修改单位"),
                "unit.delete": _("删除单位"),
                "unit.set_head": _("设定单位负责人"),
                "industry.create": _("新增行业领域"),
                "industry.update": _("修改行业领域"),
                "person.create": _("新增人员"),
                "person.update": _("修改人员"),
                "user.create": _("新增人员（系统管理）"),
                "user.update": _("修改人员（系统管理）"),
                "rolegrant.create": _("授予角色"),
                "rolegrant.update": _("修改角色"),
                "rolegrant.delete": _("撤销角色"),
                "group.set_members": _("调整小组成员"),
                "groupmembership.create": _("新增小组成员"),
                "groupmembership.delete": _("移除小组成员"),
                "uploads.sweep": _("清理无人引用的上传文件"),
            }
        )
