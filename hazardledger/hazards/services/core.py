"""What every hazard service shares: scope and role checks, file storage, the card's history
and audit event, and the guarded transition."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from hazardledger.audit.services import diff, record, snapshot
from hazardledger.experts.services import expert_release_target
from hazardledger.lib import files
from hazardledger.lib.workflow import ConcurrentChange, GuardFailed, Transition
from hazardledger.org.models import User
from hazardledger.org.selectors import roles_of
from hazardledger.policy.services import active_policy

from ..models import (
    CardCounter,
    FileKind,
    Hazard,
    HazardEvent,
    HazardFile,
    HazardStatus,
)
from ..selectors import changes_counted_fields, hazards_visible_to
from ..workflow import HAZARD_WORKFLOW

Upload = Any  # an UploadedFile or a files.CheckedFile


PLAN_FIELDS = (
    "responsible_person",
    "responsible_phone",
    "funds_yuan",
    "measures",
    "deadline",
    "emergency_plan",
    "objectives",
    "organisation_and_staff",
    "materials",
    "monitoring_measures",
)


def stored_plan(hazard: Hazard, *, has_plan_file: bool) -> dict[str, Any]:
    """The card's plan as saved, in the shape `rules.missing_plan_items` reads."""
    return {name: getattr(hazard, name) for name in PLAN_FIELDS} | {
        "has_emergency_plan_file": has_plan_file
    }


CARD_FIELDS = (
    "location",
    "description",
    "cause",
    "category",
    "nature",
    "level",
    "criteria_standard",
    "criteria_article",
    "criteria_item",
    "harm_analysis",
    "source",
    "source_ref",
    "found_by",
    "found_on",
    "legal_basis",
)
REQUIRED_CARD_FIELDS = {
    "location": _("请填写隐患部位"),
    "description": _("请填写隐患描述"),
    "category": _("请选择隐患类别"),
    "nature": _("请选择隐患性质"),
    "level": _("请选择隐患级别"),
    "source": _("请选择隐患来源"),
    "found_by": _("请填写发现人"),
    "found_on": _("请填写发现时间"),
}


# ---- helpers ------------------------------------------------------------------------------


def _role_for(actor: User, allowed: frozenset[str]) -> str:
    held = sorted(roles_of(actor) & allowed)
    return held[0] if held else ""


def _ensure_visible(actor: User, hazard: Hazard) -> None:
    if not hazards_visible_to(actor).filter(pk=hazard.pk).exists():
        raise PermissionDenied(_("该隐患不在您的管辖范围内"))


def _checked(uploads: Sequence[Upload], field: str, check) -> list[files.CheckedFile]:
    out = []
    for upload in uploads or ():
        if isinstance(upload, files.CheckedFile):
            out.append(upload)
            continue
        try:
            out.append(check(upload))
        except ValidationError as exc:
            raise GuardFailed(exc.messages, fields={field: exc.messages[0]}) from exc
    return out


def _store_files(
    *, actor: User, hazard: Hazard, kind: str, checked: Sequence[files.CheckedFile], now: Any
) -> list[HazardFile]:
    stored: list[str] = []
    rows = []
    try:
        for item in checked:
            name = files.store(item, "hazards")
            stored.append(name)
            rows.append(
                HazardFile(
                    hazard=hazard,
                    kind=kind,
                    file=name,
                    original_name=item.original_name,
                    content_type=item.content_type,
                    size=item.size,
                    sha256=item.sha256,
                    uploaded_by=actor,
                    uploaded_at=now,
                )
            )
        HazardFile.objects.bulk_create(rows)
    except Exception:
        files.discard(stored)
        raise
    return rows


def _log(
    *,
    actor: User | None,
    hazard: Hazard,
    action: str,
    from_status: str,
    role: str,
    changes: Mapping[str, Any],
    comment: str = "",
    data: Mapping[str, Any] | None = None,
) -> HazardEvent:
    event = HazardEvent.objects.create(
        hazard=hazard,
        at=timezone.now(),
        actor=actor,
        role=role,
        action=action,
        from_status=from_status,
        to_status=hazard.status,
        comment=comment,
        data=dict(data or {}),
    )
    record(
        actor=actor,
        action=f"hazard.{action}",
        obj=hazard,
        changes=changes,
        reason=comment,
        role=role,
        counted=from_status != hazard.status or changes_counted_fields(changes),
    )
    return event


