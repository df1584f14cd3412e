"""Every write to a hazard card (DESIGN.md §3.1).

Each service is keyword-only and atomic: it checks scope and role, validates, moves the card
through the workflow table with a guarded update, writes one audit event (and the card's own
history row), and schedules notifications on commit. Refusals raise `WorkflowError`
subclasses (409/422) or `PermissionDenied` (403) and change nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from hazardledger.audit.services import diff, record, snapshot
from hazardledger.enterprises.models import Enterprise
from hazardledger.enterprises.selectors import enterprises_visible_to
from hazardledger.lib import files
from hazardledger.lib.workflow import ConcurrentChange, GuardFailed, Transition
from hazardledger.org.models import Role, Unit, User
from hazardledger.org.selectors import has_role, roles_of
from hazardledger.policy.services import active_policy

from . import hooks, rules
from .models import (
    CardCounter,
    ExtensionStatus,
    FileKind,
    Hazard,
    HazardEvent,
    HazardExtension,
    HazardFile,
    HazardLevel,
    HazardSource,
    HazardStatus,
    RectificationMode,
)
from .selectors import changes_counted_fields, hazards_visible_to, pending_extension
from .workflow import HAZARD_WORKFLOW, REGISTER_ROLES

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
    from .notifications import notify_for_event

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


def card_field_errors(data: Mapping[str, Any], today: date) -> dict[str, str]:
    """Field errors of a card's registration data (required fields, dates, 重大 extras)."""
    errors = {
        name: str(message)
        for name, message in REQUIRED_CARD_FIELDS.items()
        if not str(data.get(name) or "").strip()
    }
    found_on = data.get("found_on")
    if found_on and not isinstance(found_on, date):
        errors["found_on"] = _("发现时间格式不正确")
    elif isinstance(found_on, date) and found_on > today:
        errors["found_on"] = _("发现时间不能晚于今天")
    if data.get("level") and data["level"] not in HazardLevel.values:
        errors["level"] = _("隐患级别不正确")
    rules_ = active_policy().hazards
    for name, message in rules.major_problems(rules_, data.get("level", ""), data).items():
        errors.setdefault(name, message)
    return errors


@transaction.atomic
def hazard_register(
    *,
    actor: User,
    enterprise: Enterprise,
    data: Mapping[str, Any],
    photos: Sequence[Upload] = (),
    plan: Mapping[str, Any] | None = None,
) -> Hazard:
    """Register a card for an enterprise in the actor's scope; returns it as 待确认.

    Enterprise users register their own self-inspection findings; officers any source.
    """
    if not has_role(actor, *REGISTER_ROLES):
        raise PermissionDenied(_("您的角色无权登记隐患"))
    if not enterprises_visible_to(actor).filter(pk=enterprise.pk).exists():
        raise PermissionDenied(_("该企业不在您的管辖范围内"))
    data = {name: data.get(name, "") for name in CARD_FIELDS}
    if has_role(actor, Role.ENTERPRISE_USER) and not has_role(
        actor, Role.TERRITORY_OFFICER, Role.DEPARTMENT_OFFICER
    ):
        data["source"] = HazardSource.SELF_INSPECTION
    now = timezone.now()
    errors = card_field_errors(data, timezone.localdate())
    errors.update(plan_field_errors(plan or {}, timezone.localdate()))
    _field_errors(errors)
    checked = _checked(photos, "photos", files.check_photo)
    regulator = enterprise.industry.regulator if enterprise.industry_id else None
    hazard = Hazard.objects.create(
        card_no=_next_card_no(active_policy().district.code, timezone.localdate().year),
        enterprise=enterprise,
        territory_id=enterprise.territory_id,
        industry_id=enterprise.industry_id,
        department=regulator,
        status=HazardStatus.REGISTERED,
        stage_started_at=now,
        registered_at=now,
        registered_by=actor,
        **{k: v for k, v in data.items() if v is not None},
        **{k: v for k, v in (plan or {}).items() if k in PLAN_FIELDS and v not in (None, "")},
    )
    _store_files(actor=actor, hazard=hazard, kind=FileKind.BEFORE_PHOTO, checked=checked, now=now)
    _log(
        actor=actor,
        hazard=hazard,
        action="register",
        from_status="",
        role=_role_for(actor, REGISTER_ROLES),
        changes={"card_no": [None, hazard.card_no], "status": [None, hazard.status]},
    )
    return hazard


