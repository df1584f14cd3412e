"""Every read of campaigns, checklists, inspections and schedules starts here (DESIGN.md §3.2)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Exists, F, Max, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from hazardledger.enterprises.models import INACTIVE_STATUSES, Enterprise, EnterpriseAccount
from hazardledger.org.models import Role, User
from hazardledger.org.permissions import get_in_scope_or_404
from hazardledger.org.selectors import has_role, restrict, scope_for

from . import rules
from .models import (
    GOVERNMENT_KINDS,
    Campaign,
    Checklist,
    ChecklistStatus,
    ChecklistVersion,
    Inspection,
    InspectionItem,
    InspectionKind,
    ItemResult,
    SelfInspectionSchedule,
)

SCOPED_OFFICIALS = frozenset(
    {
        Role.DISTRICT_ADMIN,
        Role.DISTRICT_LEADER,
        Role.SUPERVISOR,
        Role.TERRITORY_OFFICER,
        Role.DEPARTMENT_OFFICER,
        Role.COMMITTEE_MEMBER,
    }
)
CAMPAIGN_READER_ROLES = SCOPED_OFFICIALS
INSPECTION_READER_ROLES = SCOPED_OFFICIALS | {Role.ENTERPRISE_USER}
# Campaigns are set up by the safety office, or by the organising committee for itself.
CAMPAIGN_MANAGER_ROLES = frozenset({Role.DISTRICT_ADMIN, Role.COMMITTEE_MEMBER})
# Who records government and joint inspections (leaders record the ones they lead).
INSPECTOR_ROLES = frozenset(
    {
        Role.DISTRICT_ADMIN,
        Role.DISTRICT_LEADER,
        Role.TERRITORY_OFFICER,
        Role.DEPARTMENT_OFFICER,
        Role.COMMITTEE_MEMBER,
    }
)
SCHEDULE_MANAGER_ROLES = frozenset(
    {Role.DISTRICT_ADMIN, Role.TERRITORY_OFFICER, Role.DEPARTMENT_OFFICER}
)
CHECKLIST_EDITOR_ROLES = frozenset({Role.DISTRICT_ADMIN})


def _own_enterprise(user: Any, lookup: str = "enterprise_id") -> Q:
    accounts = EnterpriseAccount.objects.filter(user_id=user.pk).values("enterprise_id")
    return Q(**{f"{lookup}__in": accounts})


def own_enterprise_ids(user: Any) -> list[int]:
    return list(
        EnterpriseAccount.objects.filter(user_id=user.pk).values_list("enterprise_id", flat=True)
    )


# ---- checklists ---------------------------------------------------------------------------


def checklists_visible_to(user: Any) -> QuerySet[Checklist]:
    if not has_role(user, *INSPECTION_READER_ROLES):
        return Checklist.objects.none()
    return Checklist.objects.prefetch_related("industries")


def checklist_versions_visible_to(user: Any) -> QuerySet[ChecklistVersion]:
    qs = ChecklistVersion.objects.select_related("checklist", "created_by")
    if has_role(user, *CHECKLIST_EDITOR_ROLES):
        return qs
    if not has_role(user, *INSPECTION_READER_ROLES):
        return qs.none()
    # Drafts are the editor's work in progress; everyone else sees published versions.
    return qs.exclude(status=ChecklistStatus.DRAFT)


def checklist_version_get_for_user_or_404(user: Any, pk: Any) -> ChecklistVersion:
    return get_in_scope_or_404(checklist_versions_visible_to(user), pk=pk)


def live_versions() -> QuerySet[ChecklistVersion]:
    return (
        ChecklistVersion.objects.filter(status=ChecklistStatus.LIVE)
        .select_related("checklist")
        .order_by("checklist__sort_order", "checklist__code")
    )


def live_version_for(enterprise: Enterprise | None, checklist: Checklist | None = None):
    """The live version to inspect an enterprise with: the given template, else the industry's,
    else a general one."""
    live = live_versions()
    if checklist is not None:
        found = live.filter(checklist=checklist).first()
        if found:
            return found
    if enterprise is not None and enterprise.industry_id:
        found = live.filter(checklist__industries=enterprise.industry_id).first()
        if found:
            return found
    return live.filter(checklist__industries__isnull=True).first() or live.first()


# ---- campaigns ----------------------------------------------------------------------------


def campaigns_visible_to(user: Any) -> QuerySet[Campaign]:
    """District-wide roles see every campaign; others those whose scope overlaps their own."""
    qs = Campaign.objects.select_related("leader", "committee", "checklist")
    if not has_role(user, *CAMPAIGN_READER_ROLES):
        return qs.none()
    scope = scope_for(user)
    if scope.everything:
        return qs
    through_t = Campaign.territories.through.objects.filter(campaign_id=OuterRef("pk"))
    through_i = Campaign.industries.through.objects.filter(campaign_id=OuterRef("pk"))
    condition = Q(pk__in=[])
    if scope.territory_ids:
        condition |= ~Exists(through_t) | Exists(through_t.filter(unit_id__in=scope.territory_ids))
    if scope.industry_ids:
        condition |= ~Exists(through_i) | Exists(
            through_i.filter(industry_id__in=scope.industry_ids)
        )
    return qs.filter(condition)


def campaign_get_for_user_or_404(user: Any, pk: Any) -> Campaign:
    return get_in_scope_or_404(campaigns_visible_to(user), pk=pk)


def _scope_ids(campaign: Campaign) -> tuple[list[int], list[int]]:
    """The campaign's territory and industry ids, read once per campaign object."""
    cached = getattr(campaign, "_scope_ids", None)
    if cached is None:
        cached = (
            list(campaign.territories.values_list("pk", flat=True)),
            list(campaign.industries.values_list("pk", flat=True)),
        )
        campaign._scope_ids = cached
    return cached


