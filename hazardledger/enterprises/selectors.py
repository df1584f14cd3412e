"""Every read of enterprises starts here, scoped by org's one scoping rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from hazardledger.org.models import Role
from hazardledger.org.permissions import get_in_scope_or_404
from hazardledger.org.selectors import has_role, restrict, scope_for

from .models import (
    Enterprise,
    EnterpriseAccount,
    Procedure,
    ProcedureKind,
    ProcedureStatus,
    RuleKind,
)

# Roles that read the enterprise file at all (each within its scope).
READER_ROLES = frozenset(
    {
        Role.DISTRICT_ADMIN,
        Role.DISTRICT_LEADER,
        Role.SUPERVISOR,
        Role.TERRITORY_OFFICER,
        Role.DEPARTMENT_OFFICER,
        Role.COMMITTEE_MEMBER,
        Role.ENTERPRISE_USER,
    }
)
# Roles that see the coverage page (监管盲区).
COVERAGE_ROLES = READER_ROLES - {Role.ENTERPRISE_USER}
# Roles that change the registry, procedures and responsibility records (within their scope).
REGULATOR_ROLES = frozenset({Role.DISTRICT_ADMIN, Role.TERRITORY_OFFICER, Role.DEPARTMENT_OFFICER})
# The only fields an enterprise user may change on its own record.
SELF_SERVICE_FIELDS = frozenset(
    {
        "contact_name",
        "contact_phone",
        "safety_manager",
        "safety_manager_phone",
        "safety_engineer_count",
    }
)


def enterprises_visible_to(user: Any) -> QuerySet[Enterprise]:
    return restrict(
        Enterprise.objects.select_related("territory", "industry", "industry__regulator"),
        user,
        territory="territory",
        industry="industry",
        own_enterprise=Q(
            pk__in=EnterpriseAccount.objects.filter(user_id=user.pk).values("enterprise_id")
        ),
    )


def enterprise_get_for_user_or_404(user: Any, **lookup: Any) -> Enterprise:
    return get_in_scope_or_404(enterprises_visible_to(user), **lookup)


def is_visible_to(user: Any, enterprise: Enterprise) -> bool:
    return enterprises_visible_to(user).filter(pk=enterprise.pk).exists()


def is_own_enterprise(user: Any, enterprise: Enterprise) -> bool:
    return EnterpriseAccount.objects.filter(user_id=user.pk, enterprise_id=enterprise.pk).exists()


def can_regulate(user: Any, enterprise: Enterprise | None = None) -> bool:
    """May `user` change regulator-held records (of `enterprise`, when given)?"""
    if not has_role(user, *REGULATOR_ROLES):
        return False
    return enterprise is None or is_visible_to(user, enterprise)


def can_file_documents(user: Any, enterprise: Enterprise) -> bool:
    """May `user` file rules and service records for `enterprise`? Its regulators may, and so
    may the enterprise itself: the rules are its own (企业主体责任)."""
    if can_regulate(user, enterprise):
        return True
    return has_role(user, Role.ENTERPRISE_USER) and is_own_enterprise(user, enterprise)


def editable_fields(
    user: Any, enterprise: Enterprise, all_fields: frozenset[str]
) -> frozenset[str]:
    """The registry fields `user` may change on `enterprise` (empty: none)."""
    if can_regulate(user, enterprise):
        return all_fields
    if has_role(user, Role.ENTERPRISE_USER) and is_own_enterprise(user, enterprise):
        return SELF_SERVICE_FIELDS
    return frozenset()


def in_scope(user: Any, territory_id: int | None, industry_id: int | None) -> bool:
    """Would an enterprise in this territory and industry be inside the user's scope?"""
    scope = scope_for(user)
    return scope.everything or (
        territory_id in scope.territory_ids or industry_id in scope.industry_ids
    )


def current_procedures(today: date) -> QuerySet[Procedure]:
    return Procedure.objects.filter(status=ProcedureStatus.VALID).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=today)
    )


def missing_procedure_exists(today: date | None = None) -> Exists:
    """SQL condition: the enterprise's industry requires a kind it holds no current procedure of."""
    today = today or timezone.localdate()
    held = current_procedures(today).filter(
        enterprise=OuterRef(OuterRef("pk")), kind=OuterRef("pk")
    )
    return Exists(
        ProcedureKind.objects.filter(industries=OuterRef("industry")).filter(~Exists(held))
    )


def with_procedure_state(qs: QuerySet[Enterprise], today: date | None = None) -> QuerySet:
    """Annotate `procedures_incomplete` (手续不全) in the same query."""
    return qs.annotate(procedures_incomplete=missing_procedure_exists(today))


@dataclass(frozen=True)
class ListFilters:
    q: str = ""
    territory_id: int | None = None
    industry_id: int | None = None
    status: str = ""
    category: str = ""
    procedures: str = ""  # "incomplete" | "complete" | ""
    key_project: bool = False


def enterprises_filtered(qs: QuerySet[Enterprise], f: ListFilters) -> QuerySet[Enterprise]:
    """The registry's filters; `q` matches a name fragment or a credit code (prefix)."""
    qs = with_procedure_state(qs)
    if f.q:
        code = f.q.strip().upper()
        qs = qs.filter(Q(name__icontains=f.q.strip()) | Q(credit_code__startswith=code))
    if f.territory_id:
        qs = qs.filter(territory_id=f.territory_id)
    if f.industry_id:
        qs = qs.filter(industry_id=f.industry_id)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.category:
        qs = qs.filter(category=f.category)
    if f.procedures == "incomplete":
        qs = qs.filter(procedures_incomplete=True)
    elif f.procedures == "complete":
        qs = qs.filter(procedures_incomplete=False)
    if f.key_project:
        qs = qs.filter(is_key_project=True)
    return qs.order_by("name", "pk")


def missing_procedure_kinds(
    enterprise: Enterprise, today: date | None = None
) -> list[ProcedureKind]:
    today = today or timezone.localdate()
    if enterprise.industry_id is None:
        return []
    held = current_procedures(today).filter(enterprise=enterprise).values("kind_id")
    return list(
        ProcedureKind.objects.filter(industries=enterprise.industry_id).exclude(pk__in=held)
    )


def missing_rule_kinds(enterprise: Enterprise) -> list[str]:
    """Labels of the M13 rules the enterprise has nothing on file for."""
    held = set(enterprise.rules.values_list("kind", flat=True))
    return [kind.label for kind in RuleKind if kind.value not in held]
