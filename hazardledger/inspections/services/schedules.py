"""Self-inspection schedules."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from hazardledger.audit.services import diff, record, snapshot
from hazardledger.enterprises.models import Enterprise
from hazardledger.enterprises.selectors import enterprises_visible_to

from ..models import (
    Checklist,
    SelfInspectionSchedule,
)
from ..selectors import (
    SCHEDULE_MANAGER_ROLES,
    enterprises_without_schedule,
)
from .core import _raise_if, _require, _user

# ---- self-inspection schedules ------------------------------------------------------------


def _schedule_errors(starts_on: Any, cadence_days: Any) -> dict[str, str]:
    errors = {}
    if not isinstance(starts_on, date):
        errors["starts_on"] = _("请填写起始日期")
    if cadence_days is not None and not (
        isinstance(cadence_days, int) and 1 <= cadence_days <= 366
    ):
        errors["cadence_days"] = _("周期应为 1–366 天")
    return errors


@transaction.atomic
def schedule_save(
    *,
    actor: Any,
    enterprise: Enterprise,
    starts_on: date,
    cadence_days: int | None = None,
    checklist: Checklist | None = None,
    is_active: bool = True,
) -> SelfInspectionSchedule:
    """Set an enterprise's self-inspection schedule (the regulator sets it, not the enterprise)."""
    _require(actor, SCHEDULE_MANAGER_ROLES, _("您的角色无权设置企业自查计划"))
    if not enterprises_visible_to(actor).filter(pk=enterprise.pk).exists():
        raise PermissionDenied(_("该企业不在您的管辖范围内"))
    _raise_if(_schedule_errors(starts_on, cadence_days))
    fields = ["starts_on", "cadence_days", "checklist", "is_active"]
    schedule = SelfInspectionSchedule.objects.filter(enterprise=enterprise).first()
    created = schedule is None
    schedule = schedule or SelfInspectionSchedule(enterprise=enterprise, created_by=_user(actor))
    before = {} if created else snapshot(schedule, fields)
    schedule.starts_on, schedule.cadence_days = starts_on, cadence_days
    schedule.checklist, schedule.is_active = checklist, is_active
    schedule.save()
    record(
        actor=actor,
        action="schedule.create" if created else "schedule.update",
        obj=schedule,
        changes=diff(before, snapshot(schedule, fields)),
    )
    return schedule


@transaction.atomic
def schedules_create_missing(*, actor: Any, starts_on: date) -> int:
    """Give every enterprise in the actor's scope without a schedule the policy's default one."""
    _require(actor, SCHEDULE_MANAGER_ROLES, _("您的角色无权设置企业自查计划"))
    _raise_if(_schedule_errors(starts_on, None))
    ids = list(enterprises_without_schedule(actor).values_list("pk", flat=True))
    SelfInspectionSchedule.objects.bulk_create(
        [
            SelfInspectionSchedule(enterprise_id=pk, starts_on=starts_on, created_by=_user(actor))
            for pk in ids
        ],
        ignore_conflicts=True,
    )
    record(
        actor=actor,
        action="schedule.create_missing",
        object_type="inspections.selfinspectionschedule",
        object_repr=_("批量建立企业自查计划"),
        changes={"count": [0, len(ids)], "starts_on": [None, starts_on]},
    )
    return len(ids)
