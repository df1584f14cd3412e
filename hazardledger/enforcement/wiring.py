"""What the app adds to others when Django starts: menu, home actions, dossier, hazard hook."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def connect() -> None:
    from hazardledger.enterprises.dossier import register_section
    from hazardledger.hazards.hooks import register_production_suspension
    from hazardledger.org.models import Role
    from hazardledger.org.navigation import register, register_home_action

    from . import hooks
    from .dossier import render_enforcement_section

    register_production_suspension(
        on_suspend=hooks.on_card_suspension, resume_problem=hooks.card_resume_problem
    )
    everyone = frozenset(Role.values)
    register(_("执法案件"), "enforcement:cases", everyone, 40)
    register(
        _("关停拆除组"),
        "enforcement:worklist",
        frozenset({Role.ENFORCEMENT_OFFICER, Role.DISTRICT_ADMIN, Role.DISTRICT_LEADER}),
        41,
    )
    register_home_action(
        _("执法工作台"),
        "enforcement:worklist",
        frozenset({Role.ENFORCEMENT_OFFICER}),
        30,
        primary=True,
    )
    register_section("enforcement", _("执法案件与强制措施"), 40, render_enforcement_section)
