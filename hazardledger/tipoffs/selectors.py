"""Every read of tip-off data, scoped (DESIGN.md §3.2).

Hotline operators, custodians and the district-wide roles see every tip-off; territory and
department officers see those assigned to their territory, industries or department. Enterprise
users and experts see none: a tip-off about an enterprise is never shown to it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from hazardledger.org.models import Role, UnitKind
from hazardledger.org.permissions import get_in_scope_or_404
from hazardledger.org.selectors import has_role, restrict, scope_for, unit_descendant_ids

from .models import (
    IdentityView,
    RevealRequest,
    RevealStatus,
    Reward,
    Status,
    TipOff,
)
from .workflow import CUSTODIANS, INTAKE, REVEAL_REQUESTERS

REVEAL_VALID_HOURS = 24  # an approval is for the task at hand, not a standing grant
ALL_SEEING = INTAKE | CUSTODIANS | {Role.DISTRICT_LEADER, Role.SUPERVISOR}


def tipoffs_visible_to(user: Any) -> QuerySet[TipOff]:
    base = TipOff.objects.select_related("territory", "industry", "department", "enterprise")
    if not getattr(user, "is_authenticated", False):
        return base.none()
    if has_role(user, *ALL_SEEING) or scope_for(user).everything:
        return base
    assigned = base.exclude(status=Status.RECEIVED)
    visible = restrict(assigned, user, territory="territory", industry="industry")
    if has_role(user, Role.DEPARTMENT_OFFICER) and user.unit_id:
        units = unit_descendant_ids(user.unit) if user.unit.kind == UnitKind.DEPARTMENT else set()
        visible = visible | assigned.filter(department_id__in=units)
    return visible


def tipoff_get_for_user_or_404(user: Any, **lookup: Any) -> TipOff:
    return get_in_scope_or_404(tipoffs_visible_to(user), **lookup)


def can_handle(user: Any, tipoff: TipOff) -> bool:
    return tipoffs_visible_to(user).filter(pk=tipoff.pk).exists()


def reveals_visible_to(user: Any) -> QuerySet[RevealRequest]:
    """The reveal log: the supervision group, custodians and the office see all of it; a
    requester sees their own requests."""
    qs = RevealRequest.objects.select_related("tipoff", "requested_by", "decided_by")
    if has_role(user, Role.SUPERVISOR, Role.IDENTITY_CUSTODIAN, Role.DISTRICT_ADMIN):
        return qs
    if has_role(user, *REVEAL_REQUESTERS):
        return qs.filter(requested_by=user)
    return qs.none()


def identity_views_visible_to(user: Any) -> QuerySet[IdentityView]:
    qs = IdentityView.objects.select_related("request__tipoff", "viewed_by")
    if has_role(user, Role.SUPERVISOR, Role.IDENTITY_CUSTODIAN, Role.DISTRICT_ADMIN):
        return qs
    return qs.filter(viewed_by=user) if getattr(user, "is_authenticated", False) else qs.none()


def open_grant(user: Any, tipoff: TipOff) -> RevealRequest | None:
    """The approved, still valid request that lets `user` read this reporter's identity."""
    since = timezone.now() - timezone.timedelta(hours=REVEAL_VALID_HOURS)
    return (
        RevealRequest.objects.filter(
            tipoff=tipoff,
            requested_by=user,
            status=RevealStatus.APPROVED,
            decided_at__gte=since,
        )
        .order_by("-decided_at")
        .first()
    )


def duplicate_group(tipoff: TipOff) -> QuerySet[TipOff]:
    """The tip-off and every one confirmed as its duplicate (one root per group)."""
    root_id = tipoff.duplicate_of_id or tipoff.pk
    return TipOff.objects.filter(Q(pk=root_id) | Q(duplicate_of_id=root_id))


def first_reporter(tipoff: TipOff) -> TipOff:
    """The earliest accepted report among the confirmed duplicates (rejected ones do not
    count); only it can be rewarded."""
    group = duplicate_group(tipoff).exclude(status=Status.REJECTED)
    return group.order_by("received_at", "pk").first() or tipoff


def rewards_visible_to(user: Any) -> QuerySet[Reward]:
    return Reward.objects.filter(tipoff__in=tipoffs_visible_to(user)).select_related("tipoff")


def pending_reveals_count(user: Any) -> int:
    if not has_role(user, *CUSTODIANS):
        return 0
    return (
        RevealRequest.objects.filter(status=RevealStatus.PENDING).exclude(requested_by=user).count()
    )
