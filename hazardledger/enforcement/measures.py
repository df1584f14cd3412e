"""Coercive measures (联动执法): seal equipment, cut power, cut water, demolish.

Each measure's prerequisites come from the active policy's `enforcement.measure_rules`; a
measure whose prerequisite is missing cannot be executed, and the refusal names each one.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from hazardledger.audit.services import record
from hazardledger.lib import files
from hazardledger.lib.workflow import ConcurrentChange, GuardFailed
from hazardledger.org.models import Role, Unit, User
from hazardledger.org.selectors import has_role, roles_of
from hazardledger.policy.services import active_policy

from . import documents
from .models import Case, CaseStatus, Measure, MeasureStatus
from .services import ensure_visible, role_for
from .workflow import HANDLERS

# The party has refused a served decision (or the case has gone on to execution).
REFUSED_STATES = frozenset({CaseStatus.REFUSED, CaseStatus.EXECUTED})
OPEN_CASE_STATES = frozenset(
    {
        CaseStatus.DECIDED,
        CaseStatus.SERVED,
        CaseStatus.REFUSED,
        CaseStatus.EXECUTED,
        CaseStatus.REINSPECTION_FAILED,
        CaseStatus.STOPPED,
    }
)


def _rule(kind: str):
    rule = active_policy().enforcement.measure_rules.get(kind)
    if rule is None:
        raise ValidationError({"kind": [_("政策参数未规定该强制措施的实施办法")]})
    return rule


def _require(actor: Any, case: Case) -> None:
    if actor is None:
        return
    ensure_visible(actor, case)
    if not has_role(actor, *HANDLERS):
        raise PermissionDenied(_("您的角色无权办理强制措施"))


@transaction.atomic
def measure_plan(
    *,
    actor: User | None,
    case: Case,
    kind: str,
    items: str = "",
    seal_numbers: str = "",
    executing_unit: Unit | None = None,
    photo: Any = None,
) -> Measure:
    """Plan a measure on a decided case; prerequisites are recorded next, then it executes."""
    _require(actor, case)
    policy = active_policy().enforcement
    if kind not in policy.coercive_measures:
        raise ValidationError({"kind": [_("强制措施类型不正确")]})
    _rule(kind)
    if case.status not in OPEN_CASE_STATES:
        raise GuardFailed(_("案件作出决定后、办结前才能采取强制措施"))
    errors: dict[str, list[str]] = {}
    if kind == "seal_equipment" and not (items or "").strip():
        errors["items"] = [_("请填写查封设备、物品清单")]
    if len(items or "") > 5000:
        errors["items"] = [_("清单不能超过5000字")]
    if len(seal_numbers or "") > 200:
        errors["seal_numbers"] = [_("封条编号不能超过200字")]
    if errors:
        raise ValidationError(errors)
    measure = Measure(
        case=case,
        kind=kind,
        items=(items or "").strip(),
        seal_numbers=(seal_numbers or "").strip(),
        executing_unit=executing_unit,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    if photo is not None:
        checked = files.check_photo(photo)
        measure.photo.name = files.store(checked, "enforcement")
    measure.save()
    record(
        actor=actor,
        role=role_for(actor, HANDLERS),
        action="enforcement.measure_plan",
        obj=measure,
        changes={"kind": kind, "case": case.pk},
    )
    return measure


def prerequisite_problems(measure: Measure, now: datetime | None = None) -> list[str]:
    """Every missing prerequisite of executing the measure, each named in Chinese."""
    now = now or timezone.now()
    rule = _rule(measure.kind)
    label = active_policy().enforcement.coercive_measures[measure.kind]
    problems = []
    if rule.requires_refusal and measure.case.status not in REFUSED_STATES:
        problems.append(_("缺少前提：决定书已送达且当事人拒不执行"))
    if rule.collective_decision and not measure.collective_decision_on:
        problems.append(_("缺少前提：集体讨论决定"))
    if not measure.approved_by_id:
        problems.append(_("缺少前提：有权批准人批准"))
    if rule.notice_hours:
        if measure.notice_served_at is None:
            problems.append(_("缺少前提：提前%(h)s小时书面通知当事单位") % {"h": rule.notice_hours})
        elif measure.notice_served_at + timedelta(hours=rule.notice_hours) > now:
            problems.append(
                _("书面通知送达未满%(h)s小时，不能实施%(m)s") % {"h": rule.notice_hours, "m": label}
            )
    if measure.executing_unit_id is None:
        problems.append(_("缺少前提：执行单位（%(unit)s）") % {"unit": rule.executing_unit})
    return problems


def _update(measure: Measure, **values: Any) -> None:
    done = Measure.objects.filter(pk=measure.pk, version=measure.version).update(
        version=F("version") + 1, **values
    )
    if not done:
        raise ConcurrentChange(_("该记录刚刚已被他人处理，本次操作未生效，请刷新页面后重试"))
    measure.refresh_from_db()


def _planned(measure: Measure) -> None:
    if measure.status != MeasureStatus.PLANNED:
        raise GuardFailed(_("该措施已执行或已解除"))


@transaction.atomic
def measure_record_collective_decision(
    *, actor: User | None, measure: Measure, decided_on: date, reference: str
) -> Measure:
    _require(actor, measure.case)
    _planned(measure)
    if not (reference or "").strip():
        raise ValidationError({"reference": [_("请填写集体讨论会议记录或纪要编号")]})
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": [_("集体讨论日期不能晚于今天")]})
    _update(
        measure, collective_decision_on=decided_on, collective_decision_ref=reference.strip()[:100]
    )
    record(
        actor=actor,
        role=role_for(actor, HANDLERS),
        action="enforcement.measure_collective_decision",
        obj=measure,
        changes={"collective_decision_on": decided_on.isoformat()},
    )
    return measure


@transaction.atomic
def measure_approve(*, actor: User, measure: Measure) -> Measure:
    """Approval by a role the policy names for this measure (e.g. a district leader)."""
    rule = _rule(measure.kind)
    if not (roles_of(actor) & set(rule.approval_roles)):
        names = "、".join(str(Role(r).label) for r in rule.approval_roles if r in Role.values)
        raise PermissionDenied(_("该措施须由%(who)s批准") % {"who": names})
    if not (has_role(actor, Role.DISTRICT_LEADER, Role.DISTRICT_ADMIN)):
        ensure_visible(actor, measure.case)
    _planned(measure)
    _update(measure, approved_by=actor, approved_at=timezone.now())
    record(
        actor=actor,
        role=role_for(actor, rule.approval_roles),
        action="enforcement.measure_approve",
        obj=measure,
        changes={"approved_by": actor.pk},
    )
    return measure


@transaction.atomic
def measure_serve_notice(
    *, actor: User | None, measure: Measure, served_to: str, served_how: str
) -> Measure:
    """The advance written notice (催告书), served now; the policy's period runs from here."""
    _require(actor, measure.case)
    _planned(measure)
    data = {"served_to": served_to, "served_how": served_how}
    now = timezone.now()
    _update(measure, notice_served_at=now)
    doc = documents.generate_for_measure(actor=actor, measure=measure, kind="reminder")
    documents.serve_now(doc, {**data, "served_at": now})
    record(
        actor=actor,
        role=role_for(actor, HANDLERS),
        action="enforcement.measure_notice",
        obj=measure,
        changes={"notice_served_at": now.isoformat(), "document": doc.number},
    )
    return measure


