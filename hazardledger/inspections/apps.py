from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "hazardledger.inspections"
    label = "inspections"
    verbose_name = _("拉网式大检查")

    def ready(self) -> None:
        from hazardledger.enterprises.dossier import register_section
        from hazardledger.org.models import Role
        from hazardledger.org.navigation import register

        from .dossier import render_inspection_section
        from .selectors import CAMPAIGN_READER_ROLES, INSPECTION_READER_ROLES

        register(_("大检查"), "inspections:campaigns", CAMPAIGN_READER_ROLES, 30)
        register(_("检查记录"), "inspections:list", INSPECTION_READER_ROLES, 31)
        register(_("企业自查"), "inspections:self", INSPECTION_READER_ROLES, 32)
        register(_("检查表"), "inspections:checklists", {Role.DISTRICT_ADMIN}, 33)
        register_section("inspections", _("检查记录"), 40, render_inspection_section)
