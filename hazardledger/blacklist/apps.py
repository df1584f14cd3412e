from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlacklistConfig(AppConfig):
    name = "hazardledger.blacklist"
    label = "blacklist"
    verbose_name = _("黑名单管理")

    def ready(self) -> None:
        from hazardledger.enterprises.dossier import register_section
        from hazardledger.hazards.ledger_table import register_enterprise_mark
        from hazardledger.hazards.notification_kinds import register_kind
        from hazardledger.inspections.selectors import register_frequency_factor
        from hazardledger.jobs.schedule import register as register_job
        from hazardledger.org.models import Role
        from hazardledger.org.navigation import register, register_home_action

        from . import effects, jobs, selectors
        from .messages import KIND
        from .workflow import PROPOSE_ROLES

        register(_("黑名单"), "blacklist:list", frozenset(Role.values), 60)
        register_home_action(
            _("黑名单待批准"),
            "blacklist:list",
            frozenset({Role.DISTRICT_LEADER}),
            60,
            primary=False,
        )
        register_home_action(
            _("提出列入黑名单"), "blacklist:create", PROPOSE_ROLES, 61, primary=False
        )
        register_section("blacklist", _("黑名单"), 5, effects.render_section)
        register_enterprise_mark("blacklist", selectors.listed_enterprise_ids, _("黑名单"))
        register_frequency_factor("blacklist", selectors.inspection_frequency_factors)
        register_kind(KIND, _("黑名单"))
        register_job("blacklist_expiry", jobs.expire_job, daily_at="00:05")
