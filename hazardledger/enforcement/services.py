"""Writes on enforcement cases (DESIGN.md §3.1): open a case, move it, record checklists,
decide proposals. Each service checks permission and scope, validates, changes state and
writes one audit event; the operating status of the enterprise follows through
`enterprises.services.enterprise_change_status`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from hazardledger.audit.services import record
from hazardledger.enterprises.models import Enterprise
from hazardledger.enterprises.selectors import missing_procedure_kinds
from hazardledger.lib.workflow import GuardFailed
from hazardledger.org.models import Role, User
from hazardledger.org.selectors import has_role, roles_of
from hazardledger.policy.services import active_policy

from . import effects, rules
from .models import (
    Case,
    CaseEvent,
    CaseKind,
    CaseStatus,
    ConstructionProject,
    Counter,
    Finding,
    IllegalStructure,
    Proposal,
    ProposalStatus,
    SafetyChecklist,
)
from .selectors import cases_visible_to, enterprise_in_reach, structure_in_reach
from .workflow import ACTIONS, OPEN_ROLES, workflow_for

FINAL_STATUSES = (
    CaseStatus.LIFTED,
    CaseStatus.CLOSED_DOWN,
    CaseStatus.VERIFIED,
    CaseStatus.RESUMED,
    CaseStatus.CLOSED,
    CaseStatus.WITHDRAWN,
)


def next_number(series: str, year: int) -> int:
    """The next value of a per-year sequence that only grows (locked row)."""
    counter, _created = Counter.objects.select_for_update().get_or_create(series=series, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def role_for(actor: Any, allowed: Iterable[str]) -> str:
    held = sorted(roles_of(actor) & set(allowed)) if getattr(actor, "pk", None) else []
    return held[0] if held else ""


def ensure_visible(actor: Any, case: Case) -> None:
    """Out of scope is the same as missing (404 in views and API)."""
    if actor is not None and not cases_visible_to(actor).filter(pk=case.pk).exists():
        raise Case.DoesNotExist


def _subject_errors(
    kind: str,
    enterprise: Enterprise | None,
    project: ConstructionProject | None,
    structure: IllegalStructure | None,
) -> dict[str, list[str]]:
    if kind == CaseKind.DEMOLITION:
        return {} if structure else {"structure": [_("拆除案件须选择违法建筑")]}
    if enterprise is None:
        return {"enterprise": [_("请选择当事单位")]}
    if project is not None and project.enterprise_id != enterprise.pk:
        return {"project": [_("该项目不属于所选单位")]}
    if kind == CaseKind.KEY_PROJECT and (project is None or not project.is_key_project):
        return {"project": [_("重点项目审查须选择一个重点项目")]}
    if kind == CaseKind.STOP_WORK and not missing_procedure_kinds(enterprise):
        return {"enterprise": [_("该单位手续齐全，不能以手续不全为由停工")]}
    return {}


@transaction.atomic
def case_open(
    *,
    actor: User | None,
    kind: str,
    facts: str,
    enterprise: Enterprise | None = None,
    project: ConstructionProject | None = None,
    structure: IllegalStructure | None = None,
    origin: Model | None = None,
    legal_basis: str = "",
    findings: Sequence[str] = (),
    status: str = CaseStatus.OPENED,
) -> Case:
    """立案. `origin` is any saved record the case arose from (card, inspection, tip-off)."""
    if actor is not None and not has_role(actor, *OPEN_ROLES):
        raise PermissionDenied(_("您的角色无权立案"))
    errors: dict[str, list[str]] = {}
    if kind not in CaseKind.values:
        errors["kind"] = [_("案件类型不正确")]
    if not (facts or "").strip():
        errors["facts"] = [_("请填写违法事实")]
    if len(facts or "") > 5000:
        errors["facts"] = [_("违法事实不能超过5000字")]
    bad = [f for f in findings if f not in Finding.values]
    if bad:
        errors["findings"] = [_("违法情形不正确")]
    if errors:
        raise ValidationError(errors)
    if structure is not None and enterprise is None:
        enterprise = structure.enterprise
    if project is not None and enterprise is None:
        enterprise = project.enterprise
    errors = _subject_errors(kind, enterprise, project, structure)
    if errors:
        raise ValidationError(errors)
    if actor is not None:
        if enterprise is not None and not enterprise_in_reach(actor, enterprise):
            raise Enterprise.DoesNotExist
        if structure is not None and not structure_in_reach(actor, structure):
            raise IllegalStructure.DoesNotExist
    now = timezone.now()
    year = timezone.localdate().year
    seq = next_number("case", year)
    territory = enterprise.territory if enterprise else structure.territory
    case = Case.objects.create(
        kind=kind,
        number=f"ZF-{year}-{seq:05d}",
        status=status,
        enterprise=enterprise,
        project=project,
        structure=structure,
        territory=territory,
        industry=enterprise.industry if enterprise else None,
        origin_type=ContentType.objects.get_for_model(origin) if origin is not None else None,
        origin_id=origin.pk if origin is not None else None,
        findings=sorted(set(findings)),
        facts=facts.strip(),
        legal_basis=(legal_basis or "").strip(),
        opened_by=actor if getattr(actor, "pk", None) else None,
        decided_by=actor if status != CaseStatus.OPENED and getattr(actor, "pk", None) else None,
        decided_at=now if status != CaseStatus.OPENED else None,
        executed_at=now if status == CaseStatus.EXECUTED else None,
    )
    CaseEvent.objects.create(
        case=case, action="open", label=_("立案"), to_status=status, actor=_person(actor)
    )
    created = _refresh_proposals(case, events=())
    if status == CaseStatus.EXECUTED:
        effects.on_executed(actor=actor, case=case)
    record(
        actor=actor,
        role=role_for(actor, OPEN_ROLES),
        action="enforcement.case_open",
        obj=case,
        changes={
            "kind": kind,
            "status": status,
            "enterprise": enterprise.pk if enterprise else None,
            "origin": case.origin_text() if origin is not None else "",
            "proposals": [p.rule for p in created],
        },
    )
    return case


def _person(actor: Any) -> User | None:
    return actor if getattr(actor, "pk", None) else None


def _refresh_proposals(case: Case, *, events: Iterable[str]) -> list[Proposal]:
    """Create the proposals the four "always" make for the case now (each rule once)."""
    wanted = rules.proposals_for(
        kind=case.kind,
        findings=case.findings,
        events=set(events),
        rules=active_policy().enforcement.four_always,
    )
    have = set(case.proposals.values_list("rule", flat=True))
    created = []
    for rule, kind in wanted:
        if rule not in have:
            created.append(Proposal.objects.create(case=case, rule=rule, proposed_kind=kind))
    return created


def _action_values(case: Case, action: str, data: Mapping[str, Any], actor: Any) -> dict:
    now = timezone.now()
    who = _person(actor)
    values: dict[str, Any] = {}
    if action == "decide":
        values.update(decided_by=who, decided_at=now)
        if "legal_basis" in data:
            values["legal_basis"] = str(data["legal_basis"]).strip()
        if case.kind == CaseKind.PENALTY:
            values.update(
                article=data["article"],
                amount_yuan=data["amount_yuan"],
                lower_reason=str(data.get("lower_reason") or "").strip(),
                second_approver=data.get("second_approver"),
            )
    elif action in ("execute", "stop", "owner_demolish", "force_demolish"):
        values["executed_at"] = now
        if action == "stop":
            values["legal_basis"] = str(data["legal_basis"]).strip()
        if case.kind == CaseKind.SUSPENSION:
            values["period_end"] = _months_later(
                timezone.localdate(), active_policy().enforcement.suspension_max_months
            )
    elif action == "refer":
        values["referred_to"] = str(data["referred_to"]).strip()
    elif action == "receipt":
        values["receipt_number"] = str(data["receipt_number"]).strip()
        values["receipt_on"] = data.get("receipt_on") or timezone.localdate()
    elif action == "district_decide":
        values["district_decision"] = str(data["decision"]).strip()
    return values


def _months_later(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@transaction.atomic
def case_perform(*, actor: User | None, case: Case, action: str, **data: Any) -> Case:
    """Run one action of the case's lifecycle table (views, API, tests and jobs call this)."""
    if actor is not None:
        ensure_visible(actor, case)
    given, case = case, Case.objects.select_for_update().get(pk=case.pk)
    flow = workflow_for(case.kind)
    context = {**data, "actor": actor}
    roles = roles_of(actor) if actor is not None else frozenset(Role.values)
    transition = flow.check(case.status, action, roles, obj=case, context=context)
    before = case.status
    target = transition.next_state(case, context)
    values = _action_values(case, action, data, actor)
    if target in FINAL_STATUSES:
        values["closed_at"] = timezone.now()
    flow.apply(case, target=target, values=values)
    if action == "name_helpers":
        case.helpers.set(list(data["helpers"]))
    note = str(data.get("note") or data.get("reason") or data.get("legal_basis") or "")
    CaseEvent.objects.create(
        case=case,
        action=action,
        label=str(ACTIONS[action]),
        from_status=before,
        to_status=target,
        actor=_person(actor),
        note=note.strip()[:2000],
    )
    events = {"reinspection_failed"} if action == "reinspect_fail" else set()
    created = _refresh_proposals(case, events=events)
    effects.after(actor=actor, case=case, action=action, data=data)
    record(
        actor=actor,
        role=role_for(actor, transition.roles),
        action=f"enforcement.case_{action}",
        obj=case,
        changes={
            "status": [before, target],
            **{k: _plain(v) for k, v in values.items()},
            "proposals": [p.rule for p in created],
        },
        reason=note.strip()[:500],
    )
    given.refresh_from_db()
    return given


