"""Every change to the organisation goes through these functions (audited)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from hazardledger.audit.services import diff, record, snapshot

from .models import (
    GroupMembership,
    GroupPosition,
    Industry,
    IndustryAlias,
    RoleGrant,
    Unit,
    User,
)

UNIT_FIELDS = (
    "name",
    "short_name",
    "kind",
    "parent",
    "phone",
    "sort_order",
    "is_active",
    "established_on",
)
PERSON_FIELDS = ("full_name", "unit", "post", "phone", "is_active", "is_staff", "is_superuser")


def _apply(obj: Any, fields: Iterable[str], values: dict[str, Any]) -> dict[str, list[Any]]:
    names = [f for f in fields if f in values]
    before = snapshot(obj, names)
    for name in names:
        setattr(obj, name, values[name])
    return diff(before, snapshot(obj, names))


@transaction.atomic
def unit_upsert(*, actor: Any, code: str, **values: Any) -> Unit:
    """Create the unit with this code, or update the given fields of the existing one."""
    unit = Unit.objects.filter(code=code).first()
    created = unit is None
    unit = unit or Unit(code=code)
    changes = _apply(unit, UNIT_FIELDS, values)
    if created or changes:
        unit.full_clean()
        unit.save()
        record(
            actor=actor,
            action="unit.create" if created else "unit.update",
            obj=unit,
            changes=changes,
        )
    return unit


@transaction.atomic
def unit_set_head(*, actor: Any, unit: Unit, head: User | None) -> None:
    if unit.head_id == (head.pk if head else None):
        return
    changes = {"head": [unit.head_id, head.pk if head else None]}
    Unit.objects.filter(pk=unit.pk).update(head=head)
    unit.head = head
    record(actor=actor, action="unit.set_head", obj=unit, changes=changes)


@transaction.atomic
def industry_upsert(
    *,
    actor: Any,
    code: str,
    name: str,
    regulator: Unit | None,
    committees: Iterable[Unit] = (),
    sort_order: int = 0,
    national_class: Any = None,
) -> Industry:
    """Create or update an industry; its regulator must be a department.

    `national_class` (an IndustryClass) places it in GB/T 4754: imports that name that class,
    or any class below it, land in this industry.
    """
    industry = Industry.objects.filter(code=code).first()
    created = industry is None
    industry = industry or Industry(code=code)
    values = {"name": name, "regulator": regulator, "sort_order": sort_order}
    if national_class is not None:
        values["national_class"] = national_class
    changes = _apply(industry, tuple(values), values)
    if created or changes:
        industry.full_clean()
        industry.save()
    wanted = sorted(c.pk for c in committees)
    current = sorted(industry.committees.values_list("pk", flat=True))
    if wanted != current:
        industry.committees.set(wanted)
        changes["committees"] = [current, wanted]
    if created or changes:
        record(
            actor=actor,
            action="industry.create" if created else "industry.update",
            obj=industry,
            changes=changes,
        )
    return industry


@transaction.atomic
def person_upsert(
    *,
    actor: Any,
    username: str,
    roles: Iterable[str] = (),
    password: str | None = None,
    **values: Any,
) -> User:
    """Create or update a person and set exactly the given roles.

    A password, when given, is checked by the password validators; people created without
    one cannot log in until an administrator sets it.
    """
    user = User.objects.filter(username=username).first()
    created = user is None
    user = user or User(username=username)
    changes = _apply(user, PERSON_FIELDS, values)
    if password is not None and (created or not user.check_password(password)):
        validate_password(password, user)
        user.set_password(password)
        changes["password"] = ["***", "***"]
    elif created:
        user.set_unusable_password()
    if created or changes:
        user.save()
    role_changes = _set_roles(user, set(roles))
    changes |= role_changes
    if created or changes:
        record(
            actor=actor,
            action="person.create" if created else "person.update",
            obj=user,
            changes={k: v for k, v in changes.items() if k != "password"}
            | ({"password_set": [None, True]} if "password" in changes else {}),
        )
    return user


def _set_roles(user: User, roles: set[str]) -> dict[str, list[Any]]:
    current = set(user.role_grants.values_list("role", flat=True))
    if current == roles:
        return {}
    user.role_grants.exclude(role__in=roles).delete()
    RoleGrant.objects.bulk_create([RoleGrant(user=user, role=r) for r in roles - current])
    user.__dict__.pop("_role_codes", None)
    user.__dict__.pop("_scope", None)
    return {"roles": [sorted(current), sorted(roles)]}


@transaction.atomic
def group_set_members(
    *,
    actor: Any,
    group: Unit,
    members: list[tuple[str, User | Unit]],
) -> None:
    """Replace a group's membership with (position, person-or-unit) pairs, in order."""

    def key(position: str, who: User | Unit) -> tuple[str, str, int]:
        return (position, "person" if isinstance(who, User) else "unit", who.pk)

    current = [
        (m.position, "person" if m.person_id else "unit", m.person_id or m.member_unit_id)
        for m in group.memberships.all()
    ]
    wanted = [key(p, w) for p, w in members]
    if current == wanted:
        return
    group.memberships.all().delete()
    GroupMembership.objects.bulk_create(
        GroupMembership(
            group=group,
            position=GroupPosition(position),
            person=who if isinstance(who, User) else None,
            member_unit=who if isinstance(who, Unit) else None,
            sort_order=i,
        )
        for i, (position, who) in enumerate(members)
    )
    record(
        actor=actor, action="group.set_members", obj=group, changes={"members": [current, wanted]}
    )


@transaction.atomic
def industry_alias_add(*, actor: Any, alias: str, industry: Industry) -> IndustryAlias:
    """Let an office's name for an industry match it in imports ("餐饮业" → H62 餐饮业).

    Only the district admin extends the table; an alias already taken is refused.
    """
    from .classification import fold
    from .models import Role
    from .selectors import has_role

    # actor None: the system itself (demo data, data loads), as for the other org services.
    if actor is not None and not has_role(actor, Role.DISTRICT_ADMIN):
        raise PermissionDenied("只有区安委办管理员可以添加行业别名")
    text = " ".join(str(alias or "").split())[:100]
    if not text:
        raise ValidationError({"alias": "请填写别名"})
    taken = {fold(a): a for a in IndustryAlias.objects.values_list("alias", flat=True)}
    if fold(text) in taken:
        raise ValidationError({"alias": f"别名“{taken[fold(text)]}”已存在"})
    row = IndustryAlias.objects.create(alias=text, industry=industry, created_by=actor or None)
    record(
        actor=actor,
        action="industry_alias.create",
        obj=row,
        changes={"alias": [None, text], "industry": [None, industry.name]},
    )
    return row