# ---- 定级 and 抄告 -------------------------------------------------------------------------


@transaction.atomic
def hazard_confirm(
    *,
    actor: User,
    hazard: Hazard,
    level: str | None = None,
    criteria_standard: str | None = None,
    criteria_article: str | None = None,
    criteria_item: str | None = None,
    harm_analysis: str | None = None,
    comment: str = "",
) -> Hazard:
    """Confirm the card and fix its level; 重大 needs the criterion and the harm analysis."""
    given = {
        "level": level,
        "criteria_standard": criteria_standard,
        "criteria_article": criteria_article,
        "criteria_item": criteria_item,
        "harm_analysis": harm_analysis,
    }
    values = {k: v for k, v in given.items() if v is not None}
    if values.get("level") and values["level"] not in HazardLevel.values:
        _field_errors({"level": _("隐患级别不正确")})
    values["confirmed_at"] = timezone.now()
    _transition(
        actor=actor,
        hazard=hazard,
        action="confirm",
        data=values,
        values=values,
        comment=comment,
    )
    return hazard


@transaction.atomic
def hazard_transfer(*, actor: User, hazard: Hazard, department: Unit | None, reason: str) -> Hazard:
    """抄告: hand the card to the competent department; returns the receiving side's card."""
    if department is not None and department.kind != "department":
        _field_errors({"department": _("接收方必须是部门")})
    if not (reason or "").strip():
        _field_errors({"reason": _("请填写抄告理由")})
    _transition(
        actor=actor,
        hazard=hazard,
        action="transfer",
        data={"department": department},
        values={"transfer_department": department},
        comment=reason,
    )
    now = timezone.now()
    copy = Hazard.objects.create(
        card_no=_next_card_no(active_policy().district.code, timezone.localdate().year),
        enterprise_id=hazard.enterprise_id,
        territory_id=hazard.territory_id,
        industry_id=hazard.industry_id,
        department=department,
        **{n: getattr(hazard, n) for n in CARD_FIELDS if n not in ("source", "source_ref")},
        source=HazardSource.TRANSFER,
        source_ref=hazard.card_no,
        transferred_from=hazard,
        status=HazardStatus.REGISTERED,
        stage_started_at=now,
        registered_at=now,
        registered_by=actor,
    )
    _log(
        actor=actor,
        hazard=copy,
        action="register",
        from_status="",
        role=_role_for(actor, REGISTER_ROLES),
        comment=reason,
        changes={"card_no": [None, copy.card_no], "transferred_from": [None, hazard.card_no]},
    )
    return copy


# ---- 五落实 --------------------------------------------------------------------------------


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


@transaction.atomic
def hazard_apply_acceptance(*, actor: User, hazard: Hazard, comment: str = "") -> Hazard:
    """Apply for acceptance; the policy decides whether expert evaluation comes first."""
    _transition(actor=actor, hazard=hazard, action="apply_acceptance", comment=comment)
    return hazard


@transaction.atomic
def hazard_assign_expert(*, actor: User, hazard: Hazard, expert: User | None) -> Hazard:
    """Assign the expert who evaluates the rectification."""
    ok = expert is not None and expert.is_active and has_role(expert, Role.EXPERT)
    _transition(
        actor=actor,
        hazard=hazard,
        action="assign_expert",
        values={"expert": expert},
        facts={"expert_ok": ok},
    )
    return hazard


def _evaluate(
    *, actor: User, hazard: Hazard, passed: bool, opinion: str, report: Upload | None
) -> Hazard:
    checked = _checked([report] if report else [], "report", files.check_document)
    now = timezone.now()
    values: dict[str, Any] = {"evaluation_opinion": opinion}
    if passed:
        values["evaluated_at"] = now
    _, event = _transition(
        actor=actor,
        hazard=hazard,
        action="evaluation_pass" if passed else "evaluation_fail",
        data={"opinion": opinion},
        values=values,
        comment=opinion,
    )
    _store_files(
        actor=actor, hazard=hazard, kind=FileKind.EVALUATION_REPORT, checked=checked, now=now
    )
    _notify_after_commit(event)
    return hazard


