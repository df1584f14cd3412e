"""Every write to the expert pool (DESIGN.md §3.1): keyword-only, atomic, checked, audited.

`expert_assign` and `expert_release` are the interface other apps use (hazard cards'
evaluation, resumption acceptance); the pool's own records are kept by the district admin.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from hazardledger.audit.services import record
from hazardledger.enterprises.models import Enterprise
from hazardledger.org.models import User
from hazardledger.org.selectors import has_role, roles_of

from .models import Expert, ExpertAssignment
from .selectors import ASSIGNER_ROLES, MANAGER_ROLES, open_assignments_for_target, refusal_reasons


def _role(actor: Any, allowed: frozenset[str]) -> str:
    held = sorted(roles_of(actor) & allowed) if getattr(actor, "pk", None) else []
    return held[0] if held else ""


def require_assigner(actor: Any) -> None:
    if not has_role(actor, *ASSIGNER_ROLES):
        raise PermissionDenied(_("您无权指派专家"))


def require_manager(actor: Any) -> None:
    if not has_role(actor, *MANAGER_ROLES):
        raise PermissionDenied(_("只有区安委办管理员可以维护专家库"))


def _target_label(target: Model) -> str:
    return f"{target._meta.verbose_name} {target}"[:200]


@transaction.atomic
def expert_assign(
    *,
    actor: User | None,
    expert: Expert,
    target: Model,
    enterprise: Enterprise | None,
    note: str = "",
) -> ExpertAssignment:
    """Assign the expert to `target` (any saved model instance) concerning `enterprise`.

    Refused with a ValidationError (key "expert", a Chinese reason) when the expert is
    inactive, unavailable today, without a valid certificate (if the policy requires one), at
    the policy's limit of open assignments, already assigned to the target, or in a conflict
    of interest with the enterprise (employed by it, or engaged by it within the policy's
    period). `actor=None` is a trusted caller (a command). The caller checks that the actor
    may act on `target`; this checks the role of assigning and the pool's rules.
    """
    if actor is not None:
        require_assigner(actor)
    if target.pk is None:
        raise ValidationError({"expert": [_("指派对象尚未保存")]})
    note = (note or "").strip()
    if len(note) > 300:
        raise ValidationError({"note": [_("说明不能超过300字")]})
    expert = Expert.objects.select_related("user").get(pk=expert.pk)
    if open_assignments_for_target(target).filter(expert=expert).exists():
        raise ValidationError({"expert": [_("该专家已被指派到此事项")]})
    reasons = refusal_reasons(expert, enterprise)
    if reasons:
        raise ValidationError({"expert": reasons})
    try:
        with transaction.atomic():
            assignment = ExpertAssignment.objects.create(
                expert=expert,
                content_type=ContentType.objects.get_for_model(target, for_concrete_model=True),
                object_id=target.pk,
                enterprise=enterprise,
                note=note,
                assigned_by=actor,
                assigned_at=timezone.now(),
            )
    except IntegrityError as exc:  # a concurrent click assigned the same expert first
        raise ValidationError({"expert": [_("该专家已被指派到此事项")]}) from exc
    record(
        actor=actor,
        role=_role(actor, ASSIGNER_ROLES),
        action="expert.assign",
        obj=assignment,
        changes={
            "expert": expert.pk,
            "target": _target_label(target),
            "enterprise": enterprise.pk if enterprise else None,
            "note": note,
        },
    )
    return assignment


def _release(*, actor: User | None, assignment: ExpertAssignment, role: str, reason: str) -> bool:
    done = ExpertAssignment.objects.filter(pk=assignment.pk, released_at__isnull=True).update(
        released_at=timezone.now(), released_by=actor if getattr(actor, "pk", None) else None
    )
    if not done:
        return False
    assignment.refresh_from_db()
    record(
        actor=actor,
        role=role,
        action="expert.release",
        obj=assignment,
        changes={"released_at": assignment.released_at},
        reason=reason,
    )
    return True


@transaction.atomic
def expert_release(
    *, actor: User | None, assignment: ExpertAssignment, reason: str = ""
) -> ExpertAssignment:
    """End an open assignment: the expert no longer sees the target. Refused (ValidationError)
    when it has already ended, e.g. by a concurrent click."""
    if actor is not None:
        require_assigner(actor)
    if not _release(
        actor=actor, assignment=assignment, role=_role(actor, ASSIGNER_ROLES), reason=reason
    ):
        raise ValidationError({"assignment": [_("该指派已解除")]})
    return assignment


@transaction.atomic
def expert_release_target(*, actor: User | None, target: Model, reason: str = "") -> int:
    """End every open assignment to `target` when the work on it is done (an evaluation given,
    a case closed). Called by the owning app's service, which has checked the actor; one audit
    event per assignment ended. Returns how many ended."""
    ended = 0
    for assignment in open_assignments_for_target(target):
        ended += _release(actor=actor, assignment=assignment, role="", reason=reason)
    return ended
