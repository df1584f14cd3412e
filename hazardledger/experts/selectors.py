"""Every read of the expert pool, scoped (DESIGN.md §3.2)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from hazardledger.enterprises.models import Enterprise, ServiceRecord
from hazardledger.org.models import Role, User
from hazardledger.org.permissions import get_in_scope_or_404
from hazardledger.org.selectors import has_role
from hazardledger.policy.services import active_policy

from . import rules
from .models import (
    Expert,
    ExpertAssignment,
    ExpertCertificate,
    ExpertEngagement,
    Specialty,
    Unavailability,
)

# Who keeps the pool, who reads it, who may assign from it.
MANAGER_ROLES = frozenset({Role.DISTRICT_ADMIN})
READER_ROLES = frozenset({Role.DISTRICT_ADMIN, Role.DISTRICT_LEADER, Role.SUPERVISOR})
ASSIGNER_ROLES = frozenset(
    {
        Role.DISTRICT_ADMIN,
        Role.TERRITORY_OFFICER,
        Role.DEPARTMENT_OFFICER,
        Role.ENFORCEMENT_OFFICER,
    }
)


def experts_visible_to(user: Any) -> QuerySet[Expert]:
    """The whole pool for those who read or assign from it; an expert sees only themself."""
    qs = Expert.objects.select_related("user", "employer_enterprise")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if has_role(user, *(READER_ROLES | ASSIGNER_ROLES)):
        return qs
    if has_role(user, Role.EXPERT):
        return qs.filter(user_id=user.pk)
    return qs.none()


def expert_get_for_user_or_404(user: Any, **lookup: Any) -> Expert:
    return get_in_scope_or_404(experts_visible_to(user), **lookup)


def expert_of(user: Any) -> Expert | None:
    """The pool entry of a user, or None."""
    if not getattr(user, "pk", None):
        return None
    return Expert.objects.filter(user_id=user.pk).first()


def specialty_for(enterprise: Enterprise | None) -> Specialty | None:
    """The specialty that matches the enterprise's industry, if one is linked to it."""
    if enterprise is None or enterprise.industry_id is None:
        return None
    return Specialty.objects.filter(industries=enterprise.industry_id).order_by("order").first()


def _specialty(specialty: Specialty | str | int | None) -> Specialty | None:
    if specialty is None or isinstance(specialty, Specialty):
        return specialty
    lookup = Q(code=specialty) | Q(name=specialty)
    if isinstance(specialty, int) or str(specialty).isdigit():
        lookup |= Q(pk=int(specialty))
    return Specialty.objects.filter(lookup).first()


# ---- availability and conflicts ------------------------------------------------------------


def _open_assignments() -> QuerySet[ExpertAssignment]:
    return ExpertAssignment.objects.filter(released_at__isnull=True)


def _unavailable_on(day: date) -> Exists:
    return Exists(
        Unavailability.objects.filter(expert=OuterRef("pk"), starts_on__lte=day, ends_on__gte=day)
    )


def _valid_certificate_on(day: date) -> Exists:
    return Exists(ExpertCertificate.objects.filter(expert=OuterRef("pk"), valid_until__gte=day))


def _engaged_since(enterprise: Enterprise, cutoff: date) -> Exists:
    return Exists(
        ExpertEngagement.objects.filter(expert=OuterRef("pk"), enterprise=enterprise).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=cutoff)
        )
    )


def _service_record_names(expert: Expert, enterprise: Enterprise, cutoff: date) -> bool:
    providers = ServiceRecord.objects.filter(
        enterprise=enterprise, performed_on__gte=cutoff
    ).values_list("provider", flat=True)
    name = expert.user.full_name or ""
    return any(rules.names_person(provider, name) for provider in providers)


def conflicts_of(
    expert: Expert, enterprise: Enterprise | None, *, today: date | None = None
) -> list[str]:
    """The conflicts of interest between an expert and an enterprise, as Chinese reasons."""
    if enterprise is None:
        return []
    today = today or timezone.localdate()
    months = active_policy().experts.conflict_lookback_months
    cutoff = rules.conflict_cutoff(today, months)
    reasons = []
    employed = expert.employer_enterprise_id == enterprise.pk or rules.same_name(
        expert.employer, enterprise.name
    )
    if employed:
        reasons.append(_("利益回避：该专家受雇于%(name)s") % {"name": enterprise.name})
    engagement = (
        expert.engagements.filter(enterprise=enterprise)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=cutoff))
        .first()
    )
    if engagement is not None:
        reasons.append(
            _("利益回避：该专家%(since)s起曾受聘于%(name)s（%(kind)s），在%(months)s个月回避期内")
            % {
                "since": engagement.started_on.isoformat(),
                "name": enterprise.name,
                "kind": engagement.get_kind_display(),
                "months": months,
            }
        )
    elif _service_record_names(expert, enterprise, cutoff):
        reasons.append(
            _("利益回避：%(name)s的技术服务/专家诊断记录中有该专家，在%(months)s个月回避期内")
            % {"name": enterprise.name, "months": months}
        )
    return reasons