def _plain(value: Any) -> Any:
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, (date,)):
        return value.isoformat()
    return value


@transaction.atomic
def checklist_record(
    *, actor: User | None, case: Case, step: str, checked: Sequence[str], note: str = ""
) -> SafetyChecklist:
    """次生事故防范: every item of the policy's checklist must be confirmed."""
    if actor is not None:
        ensure_visible(actor, case)
        if not has_role(actor, *OPEN_ROLES):
            raise PermissionDenied(_("您的角色无权登记次生事故防范检查"))
    items = active_policy().enforcement.secondary_accident_checklist
    from .models import ChecklistStep

    if step not in ChecklistStep.values:
        raise ValidationError({"step": [_("环节不正确")]})
    missing = [item for item in items if item not in set(checked)]
    if missing:
        raise ValidationError({"checked": [_("尚未确认：") + "；".join(missing)]})
    row = SafetyChecklist.objects.create(
        case=case,
        step=step,
        items=[{"item": item, "done": True} for item in items],
        note=(note or "").strip()[:2000],
        recorded_by=_person(actor),
    )
    record(
        actor=actor,
        role=role_for(actor, OPEN_ROLES),
        action="enforcement.checklist",
        obj=case,
        changes={"checklist": {"step": step, "items": len(items)}},
    )
    return row


