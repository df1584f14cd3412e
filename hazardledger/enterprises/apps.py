from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "hazardledger.enterprises"
    label = "enterprises"
    verbose_name = _("一企一档")

    def ready(self) -> None:
        from hazardledger.org.navigation import register

        from .selectors import COVERAGE_ROLES, READER_ROLES

        register(_("企业档案"), "enterprises:list", READER_ROLES, 10)
        register(_("监管盲区"), "enterprises:coverage", COVERAGE_ROLES, 12)