def _transition(
    *,
    actor: User,
    hazard: Hazard,
    action: str,
    data: Mapping[str, Any] | None = None,
    values: Mapping[str, Any] | None = None,
    facts: Mapping[str, Any] | None = None,
    comment: str = "",
    event_data: Mapping[str, Any] | None = None,
) -> tuple[Transition, HazardEvent]:
    """Check, apply and log one transition of the table."""
    _ensure_visible(actor, hazard)
    policy = active_policy().hazards
    now = timezone.now()
    context = {
        "rules": policy,
        "now": now,
        "today": timezone.localdate(),
        "actor": actor,
        "data": dict(data or {}),
        **(facts or {}),
    }
    transition = HAZARD_WORKFLOW.check(hazard.status, action, roles_of(actor), hazard, context)
    target = transition.next_state(hazard, context)
    values = dict(values or {})
    if not transition.is_loop:
        values["stage_started_at"] = now
        values.update(_entering(target, hazard, now, actor))
    before = snapshot(hazard, [*values, "status"])
    from_status = hazard.status
    try:
        HAZARD_WORKFLOW.apply(hazard, target=target, values=values)
    except ConcurrentChange:
        if not transition.is_loop:
            raise
        # A step that keeps the state (a progress report, a listing) need not lose to another
        # one written a moment earlier: read the card again and apply it if still allowed.
        hazard.refresh_from_db()
        transition = HAZARD_WORKFLOW.check(hazard.status, action, roles_of(actor), hazard, context)
        HAZARD_WORKFLOW.apply(hazard, target=transition.next_state(hazard, context), values=values)
    changes = diff(before, snapshot(hazard, [*values, "status"]))
    changes.pop("stage_started_at", None)
    if from_status == HazardStatus.EVALUATING and hazard.status != HazardStatus.EVALUATING:
        # The evaluation is over (given, or the card voided): the expert's assignment ends.
        expert_release_target(actor=actor, target=hazard, reason=str(action))
    event = _log(
        actor=actor,
        hazard=hazard,
        action=action,
        from_status=from_status,
        role=_role_for(actor, transition.roles),
        changes=changes,
        comment=comment,
        data=event_data,
    )
    return transition, event


def _entering(target: str, hazard: Hazard, now: Any, actor: User) -> dict[str, Any]:
    """Fields that every entry into a status sets, whichever action leads there."""
    if target == HazardStatus.RECTIFYING:
        # A new round: earlier evaluation and application no longer count.
        return {"evaluated_at": None, "acceptance_applied_at": None}
    if target == HazardStatus.ACCEPTANCE_PENDING:
        return {"acceptance_applied_at": now}
    if target == HazardStatus.CLOSED:
        return {"closed_at": now}
    return {}


def _notify_after_commit(event: HazardEvent) -> None:
    from ..notifications import notify_for_event

    event_id = event.pk
    transaction.on_commit(lambda: notify_for_event(event_id))


def _evidence_count(hazard: Hazard, new: int) -> int:
    earlier = hazard.files.filter(
        kind=FileKind.AFTER_PHOTO, uploaded_at__gte=hazard.stage_started_at
    ).count()
    return earlier + new


def _field_errors(errors: Mapping[str, str]) -> None:
    if errors:
        raise GuardFailed(list(errors.values()), fields=errors)


# ---- registration -------------------------------------------------------------------------


def _next_card_no(district_code: str, year: int) -> str:
    """The next number of the year; the counter only grows, so numbers are never reused."""
    CardCounter.objects.get_or_create(year=year)
    CardCounter.objects.filter(year=year).update(last=F("last") + 1)
    sequence = CardCounter.objects.values_list("last", flat=True).get(year=year)
    return f"{district_code}-YH-{year}-{sequence:06d}"