def campaign_targets(campaign: Campaign) -> QuerySet[Enterprise]:
    """The enterprises in the campaign's scope, now (not a frozen copy)."""
    qs = Enterprise.objects.exclude(status__in=INACTIVE_STATUSES)
    territory_ids, industry_ids = _scope_ids(campaign)
    if territory_ids:
        qs = qs.filter(territory_id__in=territory_ids)
    if industry_ids:
        qs = qs.filter(industry_id__in=industry_ids)
    if campaign.categories:
        qs = qs.filter(category__in=campaign.categories)
    return qs


def enterprise_in_campaign(campaign: Campaign, enterprise: Enterprise) -> bool:
    return campaign_targets(campaign).filter(pk=enterprise.pk).exists()


def campaign_targets_for(user: Any, campaign: Campaign) -> QuerySet[Enterprise]:
    """The campaign's targets within the user's own scope (a town sees its town's share)."""
    return restrict(campaign_targets(campaign), user, territory="territory", industry="industry")


def _inspected(campaign: Campaign) -> Exists:
    return Exists(
        Inspection.objects.filter(
            campaign=campaign, enterprise=OuterRef("pk"), kind__in=GOVERNMENT_KINDS
        )
    )


def _with_hazards(campaign: Campaign) -> Exists:
    return Exists(
        InspectionItem.objects.filter(
            inspection__campaign=campaign,
            inspection__kind__in=GOVERNMENT_KINDS,
            inspection__enterprise=OuterRef("pk"),
            result=ItemResult.FAIL,
        )
    )


def with_coverage_state(qs: QuerySet[Enterprise], campaign: Campaign) -> QuerySet[Enterprise]:
    return qs.annotate(inspected=_inspected(campaign), with_hazards=_with_hazards(campaign))


def _counts(campaign: Campaign) -> dict[str, Any]:
    return {
        "in_scope": Count("pk"),
        "inspected": Count("pk", filter=_inspected(campaign)),
        "with_hazards": Count("pk", filter=_with_hazards(campaign)),
    }


def coverage_total(user: Any, campaign: Campaign) -> rules.Coverage:
    row = campaign_targets_for(user, campaign).aggregate(**_counts(campaign))
    return rules.Coverage(row["in_scope"], row["inspected"], row["with_hazards"])


BREAKDOWNS = {
    "territory": ("territory_id", "territory__name", "territory__sort_order"),
    "department": (
        "industry__regulator_id",
        "industry__regulator__name",
        "industry__regulator__sort_order",
    ),
    "industry": ("industry_id", "industry__name", "industry__sort_order"),
}


@dataclass(frozen=True)
class CoverageLine:
    key: int | None
    name: str
    coverage: rules.Coverage


def coverage_by(user: Any, campaign: Campaign, by: str) -> list[CoverageLine]:
    """Coverage grouped by territory, regulating department or industry, in one query."""
    key, name, order = BREAKDOWNS[by]
    rows = (
        campaign_targets_for(user, campaign)
        .order_by()
        .values(key, name, order)
        .annotate(**_counts(campaign))
        .order_by(F(order).asc(nulls_last=True), key)
    )
    return [
        CoverageLine(
            row[key],
            row[name] or "（未明确）",
            rules.Coverage(row["in_scope"], row["inspected"], row["with_hazards"]),
        )
        for row in rows
    ]


