"""The rectification plan (five must-haves), progress, rectification and extensions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hazardledger.lib import files
from hazardledger.lib.workflow import GuardFailed
from hazardledger.org.models import User

from ..models import (
    ExtensionStatus,
    FileKind,
    Hazard,
    HazardExtension,
    RectificationMode,
)
from ..selectors import pending_extension
from .core import (
    PLAN_FIELDS,
    Upload,
    _checked,
    _evidence_count,
    _field_errors,
    _store_files,
    _transition,
)


def plan_field_errors(plan: Mapping[str, Any], today: date) -> dict[str, str]:
    errors = {}
    funds = plan.get("funds_yuan")
    if funds not in (None, "") and (not isinstance(funds, int | Decimal) or funds < 0):
        errors["funds_yuan"] = _("整改资金应为不小于 0 的金额")
    deadline = plan.get("deadline")
    if deadline not in (None, "") and not isinstance(deadline, date):
        errors["deadline"] = _("整改时限格式不正确")
    elif isinstance(deadline, date) and deadline < today:
        errors["deadline"] = _("整改时限不能早于今天")
    return errors


def _plan_facts(hazard: Hazard, plan: Mapping[str, Any], new_file: bool) -> dict[str, Any]:
    merged = {name: plan.get(name, getattr(hazard, name)) for name in PLAN_FIELDS}
    merged["has_emergency_plan_file"] = (
        new_file or hazard.files.filter(kind=FileKind.EMERGENCY_PLAN).exists()
    )
    return merged


def _plan_values(plan: Mapping[str, Any]) -> dict[str, Any]:
    values = {k: v for k, v in plan.items() if k in PLAN_FIELDS}
    for name in ("funds_yuan", "deadline"):
        if values.get(name) == "":
            values[name] = None
    return values


@transaction.atomic
def hazard_save_plan(
    *,
    actor: User,
    hazard: Hazard,
    plan: Mapping[str, Any],
    emergency_plan_file: Upload | None = None,
) -> Hazard:
    """Save (part of) the rectification plan without starting rectification."""
    _field_errors(plan_field_errors(plan, timezone.localdate()))
    checked = _checked(
        [emergency_plan_file] if emergency_plan_file else [],
        "emergency_plan_file",
        files.check_document,
    )
    _transition(actor=actor, hazard=hazard, action="save_plan", values=_plan_values(plan))
    _store_files(
        actor=actor,
        hazard=hazard,
        kind=FileKind.EMERGENCY_PLAN,
        checked=checked,
        now=timezone.now(),
    )
    return hazard


@transaction.atomic
def hazard_submit_plan(
    *,
    actor: User,
    hazard: Hazard,
    plan: Mapping[str, Any] | None = None,
    emergency_plan_file: Upload | None = None,
) -> Hazard:
    """Start rectification; refused with the exact missing items until 五落实 is complete."""
    plan = plan or {}
    _field_errors(plan_field_errors(plan, timezone.localdate()))
    checked = _checked(
        [emergency_plan_file] if emergency_plan_file else [],
        "emergency_plan_file",
        files.check_document,
    )
    values = _plan_values(plan) | {"rectification_mode": RectificationMode.DEADLINE}
    _transition(
        actor=actor,
        hazard=hazard,
        action="submit_plan",
        values=values,
        facts={"plan": _plan_facts(hazard, plan, bool(checked))},
    )
    _store_files(
        actor=actor,
        hazard=hazard,
        kind=FileKind.EMERGENCY_PLAN,
        checked=checked,
        now=timezone.now(),
    )
    return hazard


# ---- rectification ------------------------------------------------------------------------


def _finish_rectification(
    *,
    actor: User,
    hazard: Hazard,
    action: str,
    note: str,
    photos: Sequence[Upload],
    funds_actual_yuan: Decimal | None,
    extra: Mapping[str, Any] | None = None,
) -> Hazard:
    checked = _checked(photos, "photos", files.check_photo)
    now = timezone.now()
    values = {"rectified_at": now, "rectification_note": note, **(extra or {})}
    if funds_actual_yuan is not None:
        values["funds_actual_yuan"] = funds_actual_yuan
    _transition(
        actor=actor,
        hazard=hazard,
        action=action,
        data={"note": note},
        values=values,
        facts={"evidence_count": _evidence_count(hazard, len(checked))},
        comment=note,
    )
    _store_files(actor=actor, hazard=hazard, kind=FileKind.AFTER_PHOTO, checked=checked, now=now)
    return hazard


@transaction.atomic
def hazard_rectify_immediately(
    *,
    actor: User,
    hazard: Hazard,
    note: str,
    photos: Sequence[Upload] = (),
    funds_actual_yuan: Decimal | None = None,
) -> Hazard:
    """立即整改: a general hazard fixed on the spot skips the plan (policy decides levels)."""
    return _finish_rectification(
        actor=actor,
        hazard=hazard,
        action="rectify_immediately",
        note=note,
        photos=photos,
        funds_actual_yuan=funds_actual_yuan,
        extra={"rectification_mode": RectificationMode.IMMEDIATE},
    )


@transaction.atomic
def hazard_mark_rectified(
    *,
    actor: User,
    hazard: Hazard,
    note: str,
    photos: Sequence[Upload] = (),
    funds_actual_yuan: Decimal | None = None,
) -> Hazard:
    """Report the rectification done, with evidence (after-photos)."""
    return _finish_rectification(
        actor=actor,
        hazard=hazard,
        action="mark_rectified",
        note=note,
        photos=photos,
        funds_actual_yuan=funds_actual_yuan,
    )


@transaction.atomic
def hazard_report_progress(
    *,
    actor: User,
    hazard: Hazard,
    text: str,
    percent: int | None = None,
    photos: Sequence[Upload] = (),
    monitoring_measures: str = "",
) -> Hazard:
    """A progress report during rectification (also the 挂牌督办 progress report)."""
    if percent is not None and not 0 <= percent <= 100:
        _field_errors({"percent": _("完成比例应在 0 到 100 之间")})
    checked = _checked(photos, "photos", files.check_photo)
    values = {"monitoring_measures": monitoring_measures} if monitoring_measures else {}
    _transition(
        actor=actor,
        hazard=hazard,
        action="report_progress",
        data={"text": text},
        values=values,
        comment=text,
        event_data={"percent": percent},
    )
    _store_files(
        actor=actor,
        hazard=hazard,
        kind=FileKind.PROGRESS_PHOTO,
        checked=checked,
        now=timezone.now(),
    )
    return hazard


# ---- extensions ---------------------------------------------------------------------------


@transaction.atomic
def hazard_request_extension(
    *,
    actor: User,
    hazard: Hazard,
    reason: str,
    interim_controls: str,
    new_deadline: date | None,
) -> HazardExtension:
    """Ask the regulator for a later deadline; the card stays 整改中."""
    data = {"reason": reason, "interim_controls": interim_controls, "new_deadline": new_deadline}
    _transition(
        actor=actor,
        hazard=hazard,
        action="request_extension",
        data=data,
        comment=reason,
        facts={"pending_extension": pending_extension(hazard) is not None},
        event_data={"new_deadline": new_deadline.isoformat() if new_deadline else None},
    )
    return HazardExtension.objects.create(
        hazard=hazard,
        requested_by=actor,
        requested_at=timezone.now(),
        reason=reason,
        interim_controls=interim_controls,
        old_deadline=hazard.deadline,
        new_deadline=new_deadline,
    )


def _decide_extension(
    *, actor: User, hazard: Hazard, approve: bool, opinion: str
) -> HazardExtension:
    extension = pending_extension(hazard)
    values = {"deadline": extension.new_deadline} if (approve and extension) else {}
    _transition(
        actor=actor,
        hazard=hazard,
        action="approve_extension" if approve else "reject_extension",
        data={"opinion": opinion},
        values=values,
        comment=opinion,
        facts={"pending_extension": extension is not None},
    )
    decided = HazardExtension.objects.filter(
        pk=extension.pk, status=ExtensionStatus.PENDING
    ).update(
        status=ExtensionStatus.APPROVED if approve else ExtensionStatus.REJECTED,
        decided_by=actor,
        decided_at=timezone.now(),
        opinion=opinion,
    )
    if decided != 1:  # pragma: no cover - the card's guarded update already serialises this
        raise GuardFailed(_("该延期申请已被处理"))
    extension.refresh_from_db()
    return extension


@transaction.atomic
def hazard_approve_extension(*, actor: User, hazard: Hazard, opinion: str = "") -> HazardExtension:
    """Approve the pending extension: the deadline moves to the requested date."""
    return _decide_extension(actor=actor, hazard=hazard, approve=True, opinion=opinion)


@transaction.atomic
def hazard_reject_extension(*, actor: User, hazard: Hazard, opinion: str) -> HazardExtension:
    """Refuse the pending extension: the deadline stays."""
    return _decide_extension(actor=actor, hazard=hazard, approve=False, opinion=opinion)


# ---- evaluation and acceptance -------------------------------------------------------------
