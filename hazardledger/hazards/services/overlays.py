"""Supervised listing, production suspension and attached files."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hazardledger.audit.services import record
from hazardledger.lib import files
from hazardledger.lib.workflow import GuardFailed
from hazardledger.org.models import Role, User
from hazardledger.org.selectors import has_role

from .. import hooks
from ..models import (
    FileKind,
    Hazard,
    HazardFile,
    HazardStatus,
)
from .core import (
    Upload,
    _checked,
    _ensure_visible,
    _field_errors,
    _role_for,
    _store_files,
    _transition,
)


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