TARGET_FILTERS = {
    "all": Q(),
    "inspected": Q(inspected=True),
    "not_inspected": Q(inspected=False),
    "with_hazards": Q(with_hazards=True),
}


def target_rows(user: Any, campaign: Campaign, state: str = "not_inspected") -> QuerySet:
    qs = with_coverage_state(campaign_targets_for(user, campaign), campaign)
    qs = qs.filter(TARGET_FILTERS.get(state, Q()))
    last = Inspection.objects.filter(campaign=campaign, enterprise=OuterRef("pk")).order_by(
        "-inspected_on", "-pk"
    )
    return (
        qs.select_related("territory", "industry", "industry__regulator")
        .annotate(last_inspected_on=last.values("inspected_on")[:1])
        .order_by("territory__sort_order", "territory_id", "name", "pk")
    )


def leader_inspections(user: Any, campaign: Campaign | None = None) -> QuerySet[User]:
    """District leaders with the inspections they led (M14), counted in SQL."""
    inspections = inspections_visible_to(user).filter(kind__in=GOVERNMENT_KINDS)
    if campaign is not None:
        inspections = inspections.filter(campaign=campaign)
    led = Q(led_inspections__in=inspections.values("pk"))
    return (
        User.objects.filter(role_grants__role=Role.DISTRICT_LEADER, is_active=True)
        .annotate(
            led_count=Count("led_inspections", filter=led, distinct=True),
            enterprise_count=Count("led_inspections__enterprise", filter=led, distinct=True),
            last_led_on=Max("led_inspections__inspected_on", filter=led),
        )
        .order_by("-led_count", "username")
    )


# ---- inspections --------------------------------------------------------------------------


def inspections_visible_to(user: Any) -> QuerySet[Inspection]:
    if not has_role(user, *INSPECTION_READER_ROLES):
        return Inspection.objects.none()
    return restrict(
        Inspection.objects.all(),
        user,
        territory="enterprise__territory",
        industry="enterprise__industry",
        own_enterprise=_own_enterprise(user),
    )


def inspection_get_for_user_or_404(user: Any, pk: Any) -> Inspection:
    qs = inspections_visible_to(user).select_related(
        "enterprise",
        "enterprise__territory",
        "enterprise__industry",
        "campaign",
        "checklist_version__checklist",
        "lead",
        "recorded_by",
        "confirmed_by",
    )
    return get_in_scope_or_404(qs, pk=pk)


def inspection_list(
    user: Any, *, campaign_id: int | None = None, kind: str = "", enterprise_id: int | None = None
) -> QuerySet[Inspection]:
    qs = inspections_visible_to(user)
    if campaign_id:
        qs = qs.filter(campaign_id=campaign_id)
    if kind:
        qs = qs.filter(kind=kind)
    if enterprise_id:
        qs = qs.filter(enterprise_id=enterprise_id)
    failed = Count("items", filter=Q(items__result=ItemResult.FAIL))
    return (
        qs.select_related("enterprise", "enterprise__territory", "campaign", "lead")
        .annotate(failed_count=failed)
        .order_by("-inspected_on", "-pk")
    )


def inspection_items(inspection: Inspection) -> list[InspectionItem]:
    return list(
        inspection.items.select_related("checklist_item", "hazard").order_by(
            "checklist_item__category", "checklist_item__position", "pk"
        )
    )


def inspection_with_inspectors(qs: QuerySet[Inspection]) -> QuerySet[Inspection]:
    return qs.prefetch_related(Prefetch("inspectors", queryset=User.objects.order_by("pk")))


def item_get_for_user_or_404(user: Any, inspection_pk: Any, item_pk: Any) -> InspectionItem:
    inspection = inspection_get_for_user_or_404(user, inspection_pk)
    qs = InspectionItem.objects.filter(inspection=inspection).select_related(
        "checklist_item", "hazard"
    )
    item = get_in_scope_or_404(qs, pk=item_pk)
    item.inspection = inspection
    return item


# ---- self-inspection ----------------------------------------------------------------------


