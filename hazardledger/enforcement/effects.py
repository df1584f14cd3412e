"""What a case's steps do to its subject: the enterprise's operating status, the project,
the illegal structure, the hazard card it came from, and the documents that go with them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from hazardledger.enterprises.models import Enterprise, OperatingStatus
from hazardledger.enterprises.selectors import can_regulate
from hazardledger.enterprises.services import enterprise_change_status

from .models import Case, CaseKind, CaseStatus, ProjectStatus, StructureStatus

OS = OperatingStatus
S = CaseStatus
# Open cases that keep an enterprise from operating, most severe first.
HOLDS = [
    (OS.CLOSED, CaseKind.CLOSURE, (S.CLOSED_DOWN,)),
    (OS.SUSPENDED, CaseKind.SUSPENSION, (S.EXECUTED, S.REINSPECTION_FAILED, S.RECTIFIED)),
    (OS.WORK_STOPPED, CaseKind.STOP_WORK, (S.EXECUTED,)),
    (OS.WORK_STOPPED, CaseKind.KEY_PROJECT, (S.STOPPED, S.DISTRICT_DECIDED, S.COMPLETING)),
]
MOVING_ACTIONS = frozenset({"execute", "stop", "lift", "resume", "withdraw"})
STRUCTURE_AFTER = {
    "serve": StructureStatus.NOTICE_SERVED,
    "owner_demolish": StructureStatus.DEMOLISHED_BY_OWNER,
    "force_demolish": StructureStatus.DEMOLISHED_BY_FORCE,
    "verify": StructureStatus.VERIFIED,
}
PROJECT_AFTER = {
    "execute": ProjectStatus.STOPPED,
    "stop": ProjectStatus.STOPPED,
    "lift": ProjectStatus.RESUMED,
    "resume": ProjectStatus.RESUMED,
}


def demanded_status(enterprise: Enterprise) -> str:
    """The operating status the enterprise's cases demand now (正常生产经营 if none holds it)."""
    cases = Case.objects.filter(enterprise=enterprise)
    for status, kind, states in HOLDS:
        if cases.filter(kind=kind, status__in=states).exists():
            return status
    return OS.OPERATING


def sync_enterprise(*, actor: Any, case: Case, reason: str) -> None:
    enterprise = case.enterprise
    if enterprise is None:
        return
    enterprise.refresh_from_db(fields=["status"])
    wanted = demanded_status(enterprise)
    if enterprise.status in (wanted, OS.DEMOLISHED):
        return
    # The case service has checked the actor; a group member without standing scope moves
    # the status as the trusted caller.
    mover = actor if actor is not None and can_regulate(actor, enterprise) else None
    enterprise_change_status(actor=mover, enterprise=enterprise, status=wanted, reason=reason)


def on_executed(*, actor: Any, case: Case) -> None:
    after(actor=actor, case=case, action="execute", data={})


def after(*, actor: Any, case: Case, action: str, data: dict) -> None:
    from . import documents, hooks

    label = _("%(number)s %(kind)s") % {"number": case.number, "kind": case.get_kind_display()}
    if action in MOVING_ACTIONS:
        sync_enterprise(actor=actor, case=case, reason=label)
    if case.structure_id and action in STRUCTURE_AFTER and case.kind == CaseKind.DEMOLITION:
        type(case.structure).objects.filter(pk=case.structure_id).update(
            status=STRUCTURE_AFTER[action]
        )
    project_kinds = (CaseKind.STOP_WORK, CaseKind.KEY_PROJECT)
    if case.project_id and action in PROJECT_AFTER and case.kind in project_kinds:
        type(case.project).objects.filter(pk=case.project_id).update(status=PROJECT_AFTER[action])
    if action == "lift":
        hooks.case_lifted(actor=actor, case=case)
    documents.auto_generate(actor=actor, case=case, action=action, data=data)
