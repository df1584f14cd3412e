"""Scoped reads of enforcement (DESIGN.md §3.2)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from hazardledger.enterprises.models import Enterprise, EnterpriseAccount
from hazardledger.enterprises.selectors import enterprises_visible_to
from hazardledger.org.models import Role
from hazardledger.org.permissions import get_in_scope_or_404
from hazardledger.org.selectors import has_role, restrict, roles_of

from .models import (
    Case,
    ConstructionProject,
    IllegalStructure,
    JointAction,
    Measure,
    Proposal,
    Resumption,
)

# Members of the closure/demolition group work district-wide on enforcement cases.
GROUP_ROLES = (Role.ENFORCEMENT_OFFICER,)


def _m2m_count(through: Any, column: str) -> Subquery:
    """Count of rows of one M2M table per action, as a subquery (no row multiplication)."""
    counted = (
        through.objects.filter(jointaction_id=OuterRef("pk"))
        .order_by()
        .values("jointaction_id")
        .annotate(n=Count(column, distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_crossings(qs: QuerySet[JointAction]) -> QuerySet[JointAction]:
    return qs.annotate(
        territory_count=_m2m_count(JointAction.territories.through, "unit_id"),
        department_count=_m2m_count(JointAction.departments.through, "unit_id"),
    ).annotate(
        crosses_territories=ExpressionWrapper(
            Q(territory_count__gt=1), output_field=BooleanField()
        ),
        crosses_departments=ExpressionWrapper(
            Q(department_count__gt=1), output_field=BooleanField()
        ),
    )


def joint_actions_between(start: date, end: date) -> QuerySet[JointAction]:
    """Joint enforcement actions dated within [start, end], annotated with `crosses_territories`
    and `crosses_departments` (more than one territory / department took part)."""
    return with_crossings(JointAction.objects.filter(acted_on__gte=start, acted_on__lte=end))


def joint_actions_visible_to(user: Any) -> QuerySet[JointAction]:
    """Joint actions are district records: every official sees them, enterprises do not."""
    qs = with_crossings(JointAction.objects.select_related("lead_unit"))
    if roles_of(user) - {Role.ENTERPRISE_USER}:
        return qs
    return qs.none()


def _own(user: Any, field: str = "enterprise_id") -> Q:
    return Q(
        **{
            f"{field}__in": EnterpriseAccount.objects.filter(user_id=user.pk).values(
                "enterprise_id"
            )
        }
    )


def cases_visible_to(user: Any) -> QuerySet[Case]:
    """Group members see every case; regulators their scope; the enterprise its own; an
    expert the cases whose resumption they are assigned to, while assigned."""
    base = Case.objects.select_related("enterprise", "structure", "project", "territory")
    if has_role(user, *GROUP_ROLES):
        return base
    qs = restrict(base, user, territory="territory", industry="industry", own_enterprise=_own(user))
    if has_role(user, Role.EXPERT):
        from .experts_link import assigned_ids

        assigned = Resumption.objects.filter(pk__in=assigned_ids(user, Resumption))
        qs = qs | base.filter(pk__in=assigned.values("case_id"))
    return qs


def enterprise_in_reach(user: Any, enterprise: Any) -> bool:
    if has_role(user, *GROUP_ROLES):
        return True
    return enterprises_visible_to(user).filter(pk=enterprise.pk).exists()


def enterprises_for_cases(user: Any) -> QuerySet[Enterprise]:
    """Enterprises the user may open a case against."""
    if has_role(user, *GROUP_ROLES):
        return Enterprise.objects.all()
    return enterprises_visible_to(user)


def structure_in_reach(user: Any, structure: IllegalStructure) -> bool:
    return structures_visible_to(user).filter(pk=structure.pk).exists()


def resumptions_visible_to(user: Any) -> QuerySet[Resumption]:
    return Resumption.objects.filter(case__in=cases_visible_to(user)).select_related(
        "case", "case__enterprise"
    )


def measures_visible_to(user: Any) -> QuerySet[Measure]:
    return Measure.objects.filter(case__in=cases_visible_to(user)).select_related(
        "case", "case__enterprise", "executing_unit"
    )


def proposals_visible_to(user: Any) -> QuerySet[Proposal]:
    return Proposal.objects.filter(case__in=cases_visible_to(user)).select_related(
        "case", "case__enterprise", "resulting_case"
    )


def projects_visible_to(user: Any) -> QuerySet[ConstructionProject]:
    base = ConstructionProject.objects.select_related("enterprise")
    if has_role(user, *GROUP_ROLES):
        return base
    return base.filter(enterprise__in=enterprises_visible_to(user))


def case_get_for_user_or_404(user: Any, **lookup: Any) -> Case:
    return get_in_scope_or_404(cases_visible_to(user), **lookup)


def structures_visible_to(user: Any) -> QuerySet[IllegalStructure]:
    base = IllegalStructure.objects.select_related("territory", "enterprise")
    if has_role(user, *GROUP_ROLES):
        return base
    return restrict(base, user, territory="territory", industry="enterprise__industry")