def schedules_visible_to(user: Any) -> QuerySet[SelfInspectionSchedule]:
    if not has_role(user, *INSPECTION_READER_ROLES):
        return SelfInspectionSchedule.objects.none()
    return restrict(
        SelfInspectionSchedule.objects.select_related(
            "enterprise",
            "enterprise__territory",
            "enterprise__industry",
            "enterprise__industry__regulator",
            "checklist",
        ),
        user,
        territory="enterprise__territory",
        industry="enterprise__industry",
        own_enterprise=_own_enterprise(user),
    )


@dataclass(frozen=True)
class ScheduleState:
    schedule: SelfInspectionSchedule
    cadence_days: int
    last_on: date | None
    next_due: date
    missed: list[rules.Period]

    @property
    def overdue(self) -> bool:
        return self.next_due < timezone.localdate()


def self_inspection_dates(enterprise_ids: list[int], since: date) -> dict[int, list[date]]:
    dates: dict[int, list[date]] = defaultdict(list)
    rows = Inspection.objects.filter(
        kind=InspectionKind.SELF, enterprise_id__in=enterprise_ids, inspected_on__gte=since
    ).values_list("enterprise_id", "inspected_on")
    for enterprise_id, day in rows:
        dates[enterprise_id].append(day)
    return dates


# Later apps that raise an enterprise's inspection frequency (the blacklist: listed enterprises
# are inspected more often): each maps enterprise ids and a day to {enterprise id: factor}.
FrequencyFactors = Callable[[list[int], date], dict[int, float]]
_frequency_factors: dict[str, FrequencyFactors] = {}


def register_frequency_factor(key: str, factors: FrequencyFactors) -> None:
    _frequency_factors[key] = factors


def _factors(enterprise_ids: list[int], today: date) -> dict[int, float]:
    out: dict[int, float] = {}
    for factors in _frequency_factors.values():
        for pk, factor in factors(enterprise_ids, today).items():
            out[pk] = max(out.get(pk, 1.0), factor)
    return out


def schedule_states(
    schedules: list[SelfInspectionSchedule], default_cadence: int, today: date
) -> list[ScheduleState]:
    """Missed periods and next due date per schedule: two queries, arithmetic in rules. A
    frequency factor (`register_frequency_factor`) divides the cadence (twice as often)."""
    if not schedules:
        return []
    factors = _factors([s.enterprise_id for s in schedules], today)
    cadence = {
        s.pk: max(1, int((s.cadence_days or default_cadence) / factors.get(s.enterprise_id, 1.0)))
        for s in schedules
    }
    since = min(
        max(
            s.starts_on, today - timedelta(days=(rules.MISSED_LOOKBACK_PERIODS + 1) * cadence[s.pk])
        )
        for s in schedules
    )
    dates = self_inspection_dates([s.enterprise_id for s in schedules], since)
    states = []
    for s in schedules:
        days = dates.get(s.enterprise_id, [])
        periods = rules.closed_periods(s.starts_on, cadence[s.pk], today)
        states.append(
            ScheduleState(
                schedule=s,
                cadence_days=cadence[s.pk],
                last_on=max(days) if days else None,
                next_due=rules.next_due(s.starts_on, cadence[s.pk], today, days),
                missed=rules.missed_periods(periods, days),
            )
        )
    return states


@dataclass(frozen=True)
class MissedRow:
    state: ScheduleState
    period: rules.Period


def missed_self_inspections(
    user: Any,
    default_cadence: int,
    today: date,
    *,
    territory_id: int | None = None,
    industry_id: int | None = None,
) -> list[MissedRow]:
    """Every missed period of active schedules in the user's scope, newest first."""
    qs = schedules_visible_to(user).filter(is_active=True)
    if territory_id:
        qs = qs.filter(enterprise__territory_id=territory_id)
    if industry_id:
        qs = qs.filter(enterprise__industry_id=industry_id)
    states = schedule_states(list(qs.order_by("enterprise__name", "pk")), default_cadence, today)
    rows = [MissedRow(state, period) for state in states for period in state.missed]
    rows.sort(key=lambda r: (-r.period.end.toordinal(), r.state.schedule.enterprise.name))
    return rows


def schedule_for_enterprise(enterprise: Enterprise) -> SelfInspectionSchedule | None:
    return SelfInspectionSchedule.objects.filter(enterprise=enterprise).first()


def enterprises_without_schedule(user: Any) -> QuerySet[Enterprise]:
    qs = restrict(
        Enterprise.objects.exclude(status__in=INACTIVE_STATUSES),
        user,
        territory="territory",
        industry="industry",
    )
    return qs.filter(self_inspection_schedule__isnull=True)
