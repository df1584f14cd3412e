"""Joint enforcement actions (联合执法, M7): recorded by the group or the district office."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hazardledger.audit.services import record
from hazardledger.enterprises.models import Enterprise
from hazardledger.org.models import TERRITORY_KINDS, Role, Unit, UnitKind
from hazardledger.org.selectors import has_role

from .models import Case, JointAction

JOINT_ROLES = (Role.ENFORCEMENT_OFFICER, Role.DISTRICT_ADMIN)


@transaction.atomic
def joint_action_record(
    *,
    actor: Any,
    acted_on: date,
    title: str,
    lead_unit: Unit,
    units: Sequence[Unit],
    territories: Sequence[Unit] = (),
    enterprises: Sequence[Enterprise] = (),
    cases: Sequence[Case] = (),
    note: str = "",
) -> JointAction:
    """Record one action. Participating departments and territories count as crossed."""
    if actor is not None and not has_role(actor, *JOINT_ROLES):
        raise PermissionDenied(_("您的角色无权登记联合执法行动"))
    errors: dict[str, list[str]] = {}
    if not (title or "").strip():
        errors["title"] = [_("请填写行动名称")]
    participants = {u.pk: u for u in [lead_unit, *units]}
    if len(participants) < 2:
        errors["units"] = [_("联合执法至少需要两个单位参加")]
    if errors:
        raise ValidationError(errors)
    crossed_territories = {u.pk for u in territories if u.kind in TERRITORY_KINDS}
    if len(crossed_territories) != len({u.pk for u in territories}):
        raise ValidationError({"territories": [_("涉及镇街只能选择镇、街道或开发区")]})
    crossed_territories |= {pk for pk, u in participants.items() if u.kind in TERRITORY_KINDS}
    departments = {pk for pk, u in participants.items() if u.kind == UnitKind.DEPARTMENT}
    action = JointAction.objects.create(
        acted_on=acted_on,
        title=title.strip(),
        lead_unit=lead_unit,
        note=note.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    action.units.set(list(participants))
    action.territories.set(sorted(crossed_territories))
    action.departments.set(sorted(departments))
    action.enterprises.set([e.pk for e in enterprises])
    action.cases.set([c.pk for c in cases])
    record(
        actor=actor,
        action="enforcement.joint_action",
        obj=action,
        changes={
            "acted_on": acted_on.isoformat(),
            "units": sorted(participants),
            "territories": sorted(crossed_territories),
            "departments": sorted(departments),
        },
    )
    return action
