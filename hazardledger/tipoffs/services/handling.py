"""Handling a tip-off: triage, acceptance, verification, feedback, cards and duplicates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hazardledger.enterprises.models import Enterprise
from hazardledger.hazards.models import Hazard, HazardSource
from hazardledger.hazards.services import hazard_register
from hazardledger.lib.workflow import GuardFailed
from hazardledger.org.models import TERRITORY_KINDS, Unit, UnitKind
from hazardledger.org.selectors import has_role

from ..models import Author, FileKind, Message, Status, TipOff, Verification
from ..selectors import can_handle
from ..workflow import HANDLERS, INTAKE
from .common import audit, field_errors, policy, role_of, step, text
from .intake import _checked_files, store_files


def _triage_values(
    territory: Unit | None, department: Unit | None, enterprise: Enterprise | None
) -> dict[str, Any]:
    errors = {}
    if territory is not None and territory.kind not in TERRITORY_KINDS:
        errors["territory"] = _("属地应为镇、街道或园区")
    if department is not None and department.kind != UnitKind.DEPARTMENT:
        errors["department"] = _("承办部门应为区直部门")
    field_errors(errors)
    values: dict[str, Any] = {"territory": territory, "department": department}
    if enterprise is not None:
        values["enterprise"] = enterprise
        values["industry"] = enterprise.industry if enterprise.industry_id else None
    return values


@transaction.atomic
def tipoff_assign(
    *,
    actor: Any,
    tipoff: TipOff,
    territory: Unit | None,
    department: Unit | None,
    enterprise: Enterprise | None = None,
) -> TipOff:
    """Triage to the responsible territory and/or department (first time or again)."""
    action = "assign" if tipoff.status == Status.RECEIVED else "reassign"
    values = _triage_values(territory, department, enterprise or tipoff.enterprise)
    values["assigned_at"] = timezone.now()
    step(
        actor=actor,
        tipoff=tipoff,
        action=action,
        values=values,
        context={"territory": territory, "department": department},
        changes={
            "territory": [None, territory.name if territory else ""],
            "department": [None, department.name if department else ""],
            "enterprise": [None, values.get("enterprise").name if values.get("enterprise") else ""],
        },
    )
    return tipoff


@transaction.atomic
def tipoff_reject(*, actor: Any, tipoff: TipOff, reason: str) -> TipOff:
    """不予受理 (no content, outside the programme), with the reason the reporter will read."""
    errors: dict[str, str] = {}
    reason = text(reason, limit=500, field="reason", label=_("理由"), required=True, errors=errors)
    field_errors(errors)
    step(
        actor=actor,
        tipoff=tipoff,
        action="reject",
        values={"reject_reason": reason},
        context={"reason": reason},
        reason=reason,
    )
    return tipoff


@transaction.atomic
def tipoff_accept(*, actor: Any, tipoff: TipOff) -> TipOff:
    """受理: the handling deadline runs from now."""
    step(actor=actor, tipoff=tipoff, action="accept", values={"accepted_at": timezone.now()})
    return tipoff


@transaction.atomic
def tipoff_send_back(*, actor: Any, tipoff: TipOff, reason: str) -> TipOff:
    errors: dict[str, str] = {}
    reason = text(reason, limit=500, field="reason", label=_("理由"), required=True, errors=errors)
    field_errors(errors)
    step(
        actor=actor,
        tipoff=tipoff,
        action="send_back",
        context={"reason": reason},
        values={"assigned_at": None},
        reason=reason,
    )
    return tipoff


@transaction.atomic
def tipoff_extend(*, actor: Any, tipoff: TipOff, reason: str) -> TipOff:
    """Extend the handling period once by the policy's extension."""
    errors: dict[str, str] = {}
    reason = text(reason, limit=500, field="reason", label=_("理由"), required=True, errors=errors)
    field_errors(errors)
    step(
        actor=actor,
        tipoff=tipoff,
        action="extend",
        values={"extended": True},
        changes={"extended": [False, True]},
        reason=reason,
    )
    return tipoff


