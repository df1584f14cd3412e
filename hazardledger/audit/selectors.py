"""Reading the audit trail: district admins and supervisors read all of it."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from hazardledger.org.models import Role
from hazardledger.org.selectors import has_role

from .models import AuditEvent

AUDIT_READER_ROLES = (Role.DISTRICT_ADMIN, Role.SUPERVISOR)


def events_visible_to(user: Any) -> QuerySet[AuditEvent]:
    if not has_role(user, *AUDIT_READER_ROLES):
        return AuditEvent.objects.none()
    return AuditEvent.objects.all()


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def events_filtered(
    qs: QuerySet[AuditEvent],
    *,
    object_type: str = "",
    object_id: str = "",
    actor: str = "",
    action: str = "",
    since: date | None = None,
    until: date | None = None,
    before_id: int | None = None,
) -> QuerySet[AuditEvent]:
    """Filters of the audit page; keyset pagination by id (newest first)."""
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if actor:
        qs = qs.filter(actor_name__icontains=actor) | qs.filter(actor__username=actor)
    if action:
        qs = qs.filter(action__startswith=action)
    if since:
        qs = qs.filter(at__gte=_day_start(since))
    if until:
        qs = qs.filter(at__lt=_day_start(until) + timezone.timedelta(days=1))
    if before_id:
        qs = qs.filter(pk__lt=before_id)
    return qs.order_by("-pk")
