"""Every read of meetings and follow-up items, scoped to the reader (DESIGN.md §3.2).

A meeting is seen by the district-wide roles, the convening unit and the units invited to it;
a follow-up item by the district-wide roles, its owner (person or unit) and its convener.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from hazardledger.org.models import Role, Unit, UnitKind, User
from hazardledger.org.permissions import get_in_scope_or_404
from hazardledger.org.selectors import DISTRICT_WIDE_ROLES, has_role, roles_of

from .models import FollowUpItem, ItemStatus, Meeting

MEETING_READER_ROLES = frozenset(
    {
        Role.DISTRICT_ADMIN,
        Role.DISTRICT_LEADER,
        Role.SUPERVISOR,
        Role.DEPARTMENT_OFFICER,
        Role.TERRITORY_OFFICER,
        Role.COMMITTEE_MEMBER,
        Role.ENFORCEMENT_OFFICER,
    }
)
RECORDER_ROLES = frozenset({Role.DISTRICT_ADMIN, Role.TERRITORY_OFFICER, Role.COMMITTEE_MEMBER})
CONVENER_KINDS = frozenset(
    {
        UnitKind.PROFESSIONAL_COMMITTEE,
        UnitKind.TOWN,
        UnitKind.STREET,
        UnitKind.DEVELOPMENT_ZONE,
        UnitKind.SAFETY_OFFICE,
        UnitKind.DISTRICT_GOVERNMENT,
    }
)


def sees_everything(user: User) -> bool:
    return bool(roles_of(user) & DISTRICT_WIDE_ROLES)


def meetings_visible_to(user: User) -> QuerySet[Meeting]:
    qs = Meeting.objects.all()
    if not roles_of(user) & MEETING_READER_ROLES:
        return qs.none()
    if sees_everything(user):
        return qs
    unit_id = user.unit_id
    if unit_id is None:
        return qs.none()
    invited = Meeting.objects.filter(Q(units_present=unit_id) | Q(units_absent=unit_id)).values(
        "pk"
    )
    return qs.filter(Q(convener_id=unit_id) | Q(pk__in=invited))


def meeting_get_for_user_or_404(user: User, pk: object) -> Meeting:
    return get_in_scope_or_404(
        meetings_visible_to(user).select_related("convener", "entered_by"), pk=pk
    )


def items_visible_to(user: User) -> QuerySet[FollowUpItem]:
    qs = FollowUpItem.objects.all()
    if not roles_of(user) & MEETING_READER_ROLES:
        return qs.none()
    if sees_everything(user):
        return qs
    mine = Q(owner_person_id=user.pk)
    if user.unit_id is not None:
        mine |= Q(owner_unit_id=user.unit_id) | Q(convener_id=user.unit_id)
    return qs.filter(mine)


def item_get_for_user_or_404(user: User, pk: object) -> FollowUpItem:
    return get_in_scope_or_404(
        items_visible_to(user).select_related(
            "meeting", "decision", "convener", "owner_unit", "owner_person", "closed_by"
        ),
        pk=pk,
    )


def overdue_q(today: date) -> Q:
    return Q(status=ItemStatus.OPEN, due_on__lt=today)


def overdue_items(today: date) -> QuerySet[FollowUpItem]:
    """Every open item past its due date, for district-wide reports such as the daily dispatch
    (which reads it with its own, district-wide, reader)."""
    return FollowUpItem.objects.filter(overdue_q(today)).select_related(
        "owner_unit", "owner_person", "convener"
    )


def owned_by(user: User) -> Q:
    """Items the person answers for: named as owner, or owned by their unit."""
    q = Q(owner_person_id=user.pk)
    if user.unit_id is not None:
        q |= Q(owner_unit_id=user.unit_id, owner_person__isnull=True)
    return q


def my_overdue_count(user: User) -> int:
    """Overdue items the person answers for: the badge on the menu's 督办事项."""
    if not roles_of(user) & MEETING_READER_ROLES:
        return 0
    today = timezone.localdate()
    return FollowUpItem.objects.filter(owned_by(user), overdue_q(today)).count()


def may_record_for(user: User, convener: Unit) -> bool:
    """The district admin records for any convener; others for their own unit."""
    if convener.kind not in CONVENER_KINDS:
        return False
    if has_role(user, Role.DISTRICT_ADMIN):
        return True
    return has_role(user, *RECORDER_ROLES) and user.unit_id == convener.pk


def conveners_for(user: User) -> QuerySet[Unit]:
    qs = Unit.objects.filter(kind__in=CONVENER_KINDS, is_active=True).order_by("sort_order", "code")
    if has_role(user, Role.DISTRICT_ADMIN):
        return qs
    if not has_role(user, *RECORDER_ROLES):
        return qs.none()
    return qs.filter(pk=user.unit_id)


def is_owner(user: User, item: FollowUpItem) -> bool:
    return item.owner_person_id == user.pk or (
        user.unit_id is not None and item.owner_unit_id == user.unit_id
    )


def is_convener(user: User, item: FollowUpItem) -> bool:
    return user.unit_id is not None and item.convener_id == user.unit_id