def _verification_values(tipoff: TipOff, data: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    result = data.get("verification")
    if result not in Verification.values:
        errors["verification"] = _("请选择核实结果")
    note = text(
        data.get("verification_note"),
        limit=4000,
        field="verification_note",
        label=_("核查情况"),
        required=True,
        errors=errors,
    )
    rewards = policy().rewards
    severity = data.get("severity") or ""
    if severity not in rewards.severities:
        errors["severity"] = _("请选择危害程度")
    values: dict[str, Any] = {
        "verification": result,
        "verification_note": note,
        "severity": severity,
    }
    for name, label in (("fine_yuan", _("罚款金额")), ("concealed_deaths", _("瞒报死亡人数"))):
        value = data.get(name)
        if value in (None, ""):
            values[name] = None
        elif not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10**12:
            errors[name] = _("%(label)s应为不小于 0 的整数") % {"label": label}
        else:
            values[name] = value
    grade = data.get("accident_grade") or ""
    grades = rewards.per_death.grades if rewards.per_death else {}
    if grade and grade not in grades:
        errors["accident_grade"] = _("事故等级不正确")
    values["accident_grade"] = grade
    field_errors(errors)
    return values


@transaction.atomic
def tipoff_verify(
    *, actor: Any, tipoff: TipOff, data: Mapping[str, Any], evidence: Sequence[IO[bytes]] = ()
) -> TipOff:
    """Record the verification result with its evidence; the feedback clock starts."""
    values = _verification_values(tipoff, data)
    checked = _checked_files(list(evidence))
    values["verified_at"] = timezone.now()
    step(
        actor=actor,
        tipoff=tipoff,
        action="verify",
        values=values,
        changes={
            "verification": [None, values["verification"]],
            "severity": [None, values["severity"]],
            "evidence": [None, len(checked)],
        },
    )
    store_files(
        tipoff, [(FileKind.EVIDENCE, c) for _k, c in checked], actor=actor, from_reporter=False
    )
    return tipoff


@transaction.atomic
def tipoff_close(*, actor: Any, tipoff: TipOff) -> TipOff:
    feedback = tipoff.messages.filter(author=Author.STAFF, is_feedback=True).exists()
    step(
        actor=actor,
        tipoff=tipoff,
        action="close",
        values={"closed_at": timezone.now()},
        context={"feedback_given": feedback},
    )
    return tipoff


@transaction.atomic
def tipoff_message(*, actor: Any, tipoff: TipOff, body: str, is_feedback: bool = False) -> Message:
    """A question to the reporter, or the feedback on the result; read through the code."""
    if not has_role(actor, *(HANDLERS | INTAKE)):
        raise PermissionDenied(_("您的角色无权与举报人沟通"))
    if not can_handle(actor, tipoff):
        raise PermissionDenied(_("该举报不在您的办理范围内"))
    errors: dict[str, str] = {}
    body = text(body, limit=2000, field="body", label=_("内容"), required=True, errors=errors)
    field_errors(errors)
    if is_feedback and tipoff.status not in (Status.VERIFIED, Status.CLOSED):
        raise GuardFailed(
            _("核实结果登记后才能反馈处理结果"), fields={"is_feedback": _("尚未核实")}
        )
    message = Message.objects.create(
        tipoff=tipoff, author=Author.STAFF, staff=actor, body=body, is_feedback=is_feedback
    )
    audit(
        actor=actor,
        tipoff=tipoff,
        action="feedback" if is_feedback else "ask",
        changes={"message": message.pk},
        role=role_of(actor, HANDLERS | INTAKE),
        counted=False,
    )
    return message


@transaction.atomic
def tipoff_raise_hazard(*, actor: Any, tipoff: TipOff, data: Mapping[str, Any]) -> Hazard:
    """A hazard card from the verified facts, registered by the handling officer through the
    hazards service; the card names the tip-off by number and pseudonym only."""
    if not can_handle(actor, tipoff):
        raise PermissionDenied(_("该举报不在您的办理范围内"))
    if tipoff.status not in (Status.VERIFYING, Status.VERIFIED):
        raise GuardFailed(_("受理核查后才能登记隐患"))
    if tipoff.enterprise is None:
        raise GuardFailed(_("请先在分派时匹配被举报企业"), fields={"enterprise": _("未匹配企业")})
    card = {
        **data,
        "source": HazardSource.TIPOFF,
        "source_ref": tipoff.origin_label(),
        "found_by": tipoff.pseudonym,
        "found_on": data.get("found_on") or timezone.localdate(tipoff.received_at),
    }
    hazard = hazard_register(actor=actor, enterprise=tipoff.enterprise, data=card)
    tipoff.hazards.add(hazard)
    audit(
        actor=actor,
        tipoff=tipoff,
        action="raise_hazard",
        changes={"hazard": [None, hazard.card_no]},
        role=role_of(actor, HANDLERS),
    )
    return hazard


@transaction.atomic
def tipoff_confirm_duplicate(*, actor: Any, tipoff: TipOff, original: TipOff) -> TipOff:
    """A person confirms that `tipoff` reports the same matter as `original`; the later of
    the two joins the earlier one's group."""
    if not has_role(actor, *INTAKE):
        raise PermissionDenied(_("您的角色无权认定重复举报"))
    if original.pk == tipoff.pk:
        raise GuardFailed(_("不能认定与自身重复"))
    first, later = sorted([tipoff, original], key=lambda t: (t.received_at, t.pk))
    root = first.duplicate_of or first
    if later.duplicate_of_id:
        raise GuardFailed(_("该举报已认定为其他举报的重复"))
    moved = TipOff.objects.filter(duplicate_of=later).update(duplicate_of=root)
    TipOff.objects.filter(pk=later.pk).update(duplicate_of=root)
    later.duplicate_of = root
    audit(
        actor=actor,
        tipoff=later,
        action="confirm_duplicate",
        changes={"duplicate_of": [None, root.number], "regrouped": moved},
        role=role_of(actor, INTAKE),
    )
    return later