@transaction.atomic
def hazard_evaluation_pass(
    *, actor: User, hazard: Hazard, opinion: str, report: Upload | None = None
) -> Hazard:
    """The assigned expert finds the rectification adequate."""
    return _evaluate(actor=actor, hazard=hazard, passed=True, opinion=opinion, report=report)


@transaction.atomic
def hazard_evaluation_fail(
    *, actor: User, hazard: Hazard, opinion: str, report: Upload | None = None
) -> Hazard:
    """The assigned expert returns the card to rectification, with an opinion."""
    return _evaluate(actor=actor, hazard=hazard, passed=False, opinion=opinion, report=report)


@transaction.atomic
def hazard_accept(*, actor: User, hazard: Hazard, opinion: str = "") -> Hazard:
    """验收合格: close (销号) the card; production may resume."""
    now = timezone.now()
    _, event = _transition(
        actor=actor,
        hazard=hazard,
        action="accept",
        data={"opinion": opinion},
        values={
            "accepted_at": now,
            "accepted_by": actor,
            "acceptance_opinion": opinion,
            "production_suspended": False,
        },
        comment=opinion,
    )
    _notify_after_commit(event)
    return hazard


@transaction.atomic
def hazard_reject(*, actor: User, hazard: Hazard, opinion: str) -> Hazard:
    """验收不合格: back to rectification with the opinion."""
    _, event = _transition(
        actor=actor,
        hazard=hazard,
        action="reject",
        data={"opinion": opinion},
        values={"acceptance_opinion": opinion},
        comment=opinion,
    )
    _notify_after_commit(event)
    return hazard


# ---- administration -----------------------------------------------------------------------


@transaction.atomic
def hazard_void(*, actor: User, hazard: Hazard, reason: str) -> Hazard:
    """Void the card with a reason; it stays in the ledger and keeps its number."""
    _transition(
        actor=actor,
        hazard=hazard,
        action="void",
        data={"reason": reason},
        values={"void_reason": reason},
        comment=reason,
    )
    return hazard


@transaction.atomic
def hazard_reopen(*, actor: User, hazard: Hazard, reason: str, deadline: date | None) -> Hazard:
    """Reopen a closed card for another round of rectification with a new deadline."""
    _transition(
        actor=actor,
        hazard=hazard,
        action="reopen",
        data={"reason": reason, "deadline": deadline},
        values={"deadline": deadline, "closed_at": None, "accepted_at": None, "accepted_by": None},
        comment=reason,
    )
    return hazard


@transaction.atomic
def hazard_list_supervised(
    *,
    actor: User,
    hazard: Hazard,
    supervision_level: str,
    supervision_doc_no: str,
    comment: str = "",
) -> Hazard:
    """挂牌督办: an overlay on the card, with level and document number."""
    data = {"supervision_level": supervision_level, "supervision_doc_no": supervision_doc_no}
    _transition(
        actor=actor,
        hazard=hazard,
        action="list_supervised",
        data=data,
        values={**data, "is_supervised": True, "supervised_at": timezone.now()},
        comment=comment,
    )
    return hazard


def _overlay(*, actor: User, hazard: Hazard, action: str, reason: str, values: dict) -> Hazard:
    """A status-preserving action that only flips an overlay flag, with a required reason."""
    _transition(
        actor=actor,
        hazard=hazard,
        action=action,
        data={"reason": reason},
        values=values,
        comment=reason,
    )
    return hazard


@transaction.atomic
def hazard_delist_supervised(*, actor: User, hazard: Hazard, reason: str) -> Hazard:
    return _overlay(
        actor=actor,
        hazard=hazard,
        action="delist_supervised",
        reason=reason,
        values={"is_supervised": False},
    )


@transaction.atomic
def hazard_suspend_production(*, actor: User, hazard: Hazard, reason: str) -> Hazard:
    _overlay(
        actor=actor,
        hazard=hazard,
        action="suspend_production",
        reason=reason,
        values={"production_suspended": True},
    )
    hooks.production_suspended(actor=actor, hazard=hazard, reason=reason)
    return hazard