@transaction.atomic
def proposal_decide(*, actor: User, proposal: Proposal, accept: bool, reason: str) -> Proposal:
    """A person accepts (a case of the proposed kind opens) or rejects a proposal, with reason."""
    ensure_visible(actor, proposal.case)
    if not has_role(actor, *OPEN_ROLES):
        raise PermissionDenied(_("您的角色无权处理处置建议"))
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("请填写理由")]})
    done = Proposal.objects.filter(pk=proposal.pk, status=ProposalStatus.PENDING).update(
        status=ProposalStatus.ACCEPTED if accept else ProposalStatus.REJECTED,
        decided_by=actor,
        decided_at=timezone.now(),
        reason=reason.strip()[:2000],
    )
    if not done:
        raise GuardFailed(_("该建议已处理"))
    proposal.refresh_from_db()
    source = proposal.case
    if accept:
        rule = active_policy().enforcement.four_always.get(proposal.rule)
        opened = case_open(
            actor=actor,
            kind=proposal.proposed_kind,
            enterprise=source.enterprise,
            project=source.project,
            structure=source.structure,
            origin=source,
            facts=f"{rule.label if rule else ''}：{source.facts}"[:5000],
            legal_basis=source.legal_basis,
        )
        Proposal.objects.filter(pk=proposal.pk).update(resulting_case=opened)
        proposal.resulting_case = opened
    record(
        actor=actor,
        role=role_for(actor, OPEN_ROLES),
        action="enforcement.proposal_" + ("accept" if accept else "reject"),
        obj=source,
        changes={"proposal": proposal.rule, "status": [ProposalStatus.PENDING, proposal.status]},
        reason=reason.strip()[:500],
    )
    return proposal
