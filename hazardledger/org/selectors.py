"""Reads of the organisation, and the one scoping rule every app uses.

A user's scope is the union of what each of their roles grants (DESIGN.md §4). Other apps
never re-derive it: they call `scope_for(user)` and `restrict(queryset, user, ...)`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from .models import TERRITORY_KINDS, Industry, Role, Unit, UnitKind, User

# Roles whose holders see the whole district.
DISTRICT_WIDE_ROLES = frozenset({Role.DISTRICT_ADMIN, Role.DISTRICT_LEADER, Role.SUPERVISOR})
# Roles whose holders may change district-wide records (the others only read them).
DISTRICT_WRITE_ROLES = frozenset({Role.DISTRICT_ADMIN})


@dataclass(frozen=True)
class Scope:
    """What part of the district a user may see."""

    everything: bool = False
    territory_ids: frozenset[int] = field(default_factory=frozenset)
    industry_ids: frozenset[int] = field(default_factory=frozenset)
    # Enterprise users see their own enterprise; the enterprises app resolves which one.
    own_enterprise: bool = False

    @property
    def is_empty(self) -> bool:
        return not (
            self.everything or self.territory_ids or self.industry_ids or self.own_enterprise
        )

    @property
    def key(self) -> str:
        """A stable text naming this scope, for caching what depends on the scope alone."""
        return "|".join(
            (
                str(int(self.everything)),
                ",".join(map(str, sorted(self.territory_ids))),
                ",".join(map(str, sorted(self.industry_ids))),
                str(int(self.own_enterprise)),
            )
        )


def roles_of(user: User) -> frozenset[str]:
    """The role codes a user holds (cached on the user object for the request)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_role_codes", None)
    if cached is None:
        cached = frozenset(user.role_grants.values_list("role", flat=True))
        user._role_codes = cached
    return cached


def has_role(user: User, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def unit_descendant_ids(unit: Unit) -> frozenset[int]:
    """The unit and every unit below it (the tree is small: one query, walked in memory)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Unit.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, todo = {unit.pk}, [unit.pk]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return frozenset(found)


def _nearest_unit(user: User, kinds: Iterable[str]) -> Unit | None:
    """The user's unit or its nearest ancestor of one of the given kinds."""
    wanted = set(kinds)
    unit = user.unit
    seen: set[int] = set()
    while unit is not None and unit.pk not in seen:
        if unit.kind in wanted:
            return unit
        seen.add(unit.pk)
        unit = unit.parent
    return None


def _territory_scope(user: User) -> frozenset[int]:
    territory = _nearest_unit(user, TERRITORY_KINDS)
    if territory is None:
        return frozenset()
    ids = unit_descendant_ids(territory)
    return frozenset(
        Unit.objects.filter(pk__in=ids, kind__in=TERRITORY_KINDS).values_list("pk", flat=True)
    )


def _department_industries(user: User) -> frozenset[int]:
    department = _nearest_unit(user, [UnitKind.DEPARTMENT])
    if department is None:
        return frozenset()
    return frozenset(Industry.objects.filter(regulator=department).values_list("pk", flat=True))


def _committee_industries(user: User) -> frozenset[int]:
    committee = _nearest_unit(user, [UnitKind.PROFESSIONAL_COMMITTEE])
    if committee is None:
        return frozenset()
    return frozenset(Industry.objects.filter(committees=committee).values_list("pk", flat=True))


def scope_for(user: User) -> Scope:
    """The union of the scopes granted by each of the user's roles."""
    cached = getattr(user, "_scope", None)
    if cached is not None:
        return cached
    roles = roles_of(user)
    if roles & DISTRICT_WIDE_ROLES:
        scope = Scope(everything=True)
    else:
        territories: set[int] = set()
        industries: set[int] = set()
        if Role.TERRITORY_OFFICER in roles:
            territories |= _territory_scope(user)
        if Role.DEPARTMENT_OFFICER in roles:
            industries |= _department_industries(user)
        if Role.COMMITTEE_MEMBER in roles:
            industries |= _committee_industries(user)
        scope = Scope(
            territory_ids=frozenset(territories),
            industry_ids=frozenset(industries),
            own_enterprise=Role.ENTERPRISE_USER in roles,
        )
    if user.is_authenticated:
        user._scope = scope
    return scope


def restrict(
    queryset: QuerySet,
    user: User,
    *,
    territory: str | None = None,
    industry: str | None = None,
    own_enterprise: Q | None = None,
) -> QuerySet:
    """Filter `queryset` to the rows in the user's scope.

    `territory` and `industry` are lookups from the queryset's model to a territory unit and
    an industry (for example "enterprise__territory"); `own_enterprise` is the condition that
    selects the enterprise user's own rows (write it as a `pk__in` subquery so that it cannot
    multiply rows). A lookup left out grants nothing.
    """
    scope = scope_for(user)
    if scope.everything:
        return queryset
    condition = Q(pk__in=[])
    if territory and scope.territory_ids:
        condition |= Q(**{f"{territory}__in": scope.territory_ids})
    if industry and scope.industry_ids:
        condition |= Q(**{f"{industry}__in": scope.industry_ids})
    if own_enterprise is not None and scope.own_enterprise:
        condition |= own_enterprise
    return queryset.filter(condition)


def territories_visible_to(user: User) -> QuerySet[Unit]:
    """Territories (towns, streets, the development zone) the user may see."""
    qs = Unit.objects.filter(kind__in=TERRITORY_KINDS)
    scope = scope_for(user)
    if scope.everything:
        return qs
    return qs.filter(pk__in=scope.territory_ids)


def industries_visible_to(user: User) -> QuerySet[Industry]:
    """Industries the user may see: all for district-wide and territorial roles."""
    qs = Industry.objects.select_related("regulator")
    scope = scope_for(user)
    # A town officer oversees every industry inside the town, so all industries are visible.
    if scope.everything or scope.territory_ids:
        return qs
    return qs.filter(pk__in=scope.industry_ids)


def units_visible_to(user: User) -> QuerySet[Unit]:
    """The organisation directory is open to every signed-in official; enterprises see none."""
    if not roles_of(user) - {Role.ENTERPRISE_USER}:
        return Unit.objects.none()
    return Unit.objects.select_related("parent")


def district_name() -> str:
    unit = Unit.objects.filter(kind=UnitKind.DISTRICT_GOVERNMENT, parent=None).first()
    return unit.name if unit else ""