def availability_problems(expert: Expert, *, today: date | None = None) -> list[str]:
    """Why the expert cannot take an assignment today, regardless of the enterprise."""
    today = today or timezone.localdate()
    policy = active_policy().experts
    problems = []
    if not expert.is_active or not expert.user.is_active:
        problems.append(_("该专家已不在库（停用），不能指派"))
    if not has_role(expert.user, Role.EXPERT):
        problems.append(_("该人员不再具有安全专家角色，不能指派"))
    period = expert.unavailable.filter(starts_on__lte=today, ends_on__gte=today).first()
    if period is not None:
        problems.append(
            _("该专家%(start)s至%(end)s不可用（%(reason)s）")
            % {
                "start": period.starts_on.isoformat(),
                "end": period.ends_on.isoformat(),
                "reason": period.reason or _("未说明"),
            }
        )
    if (
        policy.certificate_must_be_valid
        and not expert.certificates.filter(valid_until__gte=today).exists()
    ):
        problems.append(_("该专家没有在有效期内的证书（证书已过期或未登记），按政策不能指派"))
    limit = policy.max_open_assignments
    if limit and _open_assignments().filter(expert=expert).count() >= limit:
        problems.append(_("该专家已有%(n)s项未完成的指派，达到政策上限") % {"n": limit})
    return problems


def refusal_reasons(expert: Expert, enterprise: Enterprise | None) -> list[str]:
    """Every reason an assignment of the expert for the enterprise is refused (empty: allowed)."""
    return availability_problems(expert) + conflicts_of(expert, enterprise)


def experts_suggested(
    *, enterprise: Enterprise | None, specialty: Specialty | str | int | None = None
) -> list[Expert]:
    """Experts who may be assigned for the enterprise now: available, without a conflict;
    those of the matching specialty first, then those with the fewest open assignments."""
    today = timezone.localdate()
    policy = active_policy().experts
    specialty = _specialty(specialty)
    qs = (
        Expert.objects.filter(
            is_active=True, user__is_active=True, user__role_grants__role=Role.EXPERT
        )
        .select_related("user", "employer_enterprise")
        .prefetch_related("specialties")
        .annotate(
            open_count=Count(
                "assignments", filter=Q(assignments__released_at__isnull=True), distinct=True
            ),
        )
        .exclude(_unavailable_on(today))
    )
    if policy.certificate_must_be_valid:
        qs = qs.filter(_valid_certificate_on(today))
    if policy.max_open_assignments:
        qs = qs.filter(open_count__lt=policy.max_open_assignments)
    if specialty is not None:
        qs = qs.annotate(
            matches=Count("specialties", filter=Q(specialties=specialty), distinct=True)
        )
    else:
        qs = qs.annotate(matches=Value(0, output_field=IntegerField()))
    if enterprise is not None:
        cutoff = rules.conflict_cutoff(today, policy.conflict_lookback_months)
        qs = qs.exclude(employer_enterprise=enterprise).exclude(_engaged_since(enterprise, cutoff))
    experts = list(qs.order_by("-matches", "open_count", "pk"))
    if enterprise is None:
        return experts
    # Name comparisons (employer text, service providers) are made in Python on a small list.
    cutoff = rules.conflict_cutoff(today, policy.conflict_lookback_months)
    providers = list(
        ServiceRecord.objects.filter(enterprise=enterprise, performed_on__gte=cutoff).values_list(
            "provider", flat=True
        )
    )
    return [
        e
        for e in experts
        if not rules.same_name(e.employer, enterprise.name)
        and not any(rules.names_person(p, e.user.full_name or "") for p in providers)
    ]


# ---- assignments ---------------------------------------------------------------------------


def _target_filter(target: Model) -> Q:
    ct = ContentType.objects.get_for_model(target, for_concrete_model=True)
    return Q(content_type=ct, object_id=target.pk)


def open_assignments_for_target(target: Model) -> QuerySet[ExpertAssignment]:
    return _open_assignments().filter(_target_filter(target)).select_related("expert__user")


def is_assigned(user: Any, target: Model) -> bool:
    """Whether the user, as an expert of the pool, holds an open assignment to the target."""
    if not getattr(user, "pk", None) or target.pk is None:
        return False
    return _open_assignments().filter(_target_filter(target), expert__user_id=user.pk).exists()


def assigned_object_ids(user: Any, model: type[Model]) -> QuerySet[ExpertAssignment]:
    """The ids of `model` objects the user is openly assigned to, as a subquery."""
    ct = ContentType.objects.get_for_model(model, for_concrete_model=True)
    return _open_assignments().filter(content_type=ct, expert__user_id=user.pk).values("object_id")


def assignments_for(user: Any, *, include_released: bool = False) -> QuerySet[ExpertAssignment]:
    """The user's own assignments (open ones unless asked), newest first."""
    if not getattr(user, "pk", None):
        return ExpertAssignment.objects.none()
    qs = ExpertAssignment.objects.filter(expert__user_id=user.pk)
    if not include_released:
        qs = qs.filter(released_at__isnull=True)
    return qs.select_related("content_type", "enterprise", "expert__user", "assigned_by")


def assignments_visible_to(user: Any) -> QuerySet[ExpertAssignment]:
    """All assignments for readers and assigners of the pool; an expert's own otherwise."""
    qs = ExpertAssignment.objects.select_related(
        "content_type", "enterprise", "expert__user", "assigned_by", "released_by"
    )
    if has_role(user, *(READER_ROLES | ASSIGNER_ROLES)):
        return qs
    return qs.filter(expert__user_id=getattr(user, "pk", None), released_at__isnull=True)


def open_counts(experts: list[Expert]) -> dict[int, int]:
    rows = (
        _open_assignments()
        .filter(expert__in=experts)
        .values("expert")
        .annotate(n=Count("pk"))
        .values_list("expert", "n")
    )
    return dict(rows)


def users_in_pool() -> QuerySet[User]:
    return User.objects.filter(expert_profile__isnull=False)