@transaction.atomic
def hazard_resume_production(*, actor: User, hazard: Hazard, reason: str) -> Hazard:
    return _overlay(
        actor=actor,
        hazard=hazard,
        action="resume_production",
        reason=reason,
        values={"production_suspended": False},
    )


# ---- attachments outside a transition (API uploads evidence before the transition) ----------

ATTACH_RULES = {
    FileKind.BEFORE_PHOTO: (
        frozenset({Role.ENTERPRISE_USER, Role.TERRITORY_OFFICER, Role.DEPARTMENT_OFFICER}),
        frozenset({HazardStatus.REGISTERED, HazardStatus.CONFIRMED}),
    ),
    FileKind.AFTER_PHOTO: (
        frozenset({Role.ENTERPRISE_USER, Role.TERRITORY_OFFICER, Role.DEPARTMENT_OFFICER}),
        frozenset({HazardStatus.CONFIRMED, HazardStatus.RECTIFYING}),
    ),
    FileKind.PROGRESS_PHOTO: (
        frozenset({Role.ENTERPRISE_USER}),
        frozenset({HazardStatus.RECTIFYING}),
    ),
    FileKind.EMERGENCY_PLAN: (
        frozenset({Role.ENTERPRISE_USER}),
        frozenset({HazardStatus.REGISTERED, HazardStatus.CONFIRMED}),
    ),
    FileKind.EVALUATION_REPORT: (frozenset({Role.EXPERT}), frozenset({HazardStatus.EVALUATING})),
}


@transaction.atomic
def hazard_attach_file(*, actor: User, hazard: Hazard, kind: str, upload: Upload) -> HazardFile:
    """Attach one checked file to the card (e.g. evidence before marking it rectified)."""
    _ensure_visible(actor, hazard)
    if kind not in ATTACH_RULES:
        _field_errors({"kind": _("附件类型不正确")})
    roles, statuses = ATTACH_RULES[kind]
    if not has_role(actor, *roles):
        raise PermissionDenied(_("您的角色无权上传此类附件"))
    if hazard.status not in statuses:
        raise GuardFailed(_("当前状态下不能上传此类附件"))
    if kind == FileKind.EVALUATION_REPORT and hazard.expert_id != actor.pk:
        raise PermissionDenied(_("只有被指派的评估专家可以上传评估报告"))
    check = (
        files.check_photo
        if kind in (FileKind.BEFORE_PHOTO, FileKind.AFTER_PHOTO, FileKind.PROGRESS_PHOTO)
        else files.check_document
    )
    checked = _checked([upload], "file", check)
    (row,) = _store_files(
        actor=actor, hazard=hazard, kind=kind, checked=checked, now=timezone.now()
    )
    record(
        actor=actor,
        action="hazard.attach_file",
        obj=hazard,
        changes={"file": [None, {"kind": kind, "sha256": row.sha256}]},
        role=_role_for(actor, roles),
    )
    return row


# ---- one entry point per action, for views, the API and tests ------------------------------

ACTION_SERVICES = {
    "confirm": hazard_confirm,
    "transfer": hazard_transfer,
    "save_plan": hazard_save_plan,
    "submit_plan": hazard_submit_plan,
    "rectify_immediately": hazard_rectify_immediately,
    "report_progress": hazard_report_progress,
    "request_extension": hazard_request_extension,
    "approve_extension": hazard_approve_extension,
    "reject_extension": hazard_reject_extension,
    "mark_rectified": hazard_mark_rectified,
    "apply_acceptance": hazard_apply_acceptance,
    "assign_expert": hazard_assign_expert,
    "evaluation_pass": hazard_evaluation_pass,
    "evaluation_fail": hazard_evaluation_fail,
    "accept": hazard_accept,
    "reject": hazard_reject,
    "void": hazard_void,
    "reopen": hazard_reopen,
    "list_supervised": hazard_list_supervised,
    "delist_supervised": hazard_delist_supervised,
    "suspend_production": hazard_suspend_production,
    "resume_production": hazard_resume_production,
}


def hazard_perform(*, actor: User, hazard: Hazard, action: str, **data: Any) -> Any:
    """Run the service of `action` (a key of the workflow's ACTIONS)."""
    return ACTION_SERVICES[action](actor=actor, hazard=hazard, **data)