@transaction.atomic
def measure_set_executing_unit(*, actor: User | None, measure: Measure, unit: Unit) -> Measure:
    _require(actor, measure.case)
    _planned(measure)
    _update(measure, executing_unit=unit)
    record(
        actor=actor,
        role=role_for(actor, HANDLERS),
        action="enforcement.measure_unit",
        obj=measure,
        changes={"executing_unit": unit.pk},
    )
    return measure


EXECUTION_DOCUMENTS = {"seal_equipment": "coercive_decision", "cut_power": "power_cut_decision"}


@transaction.atomic
def measure_execute(*, actor: User | None, measure: Measure, executed_by: str) -> Measure:
    """Executed, with who did it; refused while any prerequisite is missing (each named)."""
    _require(actor, measure.case)
    _planned(measure)
    if not (executed_by or "").strip():
        raise ValidationError({"executed_by": [_("请填写执行人")]})
    problems = prerequisite_problems(measure)
    if problems:
        raise GuardFailed(problems)
    now = timezone.now()
    _update(
        measure,
        status=MeasureStatus.EXECUTED,
        executed_at=now,
        executed_by=executed_by.strip()[:100],
    )
    kind = EXECUTION_DOCUMENTS.get(measure.kind)
    doc = documents.generate_for_measure(actor=actor, measure=measure, kind=kind) if kind else None
    record(
        actor=actor,
        role=role_for(actor, HANDLERS),
        action="enforcement.measure_execute",
        obj=measure,
        changes={
            "status": [MeasureStatus.PLANNED, MeasureStatus.EXECUTED],
            "document": doc.number if doc else "",
        },
    )
    return measure


@transaction.atomic
def measure_lift(*, actor: User | None, measure: Measure, lifted_by: str, reason: str) -> Measure:
    """Lifted (e.g. power restored once the hazard is removed), with who did it."""
    _require(actor, measure.case)
    if measure.status != MeasureStatus.EXECUTED:
        raise GuardFailed(_("只有已执行的措施可以解除"))
    errors = {}
    if not (lifted_by or "").strip():
        errors["lifted_by"] = [_("请填写解除执行人")]
    if not (reason or "").strip():
        errors["reason"] = [_("请填写解除理由")]
    if errors:
        raise ValidationError(errors)
    _update(
        measure,
        status=MeasureStatus.LIFTED,
        lifted_at=timezone.now(),
        lifted_by=lifted_by.strip()[:100],
    )
    doc = None
    if measure.kind == "cut_power":
        doc = documents.generate_for_measure(
            actor=actor, measure=measure, kind="power_restore_decision"
        )
    record(
        actor=actor,
        role=role_for(actor, HANDLERS),
        action="enforcement.measure_lift",
        obj=measure,
        changes={
            "status": [MeasureStatus.EXECUTED, MeasureStatus.LIFTED],
            "document": doc.number if doc else "",
        },
        reason=reason.strip()[:500],
    )
    return measure
