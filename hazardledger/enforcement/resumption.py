"""Resumption acceptance (复工验收, M9): application → experts → evaluation → department
acceptance → operating again. Without both the evaluation and the acceptance the unit stays
stopped: the case's `lift` is guarded by an accepted resumption."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hazardledger.audit.services import record
from hazardledger.enterprises.selectors import is_own_enterprise
from hazardledger.lib.workflow import GuardFailed
from hazardledger.org.models import Role, User
from hazardledger.org.selectors import has_role, roles_of

from . import documents, experts_link
from .models import Case, CaseKind, CaseStatus, Resumption, ResumptionStatus
from .services import case_perform, ensure_visible, role_for
from .workflow import APPLICANTS, RESUMPTION_WORKFLOW

R = ResumptionStatus
# The case state from which a unit may apply, per case type.
APPLY_FROM = {CaseKind.STOP_WORK: CaseStatus.EXECUTED, CaseKind.SUSPENSION: CaseStatus.RECTIFIED}


@transaction.atomic
def resumption_apply(*, actor: User, case: Case, evidence: str) -> Resumption:
    ensure_visible(actor, case)
    if not has_role(actor, *APPLICANTS):
        raise PermissionDenied(_("您的角色无权申请复工"))
    only_enterprise = not (roles_of(actor) - {Role.ENTERPRISE_USER})
    if only_enterprise and not (case.enterprise and is_own_enterprise(actor, case.enterprise)):
        raise PermissionDenied(_("只能为本单位申请复工"))
    wanted = APPLY_FROM.get(case.kind)
    if wanted is None:
        raise GuardFailed(_("该类案件不经复工验收"))
    if case.status != wanted:
        raise GuardFailed(
            _("案件须处于“%(state)s”状态才能申请复工") % {"state": CaseStatus(wanted).label}
        )
    if not (evidence or "").strip():
        raise ValidationError({"evidence": [_("请填写整改情况和证明材料")]})
    if len(evidence) > 5000:
        raise ValidationError({"evidence": [_("整改情况不能超过5000字")]})
    open_ones = case.resumptions.exclude(status__in=[R.ACCEPTED, R.WITHDRAWN])
    if open_ones.exists():
        raise GuardFailed(_("已有进行中的复工申请"))
    resumption = Resumption.objects.create(
        case=case, evidence=evidence.strip(), applied_by=actor, applied_at=timezone.now()
    )
    record(
        actor=actor,
        role=role_for(actor, APPLICANTS),
        action="enforcement.resumption_apply",
        obj=resumption,
        changes={"status": R.APPLIED},
    )
    return resumption


def _check(actor: User, resumption: Resumption, action: str, context: dict):
    ensure_visible(actor, resumption.case)
    return RESUMPTION_WORKFLOW.check(
        resumption.status,
        action,
        roles_of(actor),
        obj=resumption,
        context={**context, "actor": actor},
    )


def _move(actor: User, resumption: Resumption, action: str, context: dict, values: dict):
    transition = _check(actor, resumption, action, context)
    before = resumption.status
    target = transition.next_state(resumption, context)
    RESUMPTION_WORKFLOW.apply(resumption, target=target, values=values)
    return transition, before, target


@transaction.atomic
def resumption_assign_experts(
    *, actor: User, resumption: Resumption, experts: Sequence[Any], note: str = ""
) -> Resumption:
    """Experts from the pool; a conflict of interest is refused by the pool (its message)."""
    transition, before, target = _move(
        actor, resumption, "assign_experts", {"experts": list(experts)}, {}
    )
    for expert in experts:
        experts_link.assign(
            actor=actor,
            expert=expert,
            target=resumption,
            enterprise=resumption.case.enterprise,
            note=note,
        )
    record(
        actor=actor,
        role=role_for(actor, transition.roles),
        action="enforcement.resumption_assign_experts",
        obj=resumption,
        changes={"status": [before, target], "experts": sorted(e.pk for e in experts)},
    )
    return resumption


@transaction.atomic
def resumption_evaluate(
    *, actor: User, resumption: Resumption, passed: bool, report: str
) -> Resumption:
    action = "evaluate_pass" if passed else "evaluate_fail"
    values = {
        "evaluation_report": (report or "").strip()[:5000],
        "evaluated_by": actor,
        "evaluated_at": timezone.now(),
    }
    transition, before, target = _move(actor, resumption, action, {"report": report}, values)
    if not passed:
        experts_link.release_all(actor=actor, target=resumption, reason=_("评估不通过"))
    record(
        actor=actor,
        role=role_for(actor, transition.roles),
        action=f"enforcement.resumption_{action}",
        obj=resumption,
        changes={"status": [before, target]},
    )
    if target == R.ACCEPTED:
        _after_acceptance(actor, resumption)
    return resumption


def _after_acceptance(actor: User, resumption: Resumption) -> None:
    experts_link.release_all(actor=actor, target=resumption, reason=_("复工验收完成"))
    doc = documents.generate_for_resumption(actor=actor, resumption=resumption)
    # Lifting is the acceptance's consequence: the accepting department lifts; when the
    # policy needs no department acceptance, the evaluation lifts as the trusted caller.
    lifter = actor if has_role(actor, Role.DEPARTMENT_OFFICER) else None
    case_perform(actor=lifter, case=resumption.case, action="lift", note=doc.number)


@transaction.atomic
def resumption_accept(*, actor: User, resumption: Resumption, opinion: str) -> Resumption:
    """部门验收合格: the case is lifted and the enterprise operates again."""
    values = {
        "acceptance_opinion": (opinion or "").strip()[:5000],
        "accepted_by": actor,
        "accepted_at": timezone.now(),
    }
    transition, before, target = _move(actor, resumption, "accept", {"opinion": opinion}, values)
    record(
        actor=actor,
        role=role_for(actor, transition.roles),
        action="enforcement.resumption_accept",
        obj=resumption,
        changes={"status": [before, target]},
    )
    _after_acceptance(actor, resumption)
    return resumption


@transaction.atomic
def resumption_reject(*, actor: User, resumption: Resumption, opinion: str) -> Resumption:
    values = {"acceptance_opinion": (opinion or "").strip()[:5000]}
    transition, before, target = _move(actor, resumption, "reject", {"opinion": opinion}, values)
    record(
        actor=actor,
        role=role_for(actor, transition.roles),
        action="enforcement.resumption_reject",
        obj=resumption,
        changes={"status": [before, target]},
        reason=opinion.strip()[:500],
    )
    return resumption


@transaction.atomic
def resumption_withdraw(*, actor: User, resumption: Resumption, reason: str) -> Resumption:
    transition, before, target = _move(actor, resumption, "withdraw", {"reason": reason}, {})
    record(
        actor=actor,
        role=role_for(actor, transition.roles),
        action="enforcement.resumption_withdraw",
        obj=resumption,
        changes={"status": [before, target]},
        reason=(reason or "").strip()[:500],
    )
    return resumption


RESUMPTION_SERVICES = {
    "assign_experts": resumption_assign_experts,
    "accept": resumption_accept,
    "reject": resumption_reject,
    "withdraw": resumption_withdraw,
}


def resumption_perform(*, actor: User, resumption: Resumption, action: str, **data: Any) -> Any:
    if action in ("evaluate_pass", "evaluate_fail"):
        return resumption_evaluate(
            actor=actor,
            resumption=resumption,
            passed=action == "evaluate_pass",
            report=data.get("report", ""),
        )
    if action not in RESUMPTION_SERVICES:
        raise ValidationError({"action": [_("操作不正确")]})
    return RESUMPTION_SERVICES[action](actor=actor, resumption=resumption, **data)
