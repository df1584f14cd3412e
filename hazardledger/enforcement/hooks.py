"""The hazard card's 责令停产停业 opens a suspension case; 恢复生产 waits for its acceptance."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _

from hazardledger.org.models import Role
from hazardledger.org.selectors import has_role

from .models import Case, CaseKind, CaseStatus

SUSPENSION_BASIS = _("《中华人民共和国安全生产法》第六十五条")


def _cases_from(hazard: Any):
    ct = ContentType.objects.get_for_model(hazard, for_concrete_model=True)
    return Case.objects.filter(origin_type=ct, origin_id=hazard.pk, kind=CaseKind.SUSPENSION)


def on_card_suspension(*, actor: Any, hazard: Any, reason: str) -> None:
    """Open the suspension case, already executed: the order was given on the spot."""
    from .services import case_open

    if _cases_from(hazard).exclude(status__in=[CaseStatus.LIFTED, CaseStatus.WITHDRAWN]).exists():
        return
    case_open(
        actor=actor,
        kind=CaseKind.SUSPENSION,
        enterprise=hazard.enterprise,
        origin=hazard,
        facts=_("隐患%(no)s：%(reason)s") % {"no": hazard.card_no, "reason": reason},
        legal_basis=str(SUSPENSION_BASIS),
        status=CaseStatus.EXECUTED,
    )


def card_resume_problem(hazard: Any) -> str | None:
    pending = _cases_from(hazard).exclude(status__in=[CaseStatus.LIFTED, CaseStatus.WITHDRAWN])
    case = pending.first()
    if case is None:
        return None
    return _("停产整顿案件%(no)s尚未经专家评估和部门验收，不能恢复生产") % {"no": case.number}


def case_lifted(*, actor: Any, case: Case) -> None:
    """Clear the card's 停产停业 flag once the case it opened is lifted by acceptance."""
    from hazardledger.hazards.models import Hazard
    from hazardledger.hazards.selectors import hazards_visible_to
    from hazardledger.hazards.services import hazard_resume_production

    origin = case.origin
    if not isinstance(origin, Hazard) or not origin.production_suspended:
        return
    # The card's own service checks its officer; a lift by a trusted caller leaves the flag
    # for the card's officer, whose 恢复生产 is no longer blocked.
    if actor is None or not has_role(actor, Role.TERRITORY_OFFICER, Role.DEPARTMENT_OFFICER):
        return
    if not hazards_visible_to(actor).filter(pk=origin.pk).exists():
        return
    hazard_resume_production(
        actor=actor, hazard=origin, reason=_("案件%(no)s复工验收合格") % {"no": case.number}
    )
